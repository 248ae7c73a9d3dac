/**
 * REVERSE_V2 (TFLM reverse.cc, reference Reverse): reverses a tensor along a set of axes that, once sorted,
 * must be contiguous (TFLM's limit), for float32, int32, int16, int8, uint8, int64 and bool. Reversing axes
 * [first, last] reverses the order of the blocks they span, each block (the dimensions after `last`) kept
 * intact. The axes may be a constant (resolved in prepare) or computed by the model (checked per invocation).
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import {
  copyRun,
  dimsProduct,
  requireInputs,
  requireOutputs,
  requireSameType,
  requireType,
  sameShape,
} from "./data-common.js";

/** TFLM's RuntimeShape::kMaxSmallSize. */
const MAX_RANK = 6;

/** outer × middle blocks of `inner` elements; the middle blocks are written in reverse order. */
interface ReverseLayout {
  outer: number;
  middle: number;
  inner: number;
}

interface ReversePrepared {
  shape: number[];
  layout: ReverseLayout | null;
}

function reverseLayout(shape: readonly number[], axes: ArrayLike<number>, Err: typeof KernelError | typeof InputError) {
  const rank = shape.length;
  const resolved = Array.from(axes, (a) => {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank) throw new Err(`REVERSE_V2: axis ${a} is out of range for rank ${rank}`);
    return axis;
  }).sort((a, b) => a - b);
  for (let i = 1; i < resolved.length; i++) {
    if (resolved[i - 1]! + 1 !== resolved[i])
      throw new Err(`REVERSE_V2: axes [${Array.from(axes)}] are not contiguous`);
  }
  const first = resolved[0]!;
  const last = resolved[resolved.length - 1]!;
  return {
    outer: dimsProduct(shape, 0, first),
    middle: dimsProduct(shape, first, last + 1),
    inner: dimsProduct(shape, last + 1),
  };
}

export const reverseV2: Kernel<ReversePrepared> = {
  prepare(ctx) {
    const [input, axis] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("REVERSE_V2", input, "input", ["float32", "int32", "int16", "int8", "uint8", "int64", "bool"]);
    requireType("REVERSE_V2", axis, "axis", ["int32"]);
    requireSameType("REVERSE_V2", input, "input", output, "output");
    if (axis.shape.length !== 1) throw new KernelError(`REVERSE_V2: axis tensor [${axis.shape}] must be 1-D`);
    const rank = input.shape.length;
    if (rank > MAX_RANK) throw new KernelError(`REVERSE_V2: input rank ${rank} is above ${MAX_RANK}`);
    // TFLM reads the last axis of an empty list (out of bounds); an empty list is refused here.
    if (axis.elementCount < 1 || axis.elementCount > rank) {
      throw new KernelError(`REVERSE_V2: ${axis.elementCount} axes for an input of rank ${rank}`);
    }
    if (!sameShape(input.shape, output.shape)) {
      throw new KernelError(`REVERSE_V2: output shape [${output.shape}] differs from input [${input.shape}]`);
    }
    const layout = axis.data
      ? reverseLayout(
          input.shape,
          new Int32Array(axis.data.buffer, axis.data.byteOffset, axis.elementCount),
          KernelError,
        )
      : null;
    return { shape: [...input.shape], layout };
  },

  eval(p, io) {
    const { outer, middle, inner } = p.layout ?? reverseLayout(p.shape, io.inputs[1] as Int32Array, InputError);
    const input = io.inputs[0]!;
    const output = io.outputs[0] as TypedArray;
    for (let i = 0; i < outer; i++) {
      for (let j = 0; j < middle; j++) {
        copyRun(output, (i * middle + middle - 1 - j) * inner, input, (i * middle + j) * inner, inner);
      }
    }
  },
};
