/**
 * What CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED share: option and tensor validation, TFLite's padding
 * arithmetic (ComputePaddingHeightWidth), per-channel output multipliers (PopulateConvolutionQuantizationParams),
 * bias reading, and the exact requantization the fast paths use. Nothing here loops over activations.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { NodeContext } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import {
  multiplyByQuantizedMultiplier,
  quantizedActivationRange,
  quantizeMultipliers,
  REQUANTIZE_UNSPLIT_LIMIT,
  REQUANTIZE_UNSPLIT_MAX_RIGHT_SHIFT,
  requantizeConstants,
  requantizeFloor,
} from "./fixed-point.js";

/** std::numeric_limits<float>::max(): TFLM's float clamp for "no activation", so ±Infinity saturates too. */
export const FLOAT32_MAX = 3.4028234663852886e38;

const FUSED_ACTIVATIONS = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

/** The fused activation option, validated. TFLM treats unknown ones as NONE; we refuse them instead. */
export function fusedActivation(ctx: NodeContext): string {
  const activation = String(ctx.node.options.fusedActivationFunction ?? "NONE");
  if (!FUSED_ACTIVATIONS.includes(activation)) {
    throw new KernelError(`${ctx.node.opName}: fused activation ${activation} is not supported (${FUSED_ACTIVATIONS})`);
  }
  return activation;
}

/** TFLM CalculateActivationRange<float>: the clamp of a float kernel's output. */
export function floatClamp(activation: string): [number, number] {
  switch (activation) {
    case "RELU":
      return [0, FLOAT32_MAX];
    case "RELU6":
      return [0, 6];
    case "RELU_N1_TO_1":
      return [-1, 1];
    default:
      return [-FLOAT32_MAX, FLOAT32_MAX];
  }
}

/** std::min(std::max(x, lo), hi) with C++'s comparison order, so -0 and NaN come out as they do in TFLM. */
export function clampFloat(x: number, lo: number, hi: number): number {
  // biome-ignore lint/complexity/useMathMinMax: Math.max(-0, 0) is +0; std::max(-0.f, 0.f) is -0.
  const y = x < lo ? lo : x;
  // biome-ignore lint/complexity/useMathMinMax: as above.
  return hi < y ? hi : y;
}

export function requireRank(opName: string, role: string, t: TensorDef, rank: number): void {
  if (t.shape.length !== rank) {
    throw new KernelError(`${opName}: ${role} must have rank ${rank}, got shape [${t.shape}]`);
  }
}

/** Per-tensor scale and zero point of an activation tensor (TFLM reads params.scale / params.zero_point). */
export function tensorQuantization(opName: string, role: string, t: TensorDef): { scale: number; zeroPoint: number } {
  const q = t.quantization;
  if (!q || q.scale.length === 0) throw new KernelError(`${opName}: ${role} (${t.dtype}) has no quantization`);
  return { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0] ?? 0 };
}

export interface Padding {
  height: number;
  width: number;
  outHeight: number;
  outWidth: number;
}

function effectiveFilterSize(filter: number, dilation: number): number {
  return (filter - 1) * dilation + 1;
}

/** TFLite ComputeOutSize: the output extent implied by SAME or VALID padding. */
function outputSize(padding: string, image: number, filter: number, stride: number, dilation: number): number {
  const effective = effectiveFilterSize(filter, dilation);
  const size =
    padding === "SAME" ? Math.floor((image + stride - 1) / stride) : Math.floor((image + stride - effective) / stride);
  return Math.max(0, size);
}

/** TFLite ComputePaddingWithOffset: the leading padding (the odd extra pixel goes after the image). */
function leadingPadding(stride: number, dilation: number, image: number, filter: number, out: number): number {
  const total = (out - 1) * stride + effectiveFilterSize(filter, dilation) - image;
  return total > 0 ? Math.floor(total / 2) : 0;
}

/** TFLite ComputePaddingHeightWidth. */
export function computePadding(
  padding: string,
  strideH: number,
  strideW: number,
  dilationH: number,
  dilationW: number,
  inHeight: number,
  inWidth: number,
  filterHeight: number,
  filterWidth: number,
): Padding {
  const outHeight = outputSize(padding, inHeight, filterHeight, strideH, dilationH);
  const outWidth = outputSize(padding, inWidth, filterWidth, strideW, dilationW);
  return {
    height: leadingPadding(strideH, dilationH, inHeight, filterHeight, outHeight),
    width: leadingPadding(strideW, dilationW, inWidth, filterWidth, outWidth),
    outHeight,
    outWidth,
  };
}

/** Stride, dilation and padding options of CONV_2D / DEPTHWISE_CONV_2D, validated. */
export function windowOptions(ctx: NodeContext): {
  padding: string;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
} {
  const o = ctx.node.options;
  const padding = String(o.padding ?? "SAME");
  const strideH = Number(o.strideH ?? 0);
  const strideW = Number(o.strideW ?? 0);
  const dilationH = Number(o.dilationHFactor ?? 1);
  const dilationW = Number(o.dilationWFactor ?? 1);
  const op = ctx.node.opName;
  if (padding !== "SAME" && padding !== "VALID") throw new KernelError(`${op}: padding ${padding} is not supported`);
  if (!(strideH >= 1 && strideW >= 1)) throw new KernelError(`${op}: strides must be >= 1, got ${strideH}x${strideW}`);
  if (!(dilationH >= 1 && dilationW >= 1)) {
    throw new KernelError(`${op}: dilation factors must be >= 1, got ${dilationH}x${dilationW}`);
  }
  return { padding, strideH, strideW, dilationH, dilationW };
}

/**
 * First filter tap whose input coordinate origin + tap * dilation is inside the input (>= 0). With `endTap`,
 * a window is clipped once instead of testing every tap, which skips exactly the taps the reference skips.
 */
export function firstTap(origin: number, dilation: number): number {
  return origin >= 0 ? 0 : Math.ceil(-origin / dilation);
}

/** One past the last filter tap whose input coordinate is below `size`; at most `taps`. */
export function endTap(origin: number, dilation: number, taps: number, size: number): number {
  return Math.max(0, Math.min(taps, Math.ceil((size - origin) / dilation)));
}

/** Spatial geometry of a 2-D windowed op over NHWC tensors. */
export interface Window {
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  filterHeight: number;
  filterWidth: number;
  outHeight: number;
  outWidth: number;
  outDepth: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
}

export function windowGeometry(
  ctx: NodeContext,
  input: TensorDef,
  filterHeight: number,
  filterWidth: number,
  output: TensorDef,
): Window {
  const op = ctx.node.opName;
  const opts = windowOptions(ctx);
  // `| 0` keeps these small integers (V8 Smis), not heap doubles, so the index arithmetic in eval stays integral.
  const [batches, inHeight, inWidth, inDepth] = input.shape.map((d) => d | 0) as [number, number, number, number];
  const [outBatches, outHeight, outWidth, outDepth] = output.shape.map((d) => d | 0) as [
    number,
    number,
    number,
    number,
  ];
  if (outBatches !== batches) throw new KernelError(`${op}: output batch ${outBatches} differs from input ${batches}`);
  const pad = computePadding(
    opts.padding,
    opts.strideH,
    opts.strideW,
    opts.dilationH,
    opts.dilationW,
    inHeight,
    inWidth,
    filterHeight,
    filterWidth,
  );
  // Like TFLM, the padding comes from the extent SAME/VALID implies, but the output tensor's own extent is
  // computed even when it differs: windows past the input simply have fewer taps.
  return {
    batches,
    inHeight,
    inWidth,
    inDepth,
    filterHeight: filterHeight | 0,
    filterWidth: filterWidth | 0,
    outHeight,
    outWidth,
    outDepth,
    strideH: opts.strideH | 0,
    strideW: opts.strideW | 0,
    dilationH: opts.dilationH | 0,
    dilationW: opts.dilationW | 0,
    padH: pad.height | 0,
    padW: pad.width | 0,
  };
}

export interface QuantizedOutput {
  inputZeroPoint: number;
  outputZeroPoint: number;
  /** Q31 multiplier and power-of-two exponent (positive = left shift) per output channel. */
  multipliers: Int32Array;
  shifts: Int32Array;
  activationMin: number;
  activationMax: number;
}

/**
 * TFLite PopulateConvolutionQuantizationParams: one multiplier per output channel, per-tensor filter scales
 * broadcast, effective scale computed in double as input_scale * filter_scale / output_scale.
 */
export function convolutionQuantization(
  ctx: NodeContext,
  input: TensorDef,
  filter: TensorDef,
  output: TensorDef,
  channels: number,
  channelAxis: number,
  activation: string,
): QuantizedOutput {
  const op = ctx.node.opName;
  const inQ = tensorQuantization(op, "input", input);
  const outQ = tensorQuantization(op, "output", output);
  const fq = filter.quantization;
  if (!fq || fq.scale.length === 0) throw new KernelError(`${op}: filter (${filter.dtype}) has no quantization`);
  if (fq.scale.length !== 1 && fq.scale.length !== channels) {
    throw new KernelError(`${op}: filter has ${fq.scale.length} scales for ${channels} output channels`);
  }
  if (fq.zeroPoint.length !== fq.scale.length) {
    throw new KernelError(`${op}: filter has ${fq.scale.length} scales but ${fq.zeroPoint.length} zero points`);
  }
  // TFLM only asks that the quantized axis (normally `channelAxis`) have one entry per output channel.
  if (fq.scale.length > 1 && filter.shape[fq.quantizedDimension] !== channels) {
    throw new KernelError(
      `${op}: per-channel filter scales run along axis ${fq.quantizedDimension} of [${filter.shape}], which does not have ${channels} channels (expected axis ${channelAxis})`,
    );
  }
  const real = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = fq.scale.length > 1 ? fq.scale[c]! : fq.scale[0]!;
    real[c] = (inQ.scale * filterScale) / outQ.scale;
  }
  const { multipliers, shifts } = quantizeMultipliers(real);
  const [activationMin, activationMax] = quantizedActivationRange(activation, output.dtype, outQ.scale, outQ.zeroPoint);
  return {
    inputZeroPoint: inQ.zeroPoint,
    outputZeroPoint: outQ.zeroPoint,
    multipliers,
    shifts,
    activationMin,
    activationMax,
  };
}

export type ConvKind = "float32" | "int8" | "int16";

/** The operands of CONV_2D and DEPTHWISE_CONV_2D, checked as TFLM's Prepare does, and the type combination. */
export interface ConvOperands {
  kind: ConvKind;
  input: TensorDef;
  filter: TensorDef;
  bias: TensorDef | null;
  output: TensorDef;
}

/** Two or three inputs and one output, a supported input/filter type pair, 4-D input, filter and output. */
export function convOperands(ctx: NodeContext): ConvOperands {
  const op = ctx.node.opName;
  const [input, filter, bias = null] = ctx.inputs;
  const output = ctx.outputs[0];
  if (ctx.inputs.length < 2 || ctx.inputs.length > 3) throw new KernelError(`${op}: needs 2 or 3 inputs`);
  if (!input || !filter || !output || ctx.outputs.length !== 1) {
    throw new KernelError(`${op}: needs an input, a filter and one output`);
  }
  const kind = convKind(op, input, filter, output);
  requireRank(op, "input", input, 4);
  requireRank(op, "filter", filter, 4);
  requireRank(op, "output", output, 4);
  return { kind, input, filter, bias, output };
}

function convKind(op: string, input: TensorDef, filter: TensorDef, output: TensorDef): ConvKind {
  if (input.dtype !== output.dtype) {
    throw new KernelError(`${op}: input type ${input.dtype} differs from output type ${output.dtype}`);
  }
  if (input.dtype === "float32" && filter.dtype === "float32") return "float32";
  if (input.dtype === "int8" && filter.dtype === "int8") return "int8";
  if (input.dtype === "int16" && filter.dtype === "int8") return "int16";
  if (filter.dtype === "int4") throw new KernelError(`${op}: int4 filters are not supported`);
  throw new KernelError(
    `${op}: input ${input.dtype} with filter ${filter.dtype} is not supported (float32/float32, int8/int8, int16/int8); hybrid models are not supported`,
  );
}

/** What a convolution's output stage needs: the float clamp, the quantization (null for float32) and the bias. */
export interface ConvOutputStage {
  floatMin: number;
  floatMax: number;
  quant: QuantizedOutput | null;
  /** Constant bias as doubles, or null when the bias is absent or only known at eval. */
  bias: Float64Array | null;
  hasBias: boolean;
}

/**
 * The output stage of CONV_2D / DEPTHWISE_CONV_2D: bias checked against `biasTypes` (by kind), float clamp and
 * per-channel quantization along the filter's `channelAxis`.
 */
export function convOutputStage(
  ctx: NodeContext,
  o: ConvOperands,
  activation: string,
  biasTypes: Record<ConvKind, readonly string[]>,
  channels: number,
  channelAxis: number,
): ConvOutputStage {
  const bias = prepareBias(ctx.node.opName, o.bias, biasTypes[o.kind], channels);
  const [floatMin, floatMax] = floatClamp(activation);
  const quant =
    o.kind === "float32"
      ? null
      : convolutionQuantization(ctx, o.input, o.filter, o.output, channels, channelAxis, activation);
  return { floatMin, floatMax, quant, bias, hasBias: o.bias !== null };
}

/** Largest bias TFLM's 64-bit requantization accepts (its documented |x| < 2^47 contract). */
const INT64_ACCUMULATOR_LIMIT = 2 ** 47;

/**
 * Checks the bias tensor's type and length; returns its values as doubles when constant (exact: int32 always,
 * int64 within the 2^47 range TFLM's requantization is defined for), else null (read at eval).
 */
export function prepareBias(
  op: string,
  bias: TensorDef | null,
  allowed: readonly string[],
  channels: number,
): Float64Array | null {
  if (!bias) return null;
  if (!allowed.includes(bias.dtype)) {
    throw new KernelError(`${op}: bias type ${bias.dtype} is not supported here (${allowed.join(", ")})`);
  }
  if (bias.elementCount !== channels) {
    throw new KernelError(`${op}: bias has ${bias.elementCount} values for ${channels} output channels`);
  }
  if (!bias.data) return null;
  const values = biasToFloat64(constantView(bias));
  if (bias.dtype === "int64") {
    for (const v of values) {
      if (!(Math.abs(v) < INT64_ACCUMULATOR_LIMIT)) {
        throw new KernelError(`${op}: int64 bias value ${v} is outside TFLM's 2^47 accumulator range`);
      }
    }
  }
  return values;
}

/** Bias for one call: the prepared constant, or the live tensor converted (only for a non-constant bias). */
export function evalBias(
  prepared: Float64Array | null,
  hasBias: boolean,
  view: TypedArray | null,
): Float64Array | null {
  if (prepared || !hasBias || !view) return prepared;
  return biasToFloat64(view);
}

/** Bias values of any supported type as doubles. */
export function biasToFloat64(view: TypedArray): Float64Array {
  const out = new Float64Array(view.length);
  for (let i = 0; i < view.length; i++) out[i] = Number(view[i]!);
  return out;
}

/** A typed view of a constant tensor's bytes. */
export function constantView(t: TensorDef): TypedArray {
  const data = t.data!;
  switch (t.dtype) {
    case "float32":
      return new Float32Array(data.buffer, data.byteOffset, t.elementCount);
    case "int8":
      return new Int8Array(data.buffer, data.byteOffset, t.elementCount);
    case "int32":
      return new Int32Array(data.buffer, data.byteOffset, t.elementCount);
    case "int64":
      return new BigInt64Array(data.buffer, data.byteOffset, t.elementCount);
    default:
      throw new KernelError(`constant of type ${t.dtype} is not readable here`);
  }
}

/**
 * Whether a 16x8 op accumulates in int32 (TFLM's `requires_int32_accum`): an int32 bias, or no bias and the
 * options' quantized_bias_type saying INT32. Otherwise it accumulates in int64.
 */
export function int16AccumulatesInInt32(ctx: NodeContext, bias: TensorDef | null): boolean {
  if (bias) return bias.dtype === "int32";
  return ctx.node.options.quantizedBiasType === "INT32";
}

/**
 * Per-channel constants for `requantizeFast`: fixed-point.ts's `requantizeConstants` for each channel's shift,
 * laid out as typed arrays so the fast kernels can load one channel's into locals. The product x·m is left
 * unsplit (exact while |x| < REQUANTIZE_UNSPLIT_LIMIT), so the kernels' inner loops are one multiply, add and
 * floor; larger accumulators and right shifts above REQUANTIZE_UNSPLIT_MAX_RIGHT_SHIFT take the exact
 * split-product routine.
 */
export interface RequantizeTables {
  multipliers: Int32Array;
  /** TFLM's exponent (positive = left shift), for the exact fallback. */
  shifts: Int32Array;
  leftShifts: Int32Array;
  /** |x| must be below this for the shortcut; 0 disables it for the channel. */
  limits: Int32Array;
  offsets: Float64Array;
  negativeAdjusts: Float64Array;
  scales: Float64Array;
}

export function requantizeTables(q: QuantizedOutput): RequantizeTables {
  const n = q.multipliers.length;
  const t: RequantizeTables = {
    multipliers: q.multipliers,
    shifts: q.shifts,
    leftShifts: new Int32Array(n),
    limits: new Int32Array(n),
    offsets: new Float64Array(n),
    negativeAdjusts: new Float64Array(n),
    scales: new Float64Array(n),
  };
  for (let c = 0; c < n; c++) {
    const shift = q.shifts[c]!;
    const constants = requantizeConstants(shift);
    t.leftShifts[c] = constants.leftShift;
    t.limits[c] = -shift <= REQUANTIZE_UNSPLIT_MAX_RIGHT_SHIFT ? REQUANTIZE_UNSPLIT_LIMIT : 0;
    t.offsets[c] = constants.offset;
    t.negativeAdjusts[c] = constants.negativeAdjust;
    t.scales[c] = constants.scale;
  }
  return t;
}

/**
 * MultiplyByQuantizedMultiplier(acc, multipliers[c], shifts[c]) for an int32 accumulator, bit-exact: fixed-point.ts's
 * `requantizeFloor` on the unsplit product when it is exact, else the split-product routine. The fast kernels'
 * inner loops write the same expression inline.
 */
export function requantizeFast(acc: number, c: number, t: RequantizeTables): number {
  const x = acc << t.leftShifts[c]!;
  const limit = t.limits[c]!;
  if (x < limit && x > -limit) {
    return requantizeFloor(x, t.multipliers[c]!, t.offsets[c]!, t.negativeAdjusts[c]!, t.scales[c]!);
  }
  return multiplyByQuantizedMultiplier(acc, t.multipliers[c]!, t.shifts[c]!);
}
