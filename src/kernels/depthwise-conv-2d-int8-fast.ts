/**
 * The fast path of int8 DEPTHWISE_CONV_2D with constant weights (any filter size, stride, dilation and depth
 * multiplier), bit-identical to the reference in depthwise-conv-2d.ts.
 *
 * Why it is fast: channels run outermost, so each channel's taps, bias and requantization constants sit in
 * locals. Three layouts:
 * - 3x3, stride 1, no dilation: each input channel is copied once into a float32 scratch plane whose border
 *   already holds the zero point, so every output is nine unchecked taps with no int-to-double conversions,
 *   and the window slides, loading three new values per output instead of nine.
 * - 3x3 otherwise (strided layers, where a copy would cost more than it saves): interior pixels, whose window
 *   lies wholly inside the input, read it directly, unrolled, with no bounds tests.
 * - other filters (any size, stride or dilation): per output row, the filter's input rows of one channel are
 *   gathered into an int8 strip whose padding already holds the zero point, so every tap is unchecked; four
 *   output pixels share each weight load, and the strip serves every output channel of its input channel.
 * - border pixels of strided 3x3 layers: each window is clipped to the input once, so its loop has no per-tap
 *   tests, and every tap adds the offset as the reference does.
 * Unrolled loops use a bias with the input zero point folded in (bias - zero_point * sum(w)).
 */
import type { TensorDef } from "../format/model.js";
import type { NodeContext } from "../runtime/kernel.js";
import {
  constantView,
  endTap,
  firstTap,
  type RequantizeTables,
  requantizeFast,
  requantizeTables,
} from "./conv-common.js";
import type { DepthwisePrepared } from "./depthwise-conv-2d.js";
import { multiplyByQuantizedMultiplier } from "./fixed-point.js";

export interface DepthwiseInt8 {
  batches: number;
  inHeight: number;
  inWidth: number;
  inDepth: number;
  outHeight: number;
  outWidth: number;
  outDepth: number;
  filterHeight: number;
  filterWidth: number;
  depthMultiplier: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
  /** Interior output rows [rowStart, rowEnd) and columns [colStart, colEnd): every tap inside the input. */
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
  /** [oc][tap] weights as doubles. */
  taps: Float64Array;
  bias: Float64Array;
  /** bias[oc] - input_zero_point * sum(taps of oc), for interior pixels. */
  foldedBias: Float64Array;
  inputOffset: number;
  requantize: RequantizeTables;
  outputZeroPoint: number;
  min: number;
  max: number;
  /** The padded-plane layout (3x3, stride 1): its scratch buffer and extent; scratchIndex -1 otherwise. */
  scratchIndex: number;
  planeHeight: number;
  planeWidth: number;
  /** The strip layout (filters other than undilated 3x3): its scratch buffer and width; stripIndex -1 otherwise. */
  stripIndex: number;
  stripWidth: number;
  /**
   * For channel pairs (oc, oc + 1) of one input channel, oc's taps + 2^24 * oc+1's taps at oc's place: one
   * multiply-add then does two exact MACs (each sum stays below 2^23 while there are at most 511 taps). Empty when
   * the depth multiplier is 1 or the filter is larger.
   */
  pairedTaps: Float64Array;
}

/** Per-session cache of the typed views over the arena scratch that holds the plane or the strip. */
export interface PlaneView {
  source: Uint8Array | null;
  plane: Float32Array;
  /** The strip layout's int8 view over its scratch. */
  strip: Int8Array;
}

export function createPlaneView(): PlaneView {
  return { source: null, plane: new Float32Array(0), strip: new Int8Array(0) };
}

/** First output index whose window starts at or after input 0, and the end of those ending inside the input. */
function interior(out: number, stride: number, pad: number, effectiveFilter: number, size: number): [number, number] {
  const start = Math.min(out, Math.ceil(pad / stride));
  // o*stride - pad + effectiveFilter <= size  <=>  o <= (size + pad - effectiveFilter) / stride
  const end = Math.max(start, Math.min(out, Math.floor((size + pad - effectiveFilter) / stride) + 1));
  return [start | 0, end | 0];
}

/** |w·x| <= 2^14 for int8, so 511 products sum below 2^23: the low half of a paired accumulator stays separable. */
const MAX_PAIRED_TAPS = 511;
const TWO_POW_23 = 8388608;
const TWO_POW_24 = 16777216;

function pairTaps(taps: Float64Array, channels: number, tapCount: number): Float64Array {
  const paired = new Float64Array(channels * tapCount);
  // Every oc gets a pair: which ones the kernel uses depends on where each input channel's group starts.
  for (let oc = 0; oc + 1 < channels; oc++) {
    for (let k = 0; k < tapCount; k++) {
      paired[oc * tapCount + k] = taps[oc * tapCount + k]! + TWO_POW_24 * taps[(oc + 1) * tapCount + k]!;
    }
  }
  return paired;
}

export function prepareDepthwiseInt8(
  ctx: NodeContext,
  p: DepthwisePrepared,
  filter: TensorDef,
  biasTensor: TensorDef | null,
): DepthwiseInt8 | null {
  const w = p.window;
  const q = p.quant!;
  if (!filter.data || (biasTensor && !p.bias)) return null;
  const weights = constantView(filter) as Int8Array;
  const channels = w.outDepth;
  const tapCount = w.filterHeight * w.filterWidth;
  const taps = new Float64Array(channels * tapCount);
  const bias = new Float64Array(channels);
  const foldedBias = new Float64Array(channels);
  for (let oc = 0; oc < channels; oc++) {
    let sum = 0;
    for (let k = 0; k < tapCount; k++) {
      const tap = weights[k * channels + oc]!;
      taps[oc * tapCount + k] = tap;
      sum += tap;
    }
    bias[oc] = p.bias ? p.bias[oc]! : 0;
    foldedBias[oc] = bias[oc]! - q.inputZeroPoint * sum;
  }
  const effectiveH = (w.filterHeight - 1) * w.dilationH + 1;
  const effectiveW = (w.filterWidth - 1) * w.dilationW + 1;
  const [rowStart, rowEnd] = interior(w.outHeight, w.strideH, w.padH, effectiveH, w.inHeight);
  const [colStart, colEnd] = interior(w.outWidth, w.strideW, w.padW, effectiveW, w.inWidth);
  const usePlane =
    w.filterHeight === 3 &&
    w.filterWidth === 3 &&
    w.dilationH === 1 &&
    w.dilationW === 1 &&
    w.strideH === 1 &&
    w.strideW === 1;
  // The plane spans exactly the rows and columns the windows read, padding included.
  const planeHeight = usePlane ? w.outHeight + 2 : 0;
  const planeWidth = usePlane ? w.outWidth + 2 : 0;
  const unrolled3x3 = w.filterHeight === 3 && w.filterWidth === 3 && w.dilationH === 1 && w.dilationW === 1;
  // A strip holds the filterHeight input rows one output row reads, each spanning every column a window reads.
  const stripWidth = unrolled3x3 ? 0 : (w.outWidth - 1) * w.strideW + effectiveW;
  return {
    batches: w.batches,
    inHeight: w.inHeight,
    inWidth: w.inWidth,
    inDepth: w.inDepth,
    outHeight: w.outHeight,
    outWidth: w.outWidth,
    outDepth: w.outDepth,
    filterHeight: w.filterHeight,
    filterWidth: w.filterWidth,
    depthMultiplier: p.depthMultiplier,
    strideH: w.strideH,
    strideW: w.strideW,
    dilationH: w.dilationH,
    dilationW: w.dilationW,
    padH: w.padH,
    padW: w.padW,
    rowStart,
    rowEnd,
    colStart,
    colEnd,
    taps,
    bias,
    foldedBias,
    inputOffset: -q.inputZeroPoint | 0,
    requantize: requantizeTables(q),
    outputZeroPoint: q.outputZeroPoint | 0,
    min: q.activationMin | 0,
    max: q.activationMax | 0,
    scratchIndex: usePlane ? ctx.requestScratch(planeHeight * planeWidth * 4) : -1,
    planeHeight,
    planeWidth,
    stripIndex: unrolled3x3 ? -1 : ctx.requestScratch(w.filterHeight * stripWidth),
    stripWidth,
    pairedTaps:
      !unrolled3x3 && p.depthMultiplier > 1 && tapCount <= MAX_PAIRED_TAPS
        ? pairTaps(taps, channels, tapCount)
        : new Float64Array(0),
  };
}

/** Requantizes, offsets and clamps (branch-free) one int32 accumulator of channel oc. */
function finish(f: DepthwiseInt8, acc: number, oc: number): number {
  let v = requantizeFast(acc, oc, f.requantize) + f.outputZeroPoint;
  const below = v - f.min;
  v -= below & (below >> 31);
  const above = v - f.max;
  return f.max + (above & (above >> 31));
}

/**
 * One output pixel, any filter: the taps inside the input (a clipped window, so no per-tap tests), each with
 * the input offset as in the reference; returns the int32 accumulator.
 */
function windowPixel(f: DepthwiseInt8, input: Int8Array, b: number, ic: number, oc: number, oy: number, ox: number) {
  const iy0 = oy * f.strideH - f.padH;
  const ix0 = ox * f.strideW - f.padW;
  const dh = f.dilationH;
  const dw = f.dilationW;
  const fyStart = firstTap(iy0, dh);
  const fyEnd = endTap(iy0, dh, f.filterHeight, f.inHeight);
  const fxStart = firstTap(ix0, dw);
  const fxEnd = endTap(ix0, dw, f.filterWidth, f.inWidth);
  const taps = f.taps;
  const offset = f.inputOffset;
  const c = f.inDepth;
  const step = dw * c;
  let acc = f.bias[oc]!;
  for (let fy = fyStart; fy < fyEnd; fy++) {
    let i = ((b * f.inHeight + iy0 + fy * dh) * f.inWidth + ix0 + fxStart * dw) * c + ic;
    let k = (oc * f.filterHeight + fy) * f.filterWidth + fxStart;
    for (let fx = fxStart; fx < fxEnd; fx++, i += step, k++) acc += taps[k]! * (input[i]! + offset);
  }
  // The reference's int32 accumulator wraps; | 0 does the same to the exact sum.
  return acc | 0;
}

/**
 * Interior block of a 3x3 filter without dilation, read straight from the input (any stride): output rows
 * [rowStart, rowEnd) x columns [colStart, colEnd) of channel oc.
 */
function interiorBlock3x3(f: DepthwiseInt8, input: Int8Array, out: Int8Array, b: number, ic: number, oc: number) {
  const k = oc * 9;
  const taps = f.taps;
  const w0 = taps[k]!;
  const w1 = taps[k + 1]!;
  const w2 = taps[k + 2]!;
  const w3 = taps[k + 3]!;
  const w4 = taps[k + 4]!;
  const w5 = taps[k + 5]!;
  const w6 = taps[k + 6]!;
  const w7 = taps[k + 7]!;
  const w8 = taps[k + 8]!;
  const bias = f.foldedBias[oc]!;
  const t = f.requantize;
  const multiplier = t.multipliers[oc]!;
  const shift = t.shifts[oc]!;
  const leftShift = t.leftShifts[oc]!;
  const limit = t.limits[oc]!;
  const offset = t.offsets[oc]!;
  const negativeAdjust = t.negativeAdjusts[oc]!;
  const scale = t.scales[oc]!;
  const zp = f.outputZeroPoint;
  const min = f.min;
  const max = f.max;
  const c = f.inDepth;
  const c2 = 2 * c;
  const row = f.inWidth * c;
  const row2 = 2 * row;
  const step = f.strideW * c;
  const depth = f.outDepth;
  for (let oy = f.rowStart; oy < f.rowEnd; oy++) {
    let i = ((b * f.inHeight + oy * f.strideH - f.padH) * f.inWidth + f.colStart * f.strideW - f.padW) * c + ic;
    let o = ((b * f.outHeight + oy) * f.outWidth + f.colStart) * depth + oc;
    for (let ox = f.colStart; ox < f.colEnd; ox++, i += step, o += depth) {
      const sum =
        w0 * input[i]! +
        w1 * input[i + c]! +
        w2 * input[i + c2]! +
        w3 * input[i + row]! +
        w4 * input[i + row + c]! +
        w5 * input[i + row + c2]! +
        w6 * input[i + row2]! +
        w7 * input[i + row2 + c]! +
        w8 * input[i + row2 + c2]! +
        bias;
      // The reference's int32 accumulator wraps; | 0 does the same to the exact sum.
      const acc = sum | 0;
      const x = acc << leftShift;
      // fixed-point.ts's requantizeFloor (conv-common's requantizeFast), inline: a call here measured ~2% slower.
      let v =
        x < limit && x > -limit
          ? Math.floor((x * multiplier + offset - (x >>> 31) * negativeAdjust) * scale)
          : multiplyByQuantizedMultiplier(acc, multiplier, shift);
      v += zp;
      // Branch-free clamp: ReLU clamps are taken about half the time and would mispredict as branches.
      const below = v - min;
      v -= below & (below >> 31);
      const above = v - max;
      out[o] = max + (above & (above >> 31));
    }
  }
}

/** Border pixels and interior of one channel, reading the input directly. */
function convolveChannel(f: DepthwiseInt8, input: Int8Array, out: Int8Array, b: number, ic: number, oc: number) {
  const unrolled = f.filterHeight === 3 && f.filterWidth === 3 && f.dilationH === 1 && f.dilationW === 1;
  const hasInterior = unrolled && f.rowStart < f.rowEnd && f.colStart < f.colEnd;
  for (let oy = 0; oy < f.outHeight; oy++) {
    const rowOut = (b * f.outHeight + oy) * f.outWidth;
    const interiorRow = hasInterior && oy >= f.rowStart && oy < f.rowEnd;
    for (let ox = 0; ox < f.outWidth; ox++) {
      if (interiorRow && ox === f.colStart) {
        ox = f.colEnd - 1;
        continue;
      }
      out[(rowOut + ox) * f.outDepth + oc] = finish(f, windowPixel(f, input, b, ic, oc, oy, ox), oc);
    }
  }
  if (hasInterior) interiorBlock3x3(f, input, out, b, ic, oc);
}

/** Copies input channel ic of batch b into the plane's interior; the border keeps the zero point. */
function gatherPlane(f: DepthwiseInt8, input: Int8Array, plane: Float32Array, b: number, ic: number): void {
  const pw = f.planeWidth;
  // Rows and columns no window reads (an output tensor smaller than the padding implies) are left out.
  const rows = Math.min(f.inHeight, f.planeHeight - f.padH);
  const cols = Math.min(f.inWidth, pw - f.padW);
  for (let iy = 0; iy < rows; iy++) {
    let src = (b * f.inHeight + iy) * f.inWidth * f.inDepth + ic;
    let dst = (iy + f.padH) * pw + f.padW;
    for (let ix = 0; ix < cols; ix++, src += f.inDepth, dst++) plane[dst] = input[src]!;
  }
}

/** One output channel over the padded plane (3x3, stride 1): every window is inside, and it slides. */
function planeChannel3x3(f: DepthwiseInt8, plane: Float32Array, out: Int8Array, b: number, oc: number) {
  const k = oc * 9;
  const taps = f.taps;
  const w0 = taps[k]!;
  const w1 = taps[k + 1]!;
  const w2 = taps[k + 2]!;
  const w3 = taps[k + 3]!;
  const w4 = taps[k + 4]!;
  const w5 = taps[k + 5]!;
  const w6 = taps[k + 6]!;
  const w7 = taps[k + 7]!;
  const w8 = taps[k + 8]!;
  const bias = f.foldedBias[oc]!;
  const t = f.requantize;
  const multiplier = t.multipliers[oc]!;
  const shift = t.shifts[oc]!;
  const leftShift = t.leftShifts[oc]!;
  const limit = t.limits[oc]!;
  const offset = t.offsets[oc]!;
  const negativeAdjust = t.negativeAdjusts[oc]!;
  const scale = t.scales[oc]!;
  const zp = f.outputZeroPoint;
  const min = f.min;
  const max = f.max;
  const pw = f.planeWidth;
  const pw2 = 2 * pw;
  const depth = f.outDepth;
  const outWidth = f.outWidth;
  for (let oy = 0; oy < f.outHeight; oy++) {
    let i = oy * pw;
    let o = (b * f.outHeight + oy) * outWidth * depth + oc;
    // Columns x and x+1 of the three rows, carried from one output to the next.
    let a0 = plane[i]!;
    let a1 = plane[i + 1]!;
    let b0 = plane[i + pw]!;
    let b1 = plane[i + pw + 1]!;
    let c0 = plane[i + pw2]!;
    let c1 = plane[i + pw2 + 1]!;
    for (let ox = 0; ox < outWidth; ox++, i++, o += depth) {
      const a2 = plane[i + 2]!;
      const b2 = plane[i + pw + 2]!;
      const c2 = plane[i + pw2 + 2]!;
      const sum = w0 * a0 + w1 * a1 + w2 * a2 + w3 * b0 + w4 * b1 + w5 * b2 + w6 * c0 + w7 * c1 + w8 * c2 + bias;
      a0 = a1;
      a1 = a2;
      b0 = b1;
      b1 = b2;
      c0 = c1;
      c1 = c2;
      // The reference's int32 accumulator wraps; | 0 does the same to the exact sum.
      const acc = sum | 0;
      const x = acc << leftShift;
      // fixed-point.ts's requantizeFloor (conv-common's requantizeFast), inline: a call here measured ~2% slower.
      let v =
        x < limit && x > -limit
          ? Math.floor((x * multiplier + offset - (x >>> 31) * negativeAdjust) * scale)
          : multiplyByQuantizedMultiplier(acc, multiplier, shift);
      v += zp;
      // Branch-free clamp: ReLU clamps are taken about half the time and would mispredict as branches.
      const below = v - min;
      v -= below & (below >> 31);
      const above = v - max;
      out[o] = max + (above & (above >> 31));
    }
  }
}

function depthwisePlane(f: DepthwiseInt8, input: Int8Array, out: Int8Array, plane: Float32Array): void {
  plane.fill(-f.inputOffset);
  for (let b = 0; b < f.batches; b++) {
    for (let ic = 0; ic < f.inDepth; ic++) {
      gatherPlane(f, input, plane, b, ic);
      for (let m = 0; m < f.depthMultiplier; m++) planeChannel3x3(f, plane, out, b, ic * f.depthMultiplier + m);
    }
  }
}

/**
 * Gathers, for output row oy of input channel ic, the filter's input rows into the strip: row fy holds input
 * row oy*strideH - padH + fy*dilationH over the columns the windows read, with the zero point outside the input.
 */
function gatherStrip(f: DepthwiseInt8, input: Int8Array, strip: Int8Array, b: number, ic: number, oy: number) {
  const width = f.stripWidth;
  const zp = -f.inputOffset;
  const c = f.inDepth;
  // Strip column x reads input column x - padW: [left, right) are the columns inside the input.
  const left = Math.min(f.padW, width);
  const right = Math.max(left, Math.min(width, f.padW + f.inWidth));
  for (let fy = 0; fy < f.filterHeight; fy++) {
    const iy = oy * f.strideH - f.padH + fy * f.dilationH;
    const row = fy * width;
    if (iy < 0 || iy >= f.inHeight) {
      strip.fill(zp, row, row + width);
      continue;
    }
    strip.fill(zp, row, row + left);
    let src = ((b * f.inHeight + iy) * f.inWidth + left - f.padW) * c + ic;
    for (let x = row + left; x < row + right; x++, src += c) strip[x] = input[src]!;
    strip.fill(zp, row + right, row + width);
  }
}

/** Output row oy of channel oc from its strip: four pixels per pass share each weight, every tap unchecked. */
function stripRow(f: DepthwiseInt8, strip: Int8Array, out: Int8Array, b: number, oy: number, oc: number) {
  const taps = f.taps;
  const fh = f.filterHeight;
  const fw = f.filterWidth;
  const firstTapIndex = oc * fh * fw;
  const bias = f.foldedBias[oc]!;
  const width = f.stripWidth;
  const dw = f.dilationW;
  const s1 = f.strideW;
  const s2 = 2 * s1;
  const s3 = 3 * s1;
  const s4 = 4 * s1;
  const outWidth = f.outWidth;
  const depth = f.outDepth;
  let o = (b * f.outHeight + oy) * outWidth * depth + oc;
  let ox = 0;
  let start = 0;
  for (; ox + 4 <= outWidth; ox += 4, start += s4) {
    let a0 = bias;
    let a1 = bias;
    let a2 = bias;
    let a3 = bias;
    let k = firstTapIndex;
    for (let fy = 0, row = start; fy < fh; fy++, row += width) {
      for (let fx = 0, j = row; fx < fw; fx++, j += dw, k++) {
        const w = taps[k]!;
        a0 += w * strip[j]!;
        a1 += w * strip[j + s1]!;
        a2 += w * strip[j + s2]!;
        a3 += w * strip[j + s3]!;
      }
    }
    // The reference's int32 accumulator wraps; | 0 does the same to the exact sum.
    out[o] = finish(f, a0 | 0, oc);
    out[o + depth] = finish(f, a1 | 0, oc);
    out[o + 2 * depth] = finish(f, a2 | 0, oc);
    out[o + 3 * depth] = finish(f, a3 | 0, oc);
    o += 4 * depth;
  }
  for (; ox < outWidth; ox++, start += s1, o += depth) {
    let acc = bias;
    let k = firstTapIndex;
    for (let fy = 0, row = start; fy < fh; fy++, row += width) {
      for (let fx = 0, j = row; fx < fw; fx++, j += dw, k++) acc += taps[k]! * strip[j]!;
    }
    out[o] = finish(f, acc | 0, oc);
  }
}

/** Writes both halves of a paired accumulator (low: channel oc, high: oc + 1) at output index o. */
function finishPair(
  f: DepthwiseInt8,
  total: number,
  out: Int8Array,
  o: number,
  oc: number,
  biasLow: number,
  biasHigh: number,
) {
  const high = Math.floor((total + TWO_POW_23) / TWO_POW_24);
  const low = total - high * TWO_POW_24;
  // The reference's int32 accumulator wraps; | 0 does the same to the exact sum.
  out[o] = finish(f, (low + biasLow) | 0, oc);
  out[o + 1] = finish(f, (high + biasHigh) | 0, oc + 1);
}

/** stripRow for output channels oc and oc + 1 at once, through the paired taps. */
function stripRowPair(f: DepthwiseInt8, strip: Int8Array, out: Int8Array, b: number, oy: number, oc: number) {
  const taps = f.pairedTaps;
  const fh = f.filterHeight;
  const fw = f.filterWidth;
  const firstTapIndex = oc * fh * fw;
  const biasLow = f.foldedBias[oc]!;
  const biasHigh = f.foldedBias[oc + 1]!;
  const width = f.stripWidth;
  const dw = f.dilationW;
  const s1 = f.strideW;
  const s2 = 2 * s1;
  const s3 = 3 * s1;
  const s4 = 4 * s1;
  const outWidth = f.outWidth;
  const depth = f.outDepth;
  let o = (b * f.outHeight + oy) * outWidth * depth + oc;
  let ox = 0;
  let start = 0;
  for (; ox + 4 <= outWidth; ox += 4, start += s4) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let k = firstTapIndex;
    for (let fy = 0, row = start; fy < fh; fy++, row += width) {
      for (let fx = 0, j = row; fx < fw; fx++, j += dw, k++) {
        const w = taps[k]!;
        a0 += w * strip[j]!;
        a1 += w * strip[j + s1]!;
        a2 += w * strip[j + s2]!;
        a3 += w * strip[j + s3]!;
      }
    }
    finishPair(f, a0, out, o, oc, biasLow, biasHigh);
    finishPair(f, a1, out, o + depth, oc, biasLow, biasHigh);
    finishPair(f, a2, out, o + 2 * depth, oc, biasLow, biasHigh);
    finishPair(f, a3, out, o + 3 * depth, oc, biasLow, biasHigh);
    o += 4 * depth;
  }
  for (; ox < outWidth; ox++, start += s1, o += depth) {
    let acc = 0;
    let k = firstTapIndex;
    for (let fy = 0, row = start; fy < fh; fy++, row += width) {
      for (let fx = 0, j = row; fx < fw; fx++, j += dw, k++) acc += taps[k]! * strip[j]!;
    }
    finishPair(f, acc, out, o, oc, biasLow, biasHigh);
  }
}

function depthwiseStrips(f: DepthwiseInt8, input: Int8Array, out: Int8Array, strip: Int8Array): void {
  const paired = f.pairedTaps.length > 0;
  for (let b = 0; b < f.batches; b++) {
    for (let ic = 0; ic < f.inDepth; ic++) {
      for (let oy = 0; oy < f.outHeight; oy++) {
        gatherStrip(f, input, strip, b, ic, oy);
        const first = ic * f.depthMultiplier;
        let m = 0;
        if (paired) for (; m + 2 <= f.depthMultiplier; m += 2) stripRowPair(f, strip, out, b, oy, first + m);
        for (; m < f.depthMultiplier; m++) stripRow(f, strip, out, b, oy, first + m);
      }
    }
  }
}

export function depthwiseInt8(
  f: DepthwiseInt8,
  input: Int8Array,
  out: Int8Array,
  scratch: Uint8Array[],
  view: PlaneView,
) {
  if (f.scratchIndex >= 0) {
    const source = scratch[f.scratchIndex]!;
    if (view.source !== source) {
      view.source = source;
      view.plane = new Float32Array(source.buffer, source.byteOffset, f.planeHeight * f.planeWidth);
    }
    depthwisePlane(f, input, out, view.plane);
    return;
  }
  if (f.stripIndex >= 0) {
    const source = scratch[f.stripIndex]!;
    if (view.source !== source) {
      view.source = source;
      view.strip = new Int8Array(source.buffer, source.byteOffset, f.filterHeight * f.stripWidth);
    }
    depthwiseStrips(f, input, out, view.strip);
    return;
  }
  for (let b = 0; b < f.batches; b++) {
    for (let ic = 0; ic < f.inDepth; ic++) {
      for (let m = 0; m < f.depthMultiplier; m++) convolveChannel(f, input, out, b, ic, ic * f.depthMultiplier + m);
    }
  }
}
