/**
 * The fast path of 16x8 CONV_2D (int16 activations, int8 weights, int64 or no bias, so TFLM accumulates in int64)
 * with constant weights, bit-identical to the reference loops in conv-2d.ts.
 *
 * Why it is exact: every product int16 x int8 is below 2^22 in magnitude, so a float64 sum of any realistic
 * number of them (and a bias below 2^47) is an exact integer. Requantization is TFLite's 64-bit
 * MultiplyByQuantizedMultiplier, floor((acc * reduced + 2^(s-1)) / 2^s): with the per-channel reduced multiplier,
 * rounding term and 2^-s hoisted, it is one multiply-add and a floor, exact while |acc| < 2^37 (the product stays
 * below 2^52); larger accumulators and left shifts of 15 or more call multiplyByQuantizedMultiplierInt64 itself.
 * Why it is fast: every window is a few unchecked contiguous runs of the input. Layers whose windows reach past
 * the image (SAME padding) first copy the input once per call into a zero-bordered int16 scratch (the 16x8
 * kernels have no zero points, so a zero border adds exactly nothing); VALID layers read the input in place and
 * use no arena beyond TFLM's. Weights are packed at prepare four output channels at a time, and each tile computes two output pixels
 * by four channels, so one load of weights serves two pixels and one load of input serves four channels.
 * Channel blocks run outermost so a block's weights stay in the L1 cache across all pixels.
 */
import type { TensorDef } from "../format/model.js";
import type { NodeContext } from "../runtime/kernel.js";
import type { ConvPrepared } from "./conv-2d.js";
import { constantView } from "./conv-common.js";
import { multiplyByQuantizedMultiplierInt64 } from "./fixed-point.js";

/** Output channels per packed weight block. */
const BLOCK = 4;

/** |acc| below this keeps acc * reduced_multiplier (|reduced| <= 2^15) and the rounding term below 2^53. */
const UNSPLIT_ACCUMULATOR_LIMIT = 2 ** 37;

export interface ConvInt16 {
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  /** The zero-bordered copy of one batch's input: its extent and where the image starts in it. */
  paddedHeight: number;
  paddedWidth: number;
  padTop: number;
  padLeft: number;
  /** Whether the windows need the zero-bordered copy; scratchIndex is -1 when they do not. */
  bordered: boolean;
  outDepth: number;
  /** Multiply-accumulates per output value (filter height x width x depth). */
  depth: number;
  /** Offset of each contiguous run of a window from the window's first element, and the runs' length. */
  runOffsets: Int32Array;
  runLength: number;
  /** Offset in the padded input of each output pixel's window (all batches), in output order. */
  pixelBases: Int32Array;
  /** Weights of full channel blocks as [block][tap][BLOCK], then the leftover channels as [channel][tap]. */
  blocked: Float64Array;
  leftover: Float64Array;
  blocks: number;
  bias: Float64Array;
  multipliers: Int32Array;
  shifts: Int32Array;
  /** Per channel: TFLite's 16-bit reduced multiplier, 2^(s-1) and 2^-s for s = 15 - shift, and the |acc| bound. */
  reduced: Float64Array;
  rounding: Float64Array;
  scales: Float64Array;
  limits: Float64Array;
  activationMin: number;
  activationMax: number;
  scratchIndex: number;
}

/** Per-session cache of the int16 view over the arena scratch that holds the padded input. */
export interface PaddedView {
  source: Uint8Array | null;
  padded: Int16Array;
}

export function createPaddedView(): PaddedView {
  return { source: null, padded: new Int16Array(0) };
}

/**
 * The fast path's tables, or null when the layer needs the reference: int32 accumulation (which wraps), grouped
 * filters, or weights or bias known only at eval.
 */
export function prepareConvInt16(
  ctx: NodeContext,
  p: ConvPrepared,
  filter: TensorDef,
  bias: TensorDef | null,
): ConvInt16 | null {
  const w = p.window;
  const q = p.quant;
  if (p.kind !== "int16" || p.int32Accumulator || !q || !filter.data || p.filterDepth !== w.inDepth) return null;
  if (bias && !p.bias) return null;

  const effectiveHeight = (w.filterHeight - 1) * w.dilationH + 1;
  const effectiveWidth = (w.filterWidth - 1) * w.dilationW + 1;
  // Windows may reach past the image on either side (SAME padding, or an output larger than the padding implies).
  const paddedHeight = Math.max(w.padH + w.inHeight, (w.outHeight - 1) * w.strideH + effectiveHeight);
  const paddedWidth = Math.max(w.padW + w.inWidth, (w.outWidth - 1) * w.strideW + effectiveWidth);
  const rowStride = paddedWidth * w.inDepth;

  // Undilated rows are one run of filter_width x depth values; dilated ones take a run per tap.
  const perTap = w.dilationW !== 1 && w.filterWidth > 1;
  const runLength = perTap ? w.inDepth : w.filterWidth * w.inDepth;
  const runOffsets = new Int32Array(perTap ? w.filterHeight * w.filterWidth : w.filterHeight);
  for (let fy = 0, r = 0; fy < w.filterHeight; fy++) {
    if (!perTap) runOffsets[r++] = fy * w.dilationH * rowStride;
    else
      for (let fx = 0; fx < w.filterWidth; fx++)
        runOffsets[r++] = (fy * w.dilationH * paddedWidth + fx * w.dilationW) * w.inDepth;
  }

  const pixelBases = new Int32Array(w.batches * w.outHeight * w.outWidth);
  const batchStride = paddedHeight * rowStride;
  for (let b = 0, i = 0; b < w.batches; b++) {
    for (let oy = 0; oy < w.outHeight; oy++) {
      for (let ox = 0; ox < w.outWidth; ox++) {
        pixelBases[i++] = b * batchStride + oy * w.strideH * rowStride + ox * w.strideW * w.inDepth;
      }
    }
  }

  // The filter is [out][height][width][depth], so each channel's taps are already in window-run order.
  const depth = w.filterHeight * w.filterWidth * w.inDepth;
  const weights = constantView(filter) as Int8Array;
  const blocks = Math.floor(w.outDepth / BLOCK);
  const blocked = new Float64Array(blocks * BLOCK * depth);
  for (let block = 0; block < blocks; block++) {
    for (let c = 0; c < BLOCK; c++) {
      const from = (block * BLOCK + c) * depth;
      for (let k = 0; k < depth; k++) blocked[(block * depth + k) * BLOCK + c] = weights[from + k]!;
    }
  }
  const channels = w.outDepth;
  const reduced = new Float64Array(channels);
  const rounding = new Float64Array(channels);
  const scales = new Float64Array(channels);
  const limits = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const multiplier = q.multipliers[c]!;
    const totalShift = 15 - q.shifts[c]!;
    reduced[c] = multiplier < 0x7fff0000 ? (multiplier + 0x8000) >> 16 : 0x7fff;
    rounding[c] = totalShift >= 1 ? 2 ** (totalShift - 1) : 0;
    scales[c] = 2 ** -totalShift;
    limits[c] = totalShift >= 1 ? UNSPLIT_ACCUMULATOR_LIMIT : 0;
  }
  const leftover = Float64Array.from(weights.subarray(blocks * BLOCK * depth, w.outDepth * depth));

  const bordered = paddedHeight !== w.inHeight || paddedWidth !== w.inWidth;
  return {
    batches: w.batches,
    inHeight: w.inHeight,
    inWidth: w.inWidth,
    inDepth: w.inDepth,
    paddedHeight,
    paddedWidth,
    padTop: w.padH,
    padLeft: w.padW,
    bordered,
    outDepth: w.outDepth,
    depth,
    runOffsets,
    runLength,
    pixelBases,
    blocked,
    leftover,
    blocks,
    bias: p.bias ?? new Float64Array(w.outDepth),
    multipliers: q.multipliers,
    shifts: q.shifts,
    reduced,
    rounding,
    scales,
    limits,
    activationMin: q.activationMin,
    activationMax: q.activationMax,
    scratchIndex: bordered ? ctx.requestScratch(w.batches * paddedHeight * paddedWidth * w.inDepth * 2) : -1,
  };
}

/** Copies every batch of the input into the padded scratch, zeroed first (arena scratch holds other ops' data). */
function padInput(f: ConvInt16, input: Int16Array, padded: Int16Array): void {
  padded.fill(0);
  const rowLength = f.inWidth * f.inDepth;
  for (let b = 0; b < f.batches; b++) {
    for (let y = 0; y < f.inHeight; y++) {
      const from = (b * f.inHeight + y) * rowLength;
      const to = ((b * f.paddedHeight + y + f.padTop) * f.paddedWidth + f.padLeft) * f.inDepth;
      padded.set(input.subarray(from, from + rowLength), to);
    }
  }
}

/**
 * multiplyByQuantizedMultiplierInt64(acc, multipliers[c], shifts[c]) clamped to the activation range; `| 0` is
 * the same int32 truncation the shared routine ends with.
 */
function requantize(f: ConvInt16, acc: number, c: number): number {
  const limit = f.limits[c]!;
  const v =
    acc < limit && acc > -limit
      ? Math.floor((acc * f.reduced[c]! + f.rounding[c]!) * f.scales[c]!) | 0
      : multiplyByQuantizedMultiplierInt64(acc, f.multipliers[c]!, f.shifts[c]!);
  return Math.min(Math.max(v, f.activationMin), f.activationMax);
}

/** Full four-channel blocks: tiles of two pixels by four channels, then a last odd pixel. */
function convolveBlocks(f: ConvInt16, x: Int16Array, out: Int16Array): void {
  const { depth, runOffsets, runLength, pixelBases, blocked, outDepth } = f;
  const runs = runOffsets.length;
  const pixels = pixelBases.length;
  for (let block = 0; block < f.blocks; block++) {
    const oc = block * BLOCK;
    const weightBase = block * depth * BLOCK;
    const b0 = f.bias[oc]!;
    const b1 = f.bias[oc + 1]!;
    const b2 = f.bias[oc + 2]!;
    const b3 = f.bias[oc + 3]!;
    let p = 0;
    for (; p + 2 <= pixels; p += 2) {
      const base0 = pixelBases[p]!;
      const base1 = pixelBases[p + 1]!;
      let a00 = b0;
      let a01 = b1;
      let a02 = b2;
      let a03 = b3;
      let a10 = b0;
      let a11 = b1;
      let a12 = b2;
      let a13 = b3;
      let k = weightBase;
      for (let r = 0; r < runs; r++) {
        const offset = runOffsets[r]!;
        let i0 = base0 + offset;
        let i1 = base1 + offset;
        const end = i0 + runLength;
        for (; i0 < end; i0++, i1++, k += BLOCK) {
          const x0 = x[i0]!;
          const x1 = x[i1]!;
          const w0 = blocked[k]!;
          const w1 = blocked[k + 1]!;
          const w2 = blocked[k + 2]!;
          const w3 = blocked[k + 3]!;
          a00 += x0 * w0;
          a01 += x0 * w1;
          a02 += x0 * w2;
          a03 += x0 * w3;
          a10 += x1 * w0;
          a11 += x1 * w1;
          a12 += x1 * w2;
          a13 += x1 * w3;
        }
      }
      const o0 = p * outDepth + oc;
      out[o0] = requantize(f, a00, oc);
      out[o0 + 1] = requantize(f, a01, oc + 1);
      out[o0 + 2] = requantize(f, a02, oc + 2);
      out[o0 + 3] = requantize(f, a03, oc + 3);
      const o1 = o0 + outDepth;
      out[o1] = requantize(f, a10, oc);
      out[o1 + 1] = requantize(f, a11, oc + 1);
      out[o1 + 2] = requantize(f, a12, oc + 2);
      out[o1 + 3] = requantize(f, a13, oc + 3);
    }
    if (p < pixels) {
      const base = pixelBases[p]!;
      let a0 = b0;
      let a1 = b1;
      let a2 = b2;
      let a3 = b3;
      let k = weightBase;
      for (let r = 0; r < runs; r++) {
        let i = base + runOffsets[r]!;
        const end = i + runLength;
        for (; i < end; i++, k += BLOCK) {
          const v = x[i]!;
          a0 += v * blocked[k]!;
          a1 += v * blocked[k + 1]!;
          a2 += v * blocked[k + 2]!;
          a3 += v * blocked[k + 3]!;
        }
      }
      const o = p * outDepth + oc;
      out[o] = requantize(f, a0, oc);
      out[o + 1] = requantize(f, a1, oc + 1);
      out[o + 2] = requantize(f, a2, oc + 2);
      out[o + 3] = requantize(f, a3, oc + 3);
    }
  }
}

/** The output channels past the last full block, one at a time. */
function convolveLeftover(f: ConvInt16, x: Int16Array, out: Int16Array): void {
  const { depth, runOffsets, runLength, pixelBases, leftover, outDepth } = f;
  const runs = runOffsets.length;
  for (let oc = f.blocks * BLOCK; oc < outDepth; oc++) {
    const weightBase = (oc - f.blocks * BLOCK) * depth;
    const bias = f.bias[oc]!;
    for (let p = 0; p < pixelBases.length; p++) {
      const base = pixelBases[p]!;
      let acc = bias;
      let k = weightBase;
      for (let r = 0; r < runs; r++) {
        let i = base + runOffsets[r]!;
        const end = i + runLength;
        for (; i < end; i++, k++) acc += x[i]! * leftover[k]!;
      }
      out[p * outDepth + oc] = requantize(f, acc, oc);
    }
  }
}

export function convInt16(f: ConvInt16, input: Int16Array, out: Int16Array, scratch: Uint8Array[], view: PaddedView) {
  let x = input;
  if (f.bordered) {
    const source = scratch[f.scratchIndex]!;
    if (view.source !== source) {
      view.source = source;
      view.padded = new Int16Array(
        source.buffer,
        source.byteOffset,
        f.batches * f.paddedHeight * f.paddedWidth * f.inDepth,
      );
    }
    padInput(f, input, view.padded);
    x = view.padded;
  }
  convolveBlocks(f, x, out);
  convolveLeftover(f, x, out);
}
