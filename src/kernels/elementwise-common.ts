/**
 * What the elementwise kernels (ADD … EXP) share: operand checks with TFLM-style messages, fused-activation
 * ranges, quantization parameters of a tensor, the prepare and float32/int32 loops ADD, SUB, MUL and DIV have in
 * common, the loops over a broadcast plan, int8 lookup tables, the quantized ADD/SUB arithmetic (TFLM's
 * AddElementwise/SubElementwise), and LOGISTIC and TANH but for their functions.
 * Kernel-specific math stays in the kernels; general fixed-point helpers live in fixed-point.ts.
 */
import { KernelError } from "../errors.js";
import type { DType, TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import type { BroadcastPlan } from "./broadcast.js";
import { planBroadcast } from "./broadcast.js";
import {
  floatActivationRange,
  frexp,
  INT32_MAX,
  INT32_MIN,
  int16TableInputScaling,
  multiplyByQuantizedMultiplier,
  quantizedActivationRange,
  quantizeMultiplier,
  type Requantizer,
  requantize,
  requantizer,
  roundHalfAway,
} from "./fixed-point.js";

/** std::numeric_limits<float>::max(): TFLM's float clamps use it, not infinity, so ±inf saturates to it. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export interface BinaryOperands {
  a: TensorDef;
  b: TensorDef;
  out: TensorDef;
}

/** Checks a two-input, one-output node and returns its tensors. */
export function binaryOperands(ctx: NodeContext, opName: string): BinaryOperands {
  const [a, b] = ctx.inputs;
  const out = ctx.outputs[0];
  if (ctx.inputs.length !== 2 || !a || !b || ctx.outputs.length !== 1 || !out) {
    throw new KernelError(`${opName}: needs 2 inputs and 1 output`);
  }
  return { a, b, out };
}

/** Checks a one-input, one-output node whose output has the input's type and element count. */
export function unaryOperands(ctx: NodeContext, opName: string): { input: TensorDef; out: TensorDef } {
  const input = ctx.inputs[0];
  const out = ctx.outputs[0];
  if (ctx.inputs.length !== 1 || !input || ctx.outputs.length !== 1 || !out) {
    throw new KernelError(`${opName}: needs 1 input and 1 output`);
  }
  if (input.dtype !== out.dtype) {
    throw new KernelError(`${opName}: input type ${input.dtype} differs from output type ${out.dtype}`);
  }
  if (input.elementCount !== out.elementCount) {
    throw new KernelError(`${opName}: input [${input.shape}] and output [${out.shape}] have different element counts`);
  }
  return { input, out };
}

/** Throws unless `dtype` is one of `supported`, naming the op and the supported list. */
export function requireType(opName: string, what: string, dtype: DType, supported: readonly DType[]): void {
  if (!supported.includes(dtype)) {
    throw new KernelError(`${opName}: ${what} type ${dtype} is not supported (${supported.join(", ")})`);
  }
}

/** Throws unless every tensor has the type of the first. */
export function requireSameTypes(opName: string, tensors: readonly TensorDef[]): void {
  const first = tensors[0]!.dtype;
  for (const t of tensors) {
    if (t.dtype !== first) {
      throw new KernelError(`${opName}: tensor types differ (${tensors.map((x) => x.dtype).join(", ")})`);
    }
  }
}

/** The broadcast plan of a binary node. */
export function binaryPlan(opName: string, { a, b, out }: BinaryOperands): BroadcastPlan {
  return planBroadcast(opName, a.shape, b.shape, out.shape);
}

/** The node's fused activation; TANH and SIGN_BIT are not fused activations TFLM kernels implement. */
export function fusedActivation(ctx: NodeContext, opName: string): string {
  const activation = (ctx.node.options.fusedActivationFunction as string | undefined) ?? "NONE";
  if (!["NONE", "RELU", "RELU6", "RELU_N1_TO_1"].includes(activation)) {
    throw new KernelError(`${opName}: fused activation ${activation} is not supported`);
  }
  return activation;
}

/** TFLite CalculateActivationRange<float>: infinite bounds are float's largest finite value. */
export function float32ClampRange(activation: string): [number, number] {
  const [lo, hi] = floatActivationRange(activation);
  return [Math.max(lo, -FLOAT32_MAX), Math.min(hi, FLOAT32_MAX)];
}

/** TFLite CalculateActivationRange<int32_t>. */
export function int32ClampRange(activation: string): [number, number] {
  switch (activation) {
    case "RELU":
      return [0, INT32_MAX];
    case "RELU6":
      return [0, 6];
    case "RELU_N1_TO_1":
      return [-1, 1];
    default:
      return [INT32_MIN, INT32_MAX];
  }
}

/** The float32 and int32 kinds of ADD, SUB, MUL and DIV: the broadcast plan and the fused activation's clamp. */
export interface PlainArithmetic {
  kind: "float32" | "int32";
  plan: BroadcastPlan;
  min: number;
  max: number;
}

export interface ArithmeticSetup extends BinaryOperands {
  activation: string;
  plan: BroadcastPlan;
  /** The whole prepared state for a float32 or int32 output; null for a quantized one. */
  plain: PlainArithmetic | null;
}

/**
 * What ADD, SUB, MUL and DIV prepare alike: two inputs and one output, the `checked` tensor's type among
 * `supported`, equal types, the fused activation, the broadcast plan and, for float32 and int32, the clamp.
 */
export function prepareArithmetic(
  ctx: NodeContext,
  opName: string,
  checked: "input" | "output",
  supported: readonly DType[],
): ArithmeticSetup {
  const operands = binaryOperands(ctx, opName);
  const { a, b, out } = operands;
  requireType(opName, checked, (checked === "input" ? a : out).dtype, supported);
  requireSameTypes(opName, [a, b, out]);
  const activation = fusedActivation(ctx, opName);
  const plan = binaryPlan(opName, operands);
  let plain: PlainArithmetic | null = null;
  if (out.dtype === "float32") {
    const [min, max] = float32ClampRange(activation);
    plain = { kind: "float32", plan, min, max };
  } else if (out.dtype === "int32") {
    const [min, max] = int32ClampRange(activation);
    plain = { kind: "int32", plan, min, max };
  }
  return { ...operands, activation, plan, plain };
}

/** Per-tensor scale and zero point; throws for a tensor without quantization parameters. */
export function quantParams(t: TensorDef, what: string, opName = ""): { scale: number; zeroPoint: number } {
  const q = t.quantization;
  if (!q || q.scale.length === 0) {
    throw new KernelError(`${opName ? `${opName}: ` : ""}${what} tensor ${t.name} has no quantization parameters`);
  }
  return { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0] ?? 0 };
}

/** TFLite QuantizeMultiplierSmallerThanOneExp: the multiplier must lie in (0, 1). */
export function quantizeMultiplierBelowOne(opName: string, real: number): { multiplier: number; shift: number } {
  if (!(real > 0 && real < 1)) {
    throw new KernelError(`${opName}: rescaling factor ${real} is outside (0, 1); the quantization is unusable`);
  }
  return quantizeMultiplier(real);
}

/**
 * out[i] = op(a[..], b[..]) over a broadcast plan, for the less frequent paths; hot arithmetic has its own loops
 * (floatArithmetic, int32Arithmetic, evalAddSub) so that each operation's call site stays monomorphic.
 */
export function mapBinary<T>(
  plan: BroadcastPlan,
  a: ArrayLike<T>,
  b: ArrayLike<T>,
  out: { [index: number]: T },
  op: (x: T, y: T) => T,
): void {
  const { runLength, runCount, strideA, strideB, startsA, startsB } = plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    for (let i = 0; i < runLength; i++) {
      out[o++] = op(a[ia]!, b[ib]!);
      ia += strideA;
      ib += strideB;
    }
  }
}

export type Arithmetic = "add" | "sub" | "mul" | "div";

/**
 * float32 ADD/SUB/MUL/DIV with TFLM's clamp over a broadcast plan. One loop per operator so each stays
 * monomorphic; a float64 result rounded once to float32 equals the float32 operation for these four.
 */
export function floatArithmetic(
  op: Arithmetic,
  plan: BroadcastPlan,
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  min: number,
  max: number,
): void {
  const { runLength, runCount, strideA, strideB, startsA, startsB } = plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    const end = o + runLength;
    switch (op) {
      case "add":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = Math.fround(a[ia]! + b[ib]!);
          // biome-ignore lint/complexity/useMathMinMax: std::max/min order keeps -0 and NaN as in TFLM.
          out[o] = v < min ? min : v > max ? max : v;
        }
        break;
      case "sub":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = Math.fround(a[ia]! - b[ib]!);
          // biome-ignore lint/complexity/useMathMinMax: std::max/min order keeps -0 and NaN as in TFLM.
          out[o] = v < min ? min : v > max ? max : v;
        }
        break;
      case "mul":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = Math.fround(a[ia]! * b[ib]!);
          // biome-ignore lint/complexity/useMathMinMax: std::max/min order keeps -0 and NaN as in TFLM.
          out[o] = v < min ? min : v > max ? max : v;
        }
        break;
      case "div":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = Math.fround(a[ia]! / b[ib]!);
          // biome-ignore lint/complexity/useMathMinMax: std::max/min order keeps -0 and NaN as in TFLM.
          out[o] = v < min ? min : v > max ? max : v;
        }
        break;
    }
  }
}

/**
 * int32 ADD/SUB/MUL/DIV with a clamp over a broadcast plan: sums and products wrap as TFLM's do in practice,
 * division truncates toward zero (a float64 quotient of two int32s never rounds across an integer), and a zero
 * divisor gives 0 where C++ would trap.
 */
export function int32Arithmetic(
  op: Arithmetic,
  plan: BroadcastPlan,
  a: Int32Array,
  b: Int32Array,
  out: Int32Array,
  min: number,
  max: number,
): void {
  const { runLength, runCount, strideA, strideB, startsA, startsB } = plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    const end = o + runLength;
    switch (op) {
      case "add":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = (a[ia]! + b[ib]!) | 0;
          out[o] = Math.min(max, Math.max(min, v));
        }
        break;
      case "sub":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = (a[ia]! - b[ib]!) | 0;
          out[o] = Math.min(max, Math.max(min, v));
        }
        break;
      case "mul":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = Math.imul(a[ia]!, b[ib]!);
          out[o] = Math.min(max, Math.max(min, v));
        }
        break;
      case "div":
        for (; o < end; o++, ia += strideA, ib += strideB) {
          const v = (a[ia]! / b[ib]!) | 0;
          out[o] = Math.min(max, Math.max(min, v));
        }
        break;
    }
  }
}

/** The float32 and int32 kinds of ADD, SUB, MUL and DIV, as prepared by prepareArithmetic. */
export function evalPlainArithmetic(
  op: Arithmetic,
  p: PlainArithmetic,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
): void {
  if (p.kind === "float32") {
    floatArithmetic(op, p.plan, a as Float32Array, b as Float32Array, out as Float32Array, p.min, p.max);
  } else {
    int32Arithmetic(op, p.plan, a as Int32Array, b as Int32Array, out as Int32Array, p.min, p.max);
  }
}

/** A 256-entry table giving an int8 op's output for each input value, indexed by value + 128. */
export function int8Table(f: (value: number) => number): Int8Array {
  const table = new Int8Array(256);
  for (let v = -128; v < 128; v++) table[v + 128] = f(v);
  return table;
}

export function applyInt8Table(table: Int8Array, input: Int8Array, out: Int8Array): void {
  for (let i = 0; i < input.length; i++) out[i] = table[input[i]! + 128]!;
}

/**
 * The output of an int8 binary op for every input pair, at (a + 128) · 256 + (b + 128): 64 KiB built once in
 * prepare turns quantized ADD/SUB/MUL into one lookup per element, exact by construction.
 */
export function int8PairTable(f: (x: number, y: number) => number): Int8Array {
  const table = new Int8Array(65536);
  for (let x = -128; x < 128; x++) {
    for (let y = -128; y < 128; y++) table[((x + 128) << 8) | (y + 128)] = f(x, y);
  }
  return table;
}

export function applyInt8PairTable(table: Int8Array, plan: BroadcastPlan, a: Int8Array, b: Int8Array, out: Int8Array) {
  const { runLength, runCount, strideA, strideB, startsA, startsB } = plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    const end = o + runLength;
    for (; o < end; o++, ia += strideA, ib += strideB) out[o] = table[((a[ia]! + 128) << 8) | (b[ib]! + 128)]!;
  }
}

// ---- Quantized ADD and SUB (TFLM add_common.cc / sub_common.cc, reference AddElementwise/SubElementwise) ----

export interface AddSubParams {
  offsetA: number;
  offsetB: number;
  inputA: InputScaling;
  inputB: InputScaling;
  outputOffset: number;
  output: Requantizer;
  min: number;
  max: number;
  /** +1 for ADD, -1 for SUB. */
  signB: number;
  /** int8 only: see int8PairTable. */
  pairTable: Int8Array | null;
}

/**
 * Rescaling parameters shared by quantized ADD and SUB. TFLM's ADD derives them in double precision, its SUB
 * divides the float scales in float32 first (`float32Ratios`); the two can differ in the last bit of a
 * multiplier, which is why SUB results may differ by one from TFLite's.
 */
export function addSubParams(
  opName: string,
  { a, b, out }: BinaryOperands,
  activation: string,
  signB: 1 | -1,
  float32Ratios: boolean,
): AddSubParams {
  const qa = quantParams(a, "input 1", opName);
  const qb = quantParams(b, "input 2", opName);
  const qo = quantParams(out, "output", opName);
  // Inputs are shifted left by 20 (int8) or 15 (int16) bits before rescaling, keeping precision.
  const leftShift = out.dtype === "int16" ? 15 : 20;
  let realA: number;
  let realB: number;
  let realOut: number;
  if (float32Ratios) {
    const f = Math.fround;
    const twiceMax = f(2 * Math.max(qa.scale, qb.scale));
    realA = f(qa.scale / twiceMax);
    realB = f(qb.scale / twiceMax);
    realOut = f(twiceMax / f(2 ** leftShift * qo.scale));
  } else {
    const twiceMax = 2 * Math.max(qa.scale, qb.scale);
    realA = qa.scale / twiceMax;
    realB = qb.scale / twiceMax;
    realOut = twiceMax / (2 ** leftShift * qo.scale);
  }
  const ma = quantizeMultiplierBelowOne(opName, realA);
  const mb = quantizeMultiplierBelowOne(opName, realB);
  const mo = quantizeMultiplierBelowOne(opName, realOut);
  const [min, max] = quantizedActivationRange(activation, out.dtype, qo.scale, qo.zeroPoint);
  const params: AddSubParams = {
    offsetA: -qa.zeroPoint,
    offsetB: -qb.zeroPoint,
    inputA: inputScaling(ma.multiplier, ma.shift, leftShift),
    inputB: inputScaling(mb.multiplier, mb.shift, leftShift),
    outputOffset: qo.zeroPoint,
    output: requantizer(mo.multiplier, mo.shift),
    min,
    max,
    signB,
    pairTable: null,
  };
  if (out.dtype === "int8") params.pairTable = int8PairTable((x, y) => addSubElement(params, x, y));
  return params;
}

/** One element of quantized ADD/SUB: both inputs shifted left and rescaled, summed, requantized, clamped. */
function addSubElement(p: AddSubParams, x: number, y: number): number {
  const scaledA = scaleShiftedInput(p.offsetA + x, p.inputA);
  const scaledB = scaleShiftedInput(p.offsetB + y, p.inputB);
  const value = requantize((scaledA + p.signB * scaledB) | 0, p.output) + p.outputOffset;
  return Math.min(p.max, Math.max(p.min, value));
}

/** An ADD/SUB input rescaling: a Q31 multiplier below one, applied to value · 2^leftShift. */
export interface InputScaling {
  readonly multiplier: number;
  /** 2^(30 - leftShift) and 2^-(31 - leftShift): the rounding nudge and divisor with the left shift folded in. */
  readonly nudge: number;
  readonly inverseDivisor: number;
  readonly rightShift: number;
  readonly mask: number;
  readonly halfMask: number;
}

export function inputScaling(multiplier: number, shift: number, leftShift: number): InputScaling {
  const rightShift = -shift;
  const mask = (2 ** rightShift - 1) | 0;
  return {
    multiplier,
    nudge: 2 ** (30 - leftShift),
    inverseDivisor: 2 ** (leftShift - 31),
    rightShift,
    mask,
    halfMask: mask >> 1,
  };
}

/**
 * MultiplyByQuantizedMultiplierSmallerThanOneExp(value << leftShift, ...) for ADD/SUB's small values
 * (|value| < 2^16): value · multiplier < 2^47 is exact in float64, so the rounding high multiply is one floor.
 */
export function scaleShiftedInput(value: number, s: InputScaling): number {
  const product = value * s.multiplier;
  // gemmlowp's nudge is 2^30 for non-negative products and 1 - 2^30 (then truncation) for negative ones.
  const high =
    product >= 0
      ? Math.floor((product + s.nudge) * s.inverseDivisor)
      : -Math.floor((s.nudge - 1 - product) * s.inverseDivisor);
  return (high >> s.rightShift) + ((high & s.mask) > s.halfMask + (high < 0 ? 1 : 0) ? 1 : 0);
}

/** Quantized ADD/SUB over a broadcast plan: int8 through the pair table, int16 computed. */
export function evalAddSub(
  p: AddSubParams,
  plan: BroadcastPlan,
  a: Int8Array | Int16Array,
  b: Int8Array | Int16Array,
  out: Int8Array | Int16Array,
): void {
  if (p.pairTable) {
    applyInt8PairTable(p.pairTable, plan, a as Int8Array, b as Int8Array, out as Int8Array);
    return;
  }
  const { runLength, runCount, strideA, strideB, startsA, startsB } = plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    const end = o + runLength;
    for (; o < end; o++, ia += strideA, ib += strideB) out[o] = addSubElement(p, a[ia]!, b[ib]!);
  }
}

// ---- MAXIMUM and MINIMUM (TFLM maximum_minimum.cc): raw element comparison, quantization ignored ----

type Pick = <T extends number | bigint>(x: T, y: T) => T;

/** Builds MAXIMUM or MINIMUM: `pick` chooses between two elements with TFLM's exact ternary (NaN handling). */
export function maximumMinimumKernel(opName: string, pick: Pick): Kernel<BroadcastPlan> {
  return {
    prepare(ctx) {
      const operands = binaryOperands(ctx, opName);
      requireType(opName, "output", operands.out.dtype, ["float32", "int8", "int16", "int32", "int64"]);
      requireSameTypes(opName, [operands.a, operands.b, operands.out]);
      return binaryPlan(opName, operands);
    },
    eval(plan, io) {
      const [a, b] = io.inputs;
      mapBinary(plan, a as Float32Array, b as Float32Array, io.outputs[0] as Float32Array, pick);
    },
  };
}

// ---- LOGISTIC and TANH input scaling (TFLM logistic_common.cc, tanh.cc) ----

/**
 * TFLite CheckedLog2 in float32: log2(x) rounded, and whether x is within 1e-3 (in the exponent) of that power of
 * two. TFLM computes it as logf(x) · (1 / logf(2)).
 */
export function checkedLog2(x: number): { log2: number; isPowerOfTwo: boolean } {
  const f = Math.fround;
  const log2 = f(f(Math.log(x)) * f(1 / f(Math.log(2))));
  const rounded = roundHalfAway(log2);
  return { log2: rounded, isPowerOfTwo: Math.abs(f(log2 - rounded)) < f(1e-3) };
}

/**
 * The int8 fixed-point path's input rescaling to Q4.27: multiplier and left shift from frexp(scale · 2^27), and
 * the radius beyond which the result saturates (TFLite CalculateInputRadius(4, shift, 31)).
 */
export function int8Q4InputScaling(scale: number): { multiplier: number; leftShift: number; radius: number } {
  const [fraction, leftShift] = frexp(scale * 2 ** 27);
  // A fraction rounding up to 2^31 wraps to INT32_MIN, as TFLM's cast does on common hosts.
  const multiplier = roundHalfAway(fraction * 2 ** 31) | 0;
  const radius = Math.floor((15 * 2 ** 27) / 2 ** leftShift);
  return { multiplier, leftShift, radius };
}

/** The int8 input rescaled to Q4.27, or null where it saturates (at or beyond ±radius). */
export function int8ToQ4(
  value: number,
  zeroPoint: number,
  s: { multiplier: number; leftShift: number; radius: number },
): number | null {
  const centered = value - zeroPoint;
  if (centered <= -s.radius || centered >= s.radius) return null;
  return multiplyByQuantizedMultiplier(centered, s.multiplier, s.leftShift);
}

/**
 * The int16 table path's input scaling (zero points must be 0, output scale 2^-15). A power-of-two input scale
 * whose shift is 0 (or 1 where `allowShiftOne`, for TANH) is flagged by multiplier 0; otherwise the scale times
 * 3·4096 is doubled until above 2^14 and truncated.
 */
export function int16TableScaling(
  opName: string,
  input: TensorDef,
  out: TensorDef,
  allowShiftOne: boolean,
): { multiplier: number; leftShift: number } {
  const qi = quantParams(input, "input", opName);
  const qo = quantParams(out, "output", opName);
  if (qi.zeroPoint !== 0 || qo.zeroPoint !== 0) {
    throw new KernelError(`${opName}: int16 input and output must have zero point 0`);
  }
  const outLog2 = checkedLog2(qo.scale);
  if (!outLog2.isPowerOfTwo || outLog2.log2 !== -15) {
    throw new KernelError(`${opName}: int16 output scale must be 2^-15, not ${qo.scale}`);
  }
  const inLog2 = checkedLog2(qi.scale);
  const potShift = 12 + inLog2.log2;
  if (inLog2.isPowerOfTwo && (potShift === 0 || (allowShiftOne && potShift === 1))) {
    return { multiplier: 0, leftShift: potShift };
  }
  let multiplier = qi.scale * 4096 * 3;
  let leftShift = 0;
  while (multiplier <= 32767 / 2 && leftShift <= 30) {
    leftShift++;
    multiplier *= 2;
  }
  return { multiplier: Math.trunc(multiplier), leftShift };
}

// ---- LOGISTIC and TANH kernels: float32 elementwise, int8 by a table of gemmlowp's function on Q4.27, int16 by
// TFLite's interpolated sigmoid table ----

export type SigmoidFamilyPrepared =
  | { kind: "float32" }
  | { kind: "int8"; table: Int8Array }
  | { kind: "int16"; multiplier: number; shift: number; round: number };

export interface SigmoidFamily {
  opName: string;
  /** int16TableScaling's allowShiftOne (TANH). */
  allowInt16ShiftOne: boolean;
  /** Extra int8 output checks, after the input's quantization is read. */
  checkInt8Output?: (out: TensorDef) => void;
  /** The int8 output for a Q4.27 input inside the saturation radius, before clamping. */
  int8FromQ4: (q4: number) => number;
  float32: (x: Float32Array, y: Float32Array) => void;
  /** One int16 value, with scaling from int16TableInputScaling. */
  int16: (x: number, multiplier: number, shift: number, round: number) => number;
}

export function sigmoidFamilyKernel(f: SigmoidFamily): Kernel<SigmoidFamilyPrepared> {
  const op = f.opName;
  return {
    prepare(ctx) {
      const { input, out } = unaryOperands(ctx, op);
      requireType(op, "input", input.dtype, ["float32", "int8", "int16"]);
      if (input.dtype === "float32") return { kind: "float32" };
      if (input.dtype === "int16") {
        const { multiplier, leftShift } = int16TableScaling(op, input, out, f.allowInt16ShiftOne);
        return { kind: "int16", ...int16TableInputScaling(multiplier, leftShift) };
      }
      const qi = quantParams(input, "input", op);
      f.checkInt8Output?.(out);
      const scaling = int8Q4InputScaling(qi.scale);
      const table = int8Table((v) => {
        const q4 = int8ToQ4(v, qi.zeroPoint, scaling);
        if (q4 === null) return v - qi.zeroPoint < 0 ? -128 : 127;
        return Math.min(127, Math.max(-128, f.int8FromQ4(q4)));
      });
      return { kind: "int8", table };
    },
    eval(p, io) {
      const input = io.inputs[0]!;
      const out = io.outputs[0]!;
      switch (p.kind) {
        case "float32":
          f.float32(input as Float32Array, out as Float32Array);
          return;
        case "int8":
          applyInt8Table(p.table, input as Int8Array, out as Int8Array);
          return;
        case "int16": {
          const x = input as Int16Array;
          const y = out as Int16Array;
          const { multiplier, shift, round } = p;
          const int16 = f.int16;
          for (let i = 0; i < x.length; i++) y[i] = int16(x[i]!, multiplier, shift, round);
          return;
        }
      }
    },
  };
}
