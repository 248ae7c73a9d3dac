/**
 * Helpers shared by the data-movement and reduction kernels (QUANTIZE … BATCH_MATMUL): tensor checks that name
 * the op, constant int32 operands (axes, paddings, sizes), element copies that work for every typed array, and
 * the reduce-over-axes plan MEAN and SUM share, and the operand checks of SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND.
 * Nothing here knows about sessions or the arena.
 */

import { InputError, KernelError } from "../errors.js";
import type { DType, TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from "./fixed-point.js";

/** The first `count` inputs, each required to be present. */
export function requireInputs(ctx: NodeContext, count: number): TensorDef[] {
  const name = ctx.node.opName;
  if (ctx.inputs.length !== count) {
    throw new KernelError(`${name}: expects ${count} inputs, got ${ctx.inputs.length}`);
  }
  return ctx.inputs.map((t, k) => {
    if (!t) throw new KernelError(`${name}: input ${k} is missing`);
    return t;
  });
}

export function requireOutputs(ctx: NodeContext, count: number): TensorDef[] {
  if (ctx.outputs.length !== count) {
    throw new KernelError(`${ctx.node.opName}: expects ${count} outputs, got ${ctx.outputs.length}`);
  }
  return ctx.outputs;
}

export function requireType(opName: string, tensor: TensorDef, role: string, allowed: readonly DType[]): void {
  if (!allowed.includes(tensor.dtype)) {
    throw new KernelError(`${opName}: ${role} type ${tensor.dtype} is not supported (${allowed.join(", ")})`);
  }
}

export function requireSameType(opName: string, a: TensorDef, aRole: string, b: TensorDef, bRole: string): void {
  if (a.dtype !== b.dtype) {
    throw new KernelError(`${opName}: ${aRole} type ${a.dtype} differs from ${bRole} type ${b.dtype}`);
  }
}

/** TFLM's params.scale: the per-tensor (first) scale, 0 for tensors without quantization. */
export function scaleOf(t: TensorDef): number {
  return t.quantization?.scale[0] ?? 0;
}

/** TFLM's params.zero_point: the per-tensor (first) zero point, 0 for tensors without quantization. */
export function zeroPointOf(t: TensorDef): number {
  return t.quantization?.zeroPoint[0] ?? 0;
}

/**
 * The values of a constant int32 operand (axis, paddings, begin/end/strides, sizes). TFLM needs these at
 * prepare time because output shapes are fixed by the converter.
 */
export function constantInt32(opName: string, t: TensorDef, role: string): Int32Array {
  if (!t.data) throw new KernelError(`${opName}: non-constant ${role} tensor is not supported`);
  if (t.dtype !== "int32") throw new KernelError(`${opName}: ${role} type ${t.dtype} is not supported (int32)`);
  return new Int32Array(t.data.buffer, t.data.byteOffset, t.elementCount);
}

/** A negative axis counts from the end; throws when the axis is outside [0, rank). */
export function resolveAxis(opName: string, axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) {
    throw new KernelError(`${opName}: axis ${axis} is out of range for rank ${rank}`);
  }
  return resolved;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Product of dims[from..to). */
export function dimsProduct(dims: readonly number[], from = 0, to = dims.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= dims[i]!;
  return n;
}

/** Left-pads a shape with 1s to `rank` dimensions (TFLite's RuntimeShape::ExtendedShape). */
export function extendShape(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Element-wise view that lets one loop move values of any typed array (numbers or bigints alike). */
type Elements = { [index: number]: number };
type Settable = {
  set(src: ArrayLike<number>, offset: number): void;
  subarray(a: number, b: number): ArrayLike<number>;
};

/** Copies `length` elements between two arrays of the same type: a loop for short runs, a block copy otherwise. */
export function copyRun(dst: TypedArray, dstOffset: number, src: TypedArray, srcOffset: number, length: number): void {
  if (length < 16) {
    const d = dst as unknown as Elements;
    const s = src as unknown as Elements;
    for (let i = 0; i < length; i++) d[dstOffset + i] = s[srcOffset + i]!;
    return;
  }
  (dst as unknown as Settable).set((src as unknown as Settable).subarray(srcOffset, srcOffset + length), dstOffset);
}

/**
 * A reduction over a set of axes, as TFLM's reference Reduce walks it: input elements in row-major order, each
 * added into the output element addressed by its non-reduced coordinates (keep_dims changes only the shape).
 */
export interface ReducePlan {
  inputShape: number[];
  /** Per input dimension, the output stride of that coordinate (0 for reduced axes). */
  outputStrides: number[];
  outputCount: number;
  /** How many input elements fold into each output (TFLM's num_elements_in_axis). */
  elementsPerOutput: number;
}

/** Resolves and de-duplicates the axes (TFLM ResolveAxis) and checks the output's element count. */
export function planReduce(opName: string, input: TensorDef, axisValues: Int32Array, output: TensorDef): ReducePlan {
  const rank = input.shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  // TFLM ignores the axes of a scalar input.
  for (const a of rank === 0 ? [] : axisValues) {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank) throw new KernelError(`${opName}: axis ${a} is out of range for rank ${rank}`);
    reduced[axis] = true;
  }
  const outputStrides = new Array<number>(rank).fill(0);
  let stride = 1;
  let elementsPerOutput = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (reduced[d]) {
      elementsPerOutput *= input.shape[d]!;
    } else {
      outputStrides[d] = stride;
      stride *= input.shape[d]!;
    }
  }
  const outputCount = rank === 0 ? 1 : stride;
  if (output.elementCount !== outputCount) {
    throw new KernelError(
      `${opName}: output [${output.shape}] has ${output.elementCount} elements, reducing [${input.shape}] over axes [${[...axisValues]}] gives ${outputCount}`,
    );
  }
  return { inputShape: [...input.shape], outputStrides, outputCount, elementsPerOutput };
}

/** The output index of every input element in row-major order; built once in prepare so eval is one pass. */
export function reduceIndexMap(plan: ReducePlan): Int32Array {
  const shape = plan.inputShape;
  const rank = shape.length;
  const total = dimsProduct(shape);
  const map = new Int32Array(total);
  if (total === 0) return map;
  const counter = new Array<number>(rank).fill(0);
  let out = 0;
  for (let i = 0; i < total; i++) {
    map[i] = out;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]! += 1;
      out += plan.outputStrides[d]!;
      if (counter[d]! < shape[d]!) break;
      out -= plan.outputStrides[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
  return map;
}

export interface MeanOrSumPrepared {
  kind: "float" | "integer";
  /** Output index of each input element. */
  indexMap: Int32Array;
  outputCount: number;
  elementsPerOutput: number;
  /** Empty input: TFLM leaves every output 0. */
  empty: boolean;
  inputZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
  accumulatorScratch: number;
}

/**
 * MEAN and SUM as TFLM's reduce.cc runs them. float32 accumulates in float32 in input order (MEAN then divides
 * by the element count in float32). int8/int16 accumulate raw values in a wrapping int32, subtract
 * zero_point × count, and requantize with input_scale / output_scale — for MEAN with the 1/count factor folded
 * into the multiplier the way TFLM's QuantizedMeanOrSum does, so the rounding matches bit for bit.
 */
export function meanOrSumKernel(computeSum: boolean): Kernel<MeanOrSumPrepared> {
  return {
    prepare(ctx) {
      const name = ctx.node.opName;
      const [input, axis] = requireInputs(ctx, 2);
      const [output] = requireOutputs(ctx, 1);
      requireType(name, input!, "input", ["float32", "int8", "int16"]);
      requireSameType(name, input!, "input", output!, "output");
      const plan = planReduce(name, input!, constantInt32(name, axis!, "axis"), output!);
      const integer = input!.dtype !== "float32";
      let multiplier = 0;
      let shift = 0;
      if (integer) {
        ({ multiplier, shift } = quantizeMultiplier(scaleOf(input!) / scaleOf(output!)));
        const count = plan.elementsPerOutput;
        if (!computeSum && count > 0) {
          // Fold 1/count into the multiplier: scale it up by 2^floor(log2 count), divide, lower the shift.
          const log2Count = count.toString(2).length - 1;
          const extra = Math.min(log2Count, 32, 31 + shift);
          multiplier = Number((BigInt(multiplier) << BigInt(extra)) / BigInt(count));
          shift -= extra;
        }
      }
      const [min, max] = integer ? integerRange(input!.dtype) : [0, 0];
      return {
        kind: integer ? "integer" : "float",
        indexMap: reduceIndexMap(plan),
        outputCount: plan.outputCount,
        elementsPerOutput: plan.elementsPerOutput,
        empty: input!.elementCount === 0,
        inputZeroPoint: zeroPointOf(input!),
        outputZeroPoint: zeroPointOf(output!),
        multiplier,
        shift,
        min: min!,
        max: max!,
        accumulatorScratch: integer ? ctx.requestScratch(4 * plan.outputCount) : -1,
      };
    },

    eval(p, io) {
      const input = io.inputs[0]! as Float32Array;
      const map = p.indexMap;
      if (p.kind === "float") {
        const output = io.outputs[0]! as Float32Array;
        output.fill(0);
        if (p.empty) return;
        // Each Float32Array store rounds the running sum to float32, as the C++ accumulator does.
        for (let i = 0; i < map.length; i++) output[map[i]!] += input[i]!;
        if (!computeSum && p.elementsPerOutput > 0) {
          const count = Math.fround(p.elementsPerOutput);
          for (let o = 0; o < p.outputCount; o++) output[o] = output[o]! / count;
        }
        return;
      }
      const output = io.outputs[0]! as Int16Array;
      output.fill(0);
      if (p.empty || p.elementsPerOutput === 0) return;
      const scratch = io.scratch[p.accumulatorScratch]!;
      const sums = new Int32Array(scratch.buffer, scratch.byteOffset, p.outputCount);
      sums.fill(0);
      // Int32Array stores wrap, like TFLM's int32 accumulator.
      for (let i = 0; i < map.length; i++) sums[map[i]!] += input[i]!;
      const { multiplier, shift, min, max, outputZeroPoint } = p;
      const zeroPointTotal = p.inputZeroPoint * p.elementsPerOutput;
      for (let o = 0; o < p.outputCount; o++) {
        const centered = (sums[o]! - zeroPointTotal) | 0;
        const value = (multiplyByQuantizedMultiplier(centered, multiplier, shift) + outputZeroPoint) | 0;
        output[o] = Math.min(max, Math.max(min, value));
      }
    },
  };
}

// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND: the same operands (block_shape and paddings or crops, read when the op
// runs as in TFLM) over 3-D (NHC) or 4-D (NHWC) tensors, with 3-D tensors viewed as N×H×1×C.

export type Nhwc = [number, number, number, number];

export interface BlockRearrangement {
  input: Nhwc;
  output: Nhwc;
  fourD: boolean;
  /** [blockHeight, blockWidth, leadingHeight, leadingWidth] when block_shape and the paddings/crops are constants. */
  constant: number[] | null;
}

function extendNhc(shape: readonly number[]): Nhwc {
  return shape.length === 4 ? (shape as Nhwc) : [shape[0]!, shape[1]!, 1, shape[2]!];
}

/** Block sizes and the leading paddings (or crops); rejects block sizes that would divide by zero. */
function blockParams(
  opName: string,
  block: ArrayLike<number>,
  amounts: ArrayLike<number>,
  fourD: boolean,
  Err: typeof KernelError | typeof InputError,
): number[] {
  const blockHeight = Number(block[0]);
  const blockWidth = fourD ? Number(block[1]) : 1;
  if (!(blockHeight >= 1 && blockWidth >= 1)) {
    throw new Err(`${opName}: block shape ${blockHeight}×${blockWidth} must be positive`);
  }
  return [blockHeight, blockWidth, Number(amounts[0]), fourD ? Number(amounts[2]) : 0];
}

/** The checks both ops make in Prepare; `amountsRole` names the third input ("paddings" or "crops"). */
export function prepareBlockRearrangement(ctx: NodeContext, op: string, amountsRole: string): BlockRearrangement {
  const [input, block, amounts] = requireInputs(ctx, 3) as [TensorDef, TensorDef, TensorDef];
  const [output] = requireOutputs(ctx, 1) as [TensorDef];
  requireType(op, input, "input", ["float32", "int8"]);
  requireSameType(op, input, "input", output, "output");
  requireType(op, block, "block shape", ["int32"]);
  requireType(op, amounts, amountsRole, ["int32"]);
  const rank = input.shape.length;
  if (rank < 3 || rank > 4 || output.shape.length !== rank) {
    throw new KernelError(`${op}: input [${input.shape}] and output [${output.shape}] must both be 3-D or 4-D`);
  }
  const fourD = rank === 4;
  if (block.elementCount < (fourD ? 2 : 1) || amounts.elementCount < (fourD ? 3 : 1)) {
    throw new KernelError(`${op}: block shape or ${amountsRole} have too few values for rank ${rank}`);
  }
  const inShape = extendNhc(input.shape);
  const outShape = extendNhc(output.shape);
  if (inShape[3] !== outShape[3]) {
    throw new KernelError(`${op}: output depth ${outShape[3]} differs from input depth ${inShape[3]}`);
  }
  const constant =
    block.data && amounts.data
      ? blockParams(
          op,
          new Int32Array(block.data.buffer, block.data.byteOffset, block.elementCount),
          new Int32Array(amounts.data.buffer, amounts.data.byteOffset, amounts.elementCount),
          fourD,
          KernelError,
        )
      : null;
  return { input: inShape, output: outShape, fourD, constant };
}

/** block_shape and the paddings or crops for one call: the prepared constants, or the live tensors. */
export function evalBlockParams(
  opName: string,
  p: BlockRearrangement,
  inputs: readonly (TypedArray | null)[],
): [number, number, number, number] {
  return (p.constant ?? blockParams(opName, inputs[1] as Int32Array, inputs[2] as Int32Array, p.fourD, InputError)) as [
    number,
    number,
    number,
    number,
  ];
}
