/**
 * What the "more ops" kernels (ABS … L2_POOL_2D) share and the older shared modules do not already offer: the
 * float32 one-in-one-out kernel shape (SIN, LOG, FLOOR …), the rank limit of TFLM's 4-D broadcasting helpers,
 * and reading small constant operands of either integer width. Broadcast planning, operand checks and
 * fixed-point math stay in broadcast.ts, elementwise-common.ts, data-common.ts and fixed-point.ts.
 */
import { InputError, KernelError } from "../errors.js";
import type { DType, TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import type { BroadcastPlan } from "./broadcast.js";
import { constantInt32, planReduce, reduceIndexMap } from "./data-common.js";
import {
  type BinaryOperands,
  binaryOperands,
  binaryPlan,
  mapBinary,
  quantizeMultiplierBelowOne,
  quantParams,
  requireSameTypes,
  requireType,
  unaryOperands,
} from "./elementwise-common.js";
import { type Requantizer, requantize, requantizer } from "./fixed-point.js";

/** True when both shapes have the same rank and dimensions. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * A float32-only elementwise kernel: output[i] = f(input[i]), stored through a Float32Array so each result is
 * rounded to float as the C++ float function returns it. TFLM's CEIL and ROUND also demand identical shapes.
 */
export function float32UnaryKernel(opName: string, f: (x: number) => number): Kernel<null> {
  return {
    prepare(ctx) {
      const { input, out } = unaryOperands(ctx, opName);
      requireType(opName, "input", input.dtype, ["float32"]);
      if (!shapesEqual(input.shape, out.shape)) {
        throw new KernelError(`${opName}: output shape [${out.shape}] differs from input shape [${input.shape}]`);
      }
      return null;
    },
    eval(_p, io) {
      const x = io.inputs[0] as Float32Array;
      const y = io.outputs[0] as Float32Array;
      for (let i = 0; i < x.length; i++) y[i] = f(x[i]!);
    },
  };
}

/**
 * The broadcast plan of a binary op whose TFLM kernel broadcasts with the 4-D reference helpers
 * (BroadcastBinaryFunction4DSlow, Broadcast4DSlowComparison…): equal shapes may have any rank, broadcasting
 * shapes at most 4 dimensions.
 */
export function plan4D(opName: string, operands: BinaryOperands): BroadcastPlan {
  const { a, b, out } = operands;
  if (!shapesEqual(a.shape, b.shape) && Math.max(a.shape.length, b.shape.length, out.shape.length) > 4) {
    throw new KernelError(`${opName}: broadcasting is supported up to rank 4, not [${a.shape}] with [${b.shape}]`);
  }
  return binaryPlan(opName, operands);
}

/** Two inputs and one output of one type among `types`, broadcast up to rank 4. */
function sameTypePlan4D(ctx: NodeContext, opName: string, types: readonly DType[]): BroadcastPlan {
  const operands = binaryOperands(ctx, opName);
  requireType(opName, "input", operands.a.dtype, types);
  requireSameTypes(opName, [operands.a, operands.b, operands.out]);
  return plan4D(opName, operands);
}

/**
 * A float32-only binary kernel with TFLM's 4-D broadcasting: out = f(a, b), rounded to float32 on store.
 * `rejectZeroDivisor` makes any 0 in the second input fail the invocation, as FLOOR_DIV checks before dividing.
 */
export function float32BinaryKernel(
  opName: string,
  f: (x: number, y: number) => number,
  rejectZeroDivisor = false,
): Kernel<BroadcastPlan> {
  return {
    prepare(ctx) {
      return sameTypePlan4D(ctx, opName, ["float32"]);
    },
    eval(plan, io) {
      const a = io.inputs[0] as Float32Array;
      const b = io.inputs[1] as Float32Array;
      if (rejectZeroDivisor && b.includes(0)) throw new InputError(`${opName}: division by 0`);
      mapBinary(plan, a, b, io.outputs[0] as Float32Array, f);
    },
  };
}

/** The values of a constant int32 or int64 tensor as numbers (shape operands, multiples, axes). */
export function constantIntegers(opName: string, t: TensorDef, role: string): number[] {
  if (!t.data) throw new KernelError(`${opName}: non-constant ${role} tensor is not supported`);
  if (t.dtype !== "int32" && t.dtype !== "int64") {
    throw new KernelError(`${opName}: ${role} type ${t.dtype} is not supported (int32, int64)`);
  }
  // A DataView needs no alignment, which int64 views of a flatbuffer's bytes would.
  const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const values: number[] = [];
  for (let i = 0; i < t.elementCount; i++) {
    if (t.dtype === "int32") {
      values.push(view.getInt32(4 * i, true));
      continue;
    }
    const v = view.getBigInt64(8 * i, true);
    if (v >= 2n ** 31n || v < -(2n ** 31n)) throw new KernelError(`${opName}: ${role} value ${v} is out of range`);
    values.push(Number(v));
  }
  return values;
}

// ---- LOGICAL_AND and LOGICAL_OR (TFLM logical.cc) ----

/** A bool-only binary kernel; `f` combines two 0/1 bytes (any non-zero byte reads as true). */
export function logicalKernel(opName: string, f: (x: number, y: number) => number): Kernel<BroadcastPlan> {
  return {
    prepare(ctx) {
      return sameTypePlan4D(ctx, opName, ["bool"]);
    },
    eval(plan, io) {
      const a = io.inputs[0] as Uint8Array;
      const b = io.inputs[1] as Uint8Array;
      mapBinary(plan, a, b, io.outputs[0] as Uint8Array, (x, y) => f(x ? 1 : 0, y ? 1 : 0));
    },
  };
}

// ---- Comparisons (TFLM comparisons.cc, reference comparisons.h) ----

/** A quantized comparison operand: (q - zero_point) · 2^8 scaled by its own scale (which must be below 1). */
export interface ComparisonScaling {
  offset: number;
  scale: Requantizer;
}

const COMPARISON_LEFT_SHIFT = 8;

function comparisonScaling(opName: string, t: TensorDef, role: string): ComparisonScaling {
  const q = quantParams(t, role, opName);
  const m = quantizeMultiplierBelowOne(opName, q.scale);
  return { offset: -q.zeroPoint, scale: requantizer(m.multiplier, m.shift) };
}

function scaledOperand(s: ComparisonScaling, q: number): number {
  return requantize((q + s.offset) << COMPARISON_LEFT_SHIFT, s.scale);
}

export type ComparisonPrepared = {
  plan: BroadcastPlan;
  /** Quantized operands: each input's scaled value per raw value (int8), or the scalings (int16). */
  tablesA: Int32Array | null;
  tablesB: Int32Array | null;
  scalingA: ComparisonScaling | null;
  scalingB: ComparisonScaling | null;
};

/**
 * EQUAL … LESS_EQUAL: a bool output with 4-D broadcasting. float32/int32/int64 (and bool, for the equalities)
 * compare raw values; int8 (and int16, where the op allows it) compare both inputs rescaled to real units in
 * fixed point, as TFLM's *WithScaling functions do, so operands with different quantizations compare correctly.
 */
export function comparisonKernel(
  opName: string,
  types: readonly DType[],
  compare: (x: number | bigint, y: number | bigint) => boolean,
): Kernel<ComparisonPrepared> {
  return {
    prepare(ctx) {
      const operands = binaryOperands(ctx, opName);
      const { a, b, out } = operands;
      requireType(opName, "input", a.dtype, types);
      if (b.dtype !== a.dtype) throw new KernelError(`${opName}: input types differ (${a.dtype}, ${b.dtype})`);
      requireType(opName, "output", out.dtype, ["bool"]);
      const plan = plan4D(opName, operands);
      if (a.dtype !== "int8" && a.dtype !== "int16") {
        return { plan, tablesA: null, tablesB: null, scalingA: null, scalingB: null };
      }
      const scalingA = comparisonScaling(opName, a, "input 1");
      const scalingB = comparisonScaling(opName, b, "input 2");
      if (a.dtype === "int16") return { plan, tablesA: null, tablesB: null, scalingA, scalingB };
      const tablesA = new Int32Array(256);
      const tablesB = new Int32Array(256);
      for (let v = -128; v < 128; v++) {
        tablesA[v + 128] = scaledOperand(scalingA, v);
        tablesB[v + 128] = scaledOperand(scalingB, v);
      }
      return { plan, tablesA, tablesB, scalingA: null, scalingB: null };
    },
    eval(p, io) {
      const a = io.inputs[0] as TypedArray as Float32Array;
      const b = io.inputs[1] as TypedArray as Float32Array;
      const out = io.outputs[0] as Uint8Array;
      const { runLength, runCount, strideA, strideB, startsA, startsB } = p.plan;
      const { tablesA, tablesB, scalingA, scalingB } = p;
      let o = 0;
      for (let r = 0; r < runCount; r++) {
        let ia = startsA[r]!;
        let ib = startsB[r]!;
        for (let i = 0; i < runLength; i++) {
          let x: number | bigint = a[ia]!;
          let y: number | bigint = b[ib]!;
          if (tablesA && tablesB) {
            x = tablesA[(x as number) + 128]!;
            y = tablesB[(y as number) + 128]!;
          } else if (scalingA && scalingB) {
            x = scaledOperand(scalingA, x as number);
            y = scaledOperand(scalingB, y as number);
          }
          out[o++] = compare(x, y) ? 1 : 0;
          ia += strideA;
          ib += strideB;
        }
      }
    },
  };
}

// ---- Broadcasting onto a given output shape (SELECT_V2, BROADCAST_TO) ----

/**
 * For each output element (row-major), the index of the input element it reads when `inputShape` broadcasts to
 * `outputShape` (right-aligned, size-1 dimensions repeat). Throws when the shapes do not broadcast that way.
 */
export function broadcastIndexMap(
  opName: string,
  inputShape: readonly number[],
  outputShape: readonly number[],
): Int32Array {
  const rank = outputShape.length;
  if (inputShape.length > rank) {
    throw new KernelError(`${opName}: input shape [${inputShape}] has more dimensions than output [${outputShape}]`);
  }
  const padded = [...new Array<number>(rank - inputShape.length).fill(1), ...inputShape];
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (padded[d] !== outputShape[d] && padded[d] !== 1) {
      throw new KernelError(`${opName}: shape [${inputShape}] does not broadcast to [${outputShape}]`);
    }
    strides[d] = padded[d] === 1 ? 0 : stride;
    stride *= padded[d]!;
  }
  const total = outputShape.reduce((n, d) => n * d, 1);
  const map = new Int32Array(total);
  const counter = new Array<number>(rank).fill(0);
  let index = 0;
  for (let i = 0; i < total; i++) {
    map[i] = index;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]! += 1;
      index += strides[d]!;
      if (counter[d]! < outputShape[d]!) break;
      index -= strides[d]! * outputShape[d]!;
      counter[d] = 0;
    }
  }
  return map;
}

// ---- ARG_MAX and ARG_MIN (TFLM arg_min_max.cc, reference ArgMinMax) ----

export interface ArgMinMaxPrepared {
  rank: number;
  inputShape: number[];
  outputCount: number;
  /** Resolved axis when the axis tensor is constant; -1 to read it per invocation. */
  constantAxis: number;
}

function argMinMaxAxis(
  opName: string,
  raw: number,
  p: ArgMinMaxPrepared,
  Err: typeof KernelError | typeof InputError,
): number {
  const axis = raw < 0 ? raw + p.rank : raw;
  if (axis < 0 || axis >= p.rank) throw new Err(`${opName}: axis ${raw} is out of range for rank ${p.rank}`);
  const expected = p.inputShape.filter((_, d) => d !== axis).reduce((n, d) => n * d, 1);
  if (expected !== p.outputCount) {
    throw new Err(`${opName}: output has ${p.outputCount} elements, reducing axis ${axis} gives ${expected}`);
  }
  return axis;
}

/**
 * ARG_MAX / ARG_MIN: the index of the first largest (smallest) value along one axis, for float32 and int8 inputs,
 * an int32 axis and an int32 output. `better(candidate, best)` is TFLM's strict comparison, so ties and a NaN in
 * first place keep the earlier index.
 */
export function argMinMaxKernel(
  opName: string,
  better: (candidate: number, best: number) => boolean,
): Kernel<ArgMinMaxPrepared> {
  return {
    prepare(ctx) {
      const [input, axis] = ctx.inputs;
      const out = ctx.outputs[0];
      if (ctx.inputs.length !== 2 || !input || !axis || ctx.outputs.length !== 1 || !out) {
        throw new KernelError(`${opName}: needs 2 inputs (input, axis) and 1 output`);
      }
      requireType(opName, "input", input.dtype, ["float32", "int8"]);
      requireType(opName, "axis", axis.dtype, ["int32"]);
      requireType(opName, "output", out.dtype, ["int32"]);
      if (input.shape.length === 0) throw new KernelError(`${opName}: input must have at least one dimension`);
      if (axis.elementCount < 1) throw new KernelError(`${opName}: axis tensor is empty`);
      const p: ArgMinMaxPrepared = {
        rank: input.shape.length,
        inputShape: [...input.shape],
        outputCount: out.elementCount,
        constantAxis: -1,
      };
      if (axis.data) {
        const raw = new DataView(axis.data.buffer, axis.data.byteOffset, 4).getInt32(0, true);
        p.constantAxis = argMinMaxAxis(opName, raw, p, KernelError);
      }
      return p;
    },
    eval(p, io) {
      const input = io.inputs[0] as Float32Array;
      const out = io.outputs[0] as Int32Array;
      const axis =
        p.constantAxis >= 0 ? p.constantAxis : argMinMaxAxis(opName, io.inputs[1]![0] as number, p, InputError);
      const axisSize = p.inputShape[axis]!;
      let inner = 1;
      for (let d = axis + 1; d < p.rank; d++) inner *= p.inputShape[d]!;
      const outer = p.outputCount / inner;
      if (axisSize === 0) return;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = o * axisSize * inner + i;
          let best = input[base]!;
          let bestIndex = 0;
          for (let k = 1; k < axisSize; k++) {
            const v = input[base + k * inner]!;
            if (better(v, best)) {
              best = v;
              bestIndex = k;
            }
          }
          out[o * inner + i] = bestIndex;
        }
      }
    },
  };
}

// ---- REDUCE_MAX, REDUCE_MIN and REDUCE_ALL (TFLM reduce_common.cc, reference ReduceGeneric) ----

export interface ReduceFoldPrepared {
  indexMap: Int32Array;
  initial: number;
}

/**
 * A reduction that folds each input element into its output with `fold(current, input)`, starting from
 * `initial(dtype)` (TFLM starts max at the type's lowest value, so an all -inf float32 slice gives -FLT_MAX).
 * int8 needs identical input and output quantization, as TFLM checks; the axis must be a constant.
 */
export function reduceFoldKernel(
  opName: string,
  types: readonly DType[],
  initial: (dtype: DType) => number,
  fold: (current: number, input: number) => number,
): Kernel<ReduceFoldPrepared> {
  return {
    prepare(ctx) {
      const [input, axis] = ctx.inputs;
      const out = ctx.outputs[0];
      if (ctx.inputs.length !== 2 || !input || !axis || ctx.outputs.length !== 1 || !out) {
        throw new KernelError(`${opName}: needs 2 inputs (input, axis) and 1 output`);
      }
      requireType(opName, "input", input.dtype, types);
      if (out.dtype !== input.dtype) {
        throw new KernelError(`${opName}: input type ${input.dtype} differs from output type ${out.dtype}`);
      }
      if (input.dtype === "int8") {
        const qi = quantParams(input, "input", opName);
        const qo = quantParams(out, "output", opName);
        if (qi.scale !== qo.scale || qi.zeroPoint !== qo.zeroPoint) {
          throw new KernelError(`${opName}: int8 input and output must share scale and zero point`);
        }
      }
      const plan = planReduce(opName, input, constantInt32(opName, axis, "axis"), out);
      return { indexMap: reduceIndexMap(plan), initial: initial(input.dtype) };
    },
    eval(p, io) {
      const x = io.inputs[0] as Float32Array;
      const y = io.outputs[0] as Float32Array;
      y.fill(p.initial);
      const map = p.indexMap;
      for (let i = 0; i < map.length; i++) {
        const o = map[i]!;
        y[o] = fold(y[o]!, x[i]!);
      }
    },
  };
}
