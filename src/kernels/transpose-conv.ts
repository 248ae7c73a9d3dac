/**
 * TRANSPOSE_CONV (TFLM transpose_conv.cc over the reference kernels): inputs are output_shape (ignored, as in
 * TFLM — the output tensor's own shape rules), weights [out_ch, h, w, in_ch], input NHWC and an optional bias.
 * Every input pixel scatters input × weights into the output window it touches; the sums are then biased,
 * requantized per output channel and clamped.
 * - float32 (float bias), accumulated in float32 in TFLM's order;
 * - int8 with per-channel int8 weights and int32 bias, int32 accumulators;
 * - int16 with int8 weights and int64 (or int16) bias, 64-bit accumulators, no output zero point.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import { viewOf } from "../runtime/tensor.js";
import {
  clampFloat,
  computePadding,
  convolutionQuantization,
  floatClamp,
  fusedActivation,
  prepareBias,
  type RequantizeTables,
  requantizeFast,
  requantizeTables,
} from "./conv-common.js";
import { multiplyByQuantizedMultiplierInt64 } from "./fixed-point.js";
import { positiveInt } from "./pooling-common.js";

const OUTPUT_SHAPE = 0;
const FILTER = 1;
const INPUT = 2;
const BIAS = 3;

interface TransposeConvPrepared {
  dtype: "float32" | "int8" | "int16";
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputDepth: number;
  outputHeight: number;
  outputWidth: number;
  outputDepth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padHeight: number;
  padWidth: number;
  hasBias: boolean;
  /** Constant bias as plain numbers (int64 biases converted once); null when the bias is not constant. */
  bias: Float64Array | null;
  inputOffset: number;
  outputOffset: number;
  /** Constant weights as doubles, regrouped [h][w][out_ch][in_ch] so each tap's dot products run contiguously. */
  packedFilter: Float64Array | null;
  /** int8: requantization shortcut tables; int16: the 64-bit requantization's per-channel constants. */
  requantize: RequantizeTables | null;
  wide: WideRequantize | null;
  activationMin: number;
  activationMax: number;
  scratchIndex: number;
}

/**
 * TFLM's MultiplyByQuantizedMultiplier(int64 x, ...) is (x * reduced + 2^(t-1)) >> t with a 15-bit reduced
 * multiplier and t = 15 - shift. While |x| < 2^37 the product and rounding term stay below 2^53, so one double
 * expression is exact; larger accumulators take the split-product routine.
 */
interface WideRequantize {
  multipliers: Int32Array;
  shifts: Int32Array;
  reduced: Float64Array;
  rounding: Float64Array;
  scales: Float64Array;
  /** |x| must be below this for the shortcut; 0 disables it for the channel. */
  limits: Float64Array;
}

function wideRequantize(multipliers: Int32Array, shifts: Int32Array): WideRequantize {
  const n = multipliers.length;
  const t: WideRequantize = {
    multipliers,
    shifts,
    reduced: new Float64Array(n),
    rounding: new Float64Array(n),
    scales: new Float64Array(n),
    limits: new Float64Array(n),
  };
  for (let c = 0; c < n; c++) {
    const m = multipliers[c]!;
    const totalShift = 15 - shifts[c]!;
    t.reduced[c] = m < 0x7fff0000 ? (m + 32768) >> 16 : 0x7fff;
    t.rounding[c] = totalShift >= 1 ? 2 ** (totalShift - 1) : 0;
    t.scales[c] = 2 ** -totalShift;
    t.limits[c] = totalShift >= 1 ? 2 ** 37 : 0;
  }
  return t;
}

/** Weights [out_ch][h][w][in_ch] regrouped as [h][w][out_ch][in_ch] doubles. */
function packFilter(filter: ArrayLike<number>, p: TransposeConvPrepared, packed: Float64Array): void {
  const { outputDepth, filterHeight, filterWidth, inputDepth } = p;
  for (let oc = 0; oc < outputDepth; oc++) {
    for (let fy = 0; fy < filterHeight; fy++) {
      for (let fx = 0; fx < filterWidth; fx++) {
        const from = ((oc * filterHeight + fy) * filterWidth + fx) * inputDepth;
        const to = ((fy * filterWidth + fx) * outputDepth + oc) * inputDepth;
        for (let ic = 0; ic < inputDepth; ic++) packed[to + ic] = filter[from + ic]!;
      }
    }
  }
}

function expectedBiasTypes(dtype: string): string[] {
  if (dtype === "float32") return ["float32"];
  if (dtype === "int8") return ["int32"];
  return ["int64", "int16"];
}

/** prepareBias, plus the int16 bias of 16x8 models (TFLM widens it to int64 before the kernel runs). */
function readBias(op: string, bias: TensorDef | null, allowed: string[], channels: number): Float64Array | null {
  if (bias?.dtype !== "int16") return prepareBias(op, bias, allowed, channels);
  if (bias.elementCount !== channels) {
    throw new KernelError(`${op}: bias has ${bias.elementCount} values for ${channels} output channels`);
  }
  if (!bias.data) return null;
  return Float64Array.from(viewOf("int16", bias.data.buffer, bias.data.byteOffset, channels) as Int16Array);
}

function prepareTransposeConv(ctx: NodeContext): TransposeConvPrepared {
  const op = ctx.node.opName;
  if (ctx.inputs.length !== 3 && ctx.inputs.length !== 4) {
    throw new KernelError(
      `${op}: needs 3 or 4 inputs (output_shape, weights, input[, bias]), got ${ctx.inputs.length}`,
    );
  }
  const filter = ctx.inputs[FILTER];
  const input = ctx.inputs[INPUT];
  const bias = ctx.inputs[BIAS] ?? null;
  const output = ctx.outputs[0];
  if (!ctx.inputs[OUTPUT_SHAPE] || !filter || !input || !output) {
    throw new KernelError(`${op}: output_shape, weights, input and output tensors are required`);
  }
  const dtype = input.dtype;
  if (dtype !== "float32" && dtype !== "int8" && dtype !== "int16") {
    throw new KernelError(`${op}: input type ${dtype} is not supported (float32, int8, int16)`);
  }
  const filterType = dtype === "int16" ? "int8" : dtype;
  if (filter.dtype !== filterType) {
    throw new KernelError(
      `${op}: weights of type ${filter.dtype} with ${dtype} input are not supported (${filterType})`,
    );
  }
  if (output.dtype !== dtype) throw new KernelError(`${op}: output type ${output.dtype} differs from input ${dtype}`);
  if (input.shape.length !== 4 || filter.shape.length !== 4 || output.shape.length !== 4) {
    throw new KernelError(
      `${op}: input [${input.shape}], weights [${filter.shape}] and output [${output.shape}] must be 4-D`,
    );
  }
  const [batches, inputHeight, inputWidth, inputDepth] = input.shape as [number, number, number, number];
  const [outputDepth, filterHeight, filterWidth, filterDepth] = filter.shape as [number, number, number, number];
  const [outputBatches, outputHeight, outputWidth, outputChannels] = output.shape as [number, number, number, number];
  if (outputBatches !== batches || filterDepth !== inputDepth || outputChannels !== outputDepth) {
    throw new KernelError(
      `${op}: input [${input.shape}], weights [${filter.shape}] and output [${output.shape}] do not agree on batch or channels`,
    );
  }
  const constantBias = readBias(op, bias, expectedBiasTypes(dtype), outputDepth);
  const options = ctx.node.options;
  const strideHeight = positiveInt(options.strideH);
  const strideWidth = positiveInt(options.strideW);
  if (!strideHeight || !strideWidth) throw new KernelError(`${op}: strides must be positive`);
  const activation = fusedActivation(ctx);
  const padding = String(options.padding ?? "SAME");
  if (padding !== "SAME" && padding !== "VALID") throw new KernelError(`${op}: padding ${padding} is not supported`);
  // Transpose convolution pads as the convolution it inverts would: sizes are taken from the output.
  const pad = computePadding(
    padding,
    strideHeight,
    strideWidth,
    1,
    1,
    outputHeight,
    outputWidth,
    filterHeight,
    filterWidth,
  );

  let requantize: RequantizeTables | null = null;
  let wide: WideRequantize | null = null;
  let activationMin: number;
  let activationMax: number;
  let inputOffset = 0;
  let outputOffset = 0;
  let scratchIndex = -1;
  const outputCount = output.elementCount;
  if (dtype === "float32") {
    [activationMin, activationMax] = floatClamp(activation);
  } else {
    const q = convolutionQuantization(ctx, input, filter, output, outputDepth, 0, activation);
    ({ activationMin, activationMax } = q);
    if (dtype === "int8") requantize = requantizeTables(q);
    else wide = wideRequantize(q.multipliers, q.shifts);
    // The 16x8 kernel assumes a zero input zero point and never reads it.
    inputOffset = dtype === "int8" ? -q.inputZeroPoint : 0;
    outputOffset = q.outputZeroPoint;
    // Accumulators live in arena scratch: int32 per output value for int8, int64 (here float64) for int16.
    scratchIndex = ctx.requestScratch(outputCount * (dtype === "int8" ? 4 : 8));
  }

  const prepared: TransposeConvPrepared = {
    dtype,
    batches,
    inputHeight,
    inputWidth,
    inputDepth,
    outputHeight,
    outputWidth,
    outputDepth,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    padHeight: pad.height,
    padWidth: pad.width,
    hasBias: bias !== null,
    bias: constantBias,
    inputOffset,
    outputOffset,
    packedFilter: null,
    requantize,
    wide,
    activationMin,
    activationMax,
    scratchIndex,
  };
  if (filter.data) {
    prepared.packedFilter = new Float64Array(filter.elementCount);
    packFilter(
      viewOf(filter.dtype, filter.data.buffer, filter.data.byteOffset, filter.elementCount) as Int8Array,
      prepared,
      prepared.packedFilter,
    );
  }
  return prepared;
}

/** Per-session buffers: one input pixel (offset applied), and weights/bias when they are not constants. */
interface TransposeConvState {
  pixel: Float64Array;
  filter: Float64Array | null;
  bias: Float64Array | null;
}

/**
 * The scatter, for each input pixel and each tap inside the output: every output channel gains the products
 * of that pixel's channels with the tap's weights. Per output value the products arrive in TFLM's order
 * (input pixel, then input channel), so the float path, which rounds after every addition as TFLM does,
 * matches it bit for bit; integer sums are exact, and int32 accumulators wrap on store as TFLM's do.
 */
function scatter(
  p: TransposeConvPrepared,
  input: ArrayLike<number>,
  filter: Float64Array,
  pixel: Float64Array,
  acc: Float32Array | Int32Array | Float64Array,
  float: boolean,
): void {
  const { inputDepth, outputDepth, filterHeight, filterWidth, outputHeight, outputWidth, inputOffset } = p;
  const { inputHeight, inputWidth, strideHeight, strideWidth, padHeight, padWidth } = p;
  const f = Math.fround;
  acc.fill(0);
  for (let b = 0; b < p.batches; b++) {
    for (let inY = 0; inY < inputHeight; inY++) {
      const outYOrigin = inY * strideHeight - padHeight;
      const fyStart = Math.max(0, -outYOrigin);
      const fyEnd = Math.min(filterHeight, outputHeight - outYOrigin);
      for (let inX = 0; inX < inputWidth; inX++) {
        const outXOrigin = inX * strideWidth - padWidth;
        const fxStart = Math.max(0, -outXOrigin);
        const fxEnd = Math.min(filterWidth, outputWidth - outXOrigin);
        const inBase = ((b * inputHeight + inY) * inputWidth + inX) * inputDepth;
        for (let ic = 0; ic < inputDepth; ic++) pixel[ic] = input[inBase + ic]! + inputOffset;
        for (let fy = fyStart; fy < fyEnd; fy++) {
          for (let fx = fxStart; fx < fxEnd; fx++) {
            const outBase = ((b * outputHeight + outYOrigin + fy) * outputWidth + outXOrigin + fx) * outputDepth;
            let w = (fy * filterWidth + fx) * outputDepth * inputDepth;
            for (let oc = 0; oc < outputDepth; oc++) {
              if (float) {
                let sum = acc[outBase + oc]!;
                for (let ic = 0; ic < inputDepth; ic++) sum = f(sum + f(pixel[ic]! * filter[w + ic]!));
                acc[outBase + oc] = sum;
              } else {
                let sum0 = 0;
                let sum1 = 0;
                let ic = 0;
                for (; ic + 1 < inputDepth; ic += 2) {
                  sum0 += pixel[ic]! * filter[w + ic]!;
                  sum1 += pixel[ic + 1]! * filter[w + ic + 1]!;
                }
                if (ic < inputDepth) sum0 += pixel[ic]! * filter[w + ic]!;
                acc[outBase + oc]! += sum0 + sum1;
              }
              w += inputDepth;
            }
          }
        }
      }
    }
  }
}

export const transposeConv: Kernel<TransposeConvPrepared, TransposeConvState> = {
  prepare: prepareTransposeConv,
  createState(p) {
    return {
      pixel: new Float64Array(p.inputDepth),
      filter: p.packedFilter ? null : new Float64Array(p.outputDepth * p.filterHeight * p.filterWidth * p.inputDepth),
      bias: p.hasBias && !p.bias ? new Float64Array(p.outputDepth) : null,
    };
  },
  eval(p, io, state) {
    const input = io.inputs[INPUT] as Float32Array | Int8Array | Int16Array;
    const output = io.outputs[0]!;
    const { outputDepth, activationMin, activationMax } = p;
    const count = output.length;
    let filter = p.packedFilter;
    if (!filter) {
      filter = state.filter!;
      packFilter(io.inputs[FILTER] as Float32Array | Int8Array, p, filter);
    }
    let bias = p.bias;
    if (p.hasBias && !bias) {
      bias = state.bias!;
      const values = io.inputs[BIAS]!;
      for (let c = 0; c < outputDepth; c++) bias[c] = Number(values[c]!);
    }

    if (p.dtype === "float32") {
      const out = output as Float32Array;
      scatter(p, input, filter, state.pixel, out, true);
      for (let i = 0, c = 0; i < count; i++) {
        const value = bias ? Math.fround(out[i]! + bias[c]!) : out[i]!;
        out[i] = clampFloat(value, activationMin, activationMax);
        if (++c === outputDepth) c = 0;
      }
      return;
    }

    const scratch = io.scratch[p.scratchIndex]!;
    if (p.dtype === "int8") {
      const acc = new Int32Array(scratch.buffer, scratch.byteOffset, count);
      scatter(p, input, filter, state.pixel, acc, false);
      const tables = p.requantize!;
      const outputOffset = p.outputOffset;
      for (let i = 0, c = 0; i < count; i++) {
        const biased = bias ? (acc[i]! + bias[c]!) | 0 : acc[i]!;
        const scaled = requantizeFast(biased, c, tables) + outputOffset;
        output[i] = Math.min(Math.max(scaled, activationMin), activationMax);
        if (++c === outputDepth) c = 0;
      }
      return;
    }

    const acc = new Float64Array(scratch.buffer, scratch.byteOffset, count);
    scatter(p, input, filter, state.pixel, acc, false);
    const t = p.wide!;
    for (let i = 0, c = 0; i < count; i++) {
      const x = bias ? acc[i]! + bias[c]! : acc[i]!;
      const limit = t.limits[c]!;
      const scaled =
        x < limit && x > -limit
          ? Math.floor((x * t.reduced[c]! + t.rounding[c]!) * t.scales[c]!) | 0
          : multiplyByQuantizedMultiplierInt64(x, t.multipliers[c]!, t.shifts[c]!);
      output[i] = Math.min(Math.max(scaled, activationMin), activationMax);
      if (++c === outputDepth) c = 0;
    }
  },
  macs(ctx) {
    const input = ctx.inputs[INPUT];
    const filter = ctx.inputs[FILTER];
    const output = ctx.outputs[0];
    if (!input || !filter || !output) return 0;
    const p = prepareTransposeConv({ ...ctx, requestScratch: () => 0 });
    // Count only the taps that land inside the output, as the reference loop does.
    const taps = (inSize: number, stride: number, pad: number, filterSize: number, outSize: number) => {
      let n = 0;
      for (let i = 0; i < inSize; i++) {
        const origin = i * stride - pad;
        n += Math.max(0, Math.min(filterSize, outSize - origin) - Math.max(0, -origin));
      }
      return n;
    };
    const rows = taps(p.inputHeight, p.strideHeight, p.padHeight, p.filterHeight, p.outputHeight);
    const cols = taps(p.inputWidth, p.strideWidth, p.padWidth, p.filterWidth, p.outputWidth);
    return p.batches * rows * cols * p.inputDepth * p.outputDepth;
  },
};
