/**
 * SLICE (TFLM slice.cc, reference Slice): copies the block [begin, begin + size) of a tensor of up to 5
 * dimensions, for float32, int32, int8, int16 and bool. begin and size are int32 or int64 (both the same);
 * a size of -1 runs to the end of its dimension. Constant begin/size are resolved once in prepare; tensors
 * computed by the model are read and checked per invocation, as TFLM reads them in Eval.
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import { extendShape, requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";
import { constantIntegers } from "./more-ops-common.js";

const MAX_RANK = 5;

/** The block to copy in the input extended to 5-D: start and stop per dimension. */
interface SliceWindow {
  start: number[];
  stop: number[];
}

interface SlicePrepared {
  /** Input shape extended to 5-D. */
  shape: number[];
  outputCount: number;
  /** Resolved window when begin and size are constants; null to resolve per invocation. */
  window: SliceWindow | null;
}

function sliceWindow(
  shape5: readonly number[],
  begin: ArrayLike<number>,
  size: ArrayLike<number>,
  outputCount: number,
  Err: typeof KernelError | typeof InputError,
): SliceWindow {
  const offset = MAX_RANK - begin.length;
  const start = new Array<number>(MAX_RANK).fill(0);
  const stop = [...shape5];
  let count = 1;
  for (let d = offset; d < MAX_RANK; d++) {
    const b = begin[d - offset]!;
    const s = size[d - offset]!;
    const end = s === -1 ? shape5[d]! : b + s;
    if (b < 0 || end < b || end > shape5[d]!) {
      throw new Err(`SLICE: begin ${b} with size ${s} is outside dimension ${d - offset} of size ${shape5[d]}`);
    }
    start[d] = b;
    stop[d] = end;
    count *= end - b;
  }
  if (count !== outputCount) {
    throw new Err(`SLICE: the slice has ${count} elements, the output ${outputCount}`);
  }
  return { start, stop };
}

function numbersOf(values: TypedArray): number[] {
  return Array.from(values as ArrayLike<number | bigint>, (v) => Number(v));
}

export const slice: Kernel<SlicePrepared> = {
  prepare(ctx) {
    const [input, begin, size] = requireInputs(ctx, 3) as [TensorDef, TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("SLICE", input, "input", ["float32", "int32", "int8", "int16", "bool"]);
    requireSameType("SLICE", input, "input", output, "output");
    requireType("SLICE", begin, "begin", ["int32", "int64"]);
    requireSameType("SLICE", begin, "begin", size, "size");
    const rank = input.shape.length;
    if (rank > MAX_RANK) throw new KernelError(`SLICE: input rank ${rank} is above ${MAX_RANK}`);
    if (begin.shape.length !== 1 || size.shape.length !== 1) {
      throw new KernelError(`SLICE: begin [${begin.shape}] and size [${size.shape}] must be 1-D`);
    }
    if (begin.elementCount !== rank || size.elementCount !== rank) {
      throw new KernelError(`SLICE: begin and size need ${rank} values (the input rank), have ${begin.elementCount}`);
    }
    const shape = extendShape(input.shape, MAX_RANK);
    const window =
      begin.data && size.data
        ? sliceWindow(
            shape,
            constantIntegers("SLICE", begin, "begin"),
            constantIntegers("SLICE", size, "size"),
            output.elementCount,
            KernelError,
          )
        : null;
    return { shape, outputCount: output.elementCount, window };
  },

  eval(p, io) {
    const window =
      p.window ?? sliceWindow(p.shape, numbersOf(io.inputs[1]!), numbersOf(io.inputs[2]!), p.outputCount, InputError);
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    const [, d1, d2, d3, d4] = p.shape as [number, number, number, number, number];
    const { start, stop } = window;
    let o = 0;
    for (let i0 = start[0]!; i0 < stop[0]!; i0++) {
      for (let i1 = start[1]!; i1 < stop[1]!; i1++) {
        for (let i2 = start[2]!; i2 < stop[2]!; i2++) {
          for (let i3 = start[3]!; i3 < stop[3]!; i3++) {
            const base = (((i0 * d1 + i1) * d2 + i2) * d3 + i3) * d4;
            for (let i4 = start[4]!; i4 < stop[4]!; i4++) output[o++] = input[base + i4]!;
          }
        }
      }
    }
  },
};
