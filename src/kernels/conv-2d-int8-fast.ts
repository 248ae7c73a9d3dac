/**
 * The fast path of int8 CONV_2D for 1x1 filters with stride 1 (MobileNet's pointwise layers): a GEMM of
 * pixels x input channels by input channels x output channels, bit-identical to the reference in conv-2d.ts.
 *
 * Why it is fast: in prepare, the input zero point is folded into the bias and the weights are packed in
 * blocks of 8 output channels, two int8 weights per double (w[c] + w[c+4] * 2^24), so one float64
 * multiply-add does two exact multiply-accumulates. Each inner step computes a 3-pixel x 8-channel tile in
 * twelve double accumulators (V8 keeps doubles unboxed with no overflow checks). The two halves of a packed
 * sum separate exactly while each stays below 2^23 in magnitude: |x * w| <= 2^14 and the depth is at most
 * 511. The sums of a run of pixels are buffered and then requantized channel by channel with conv-common's
 * exact double shortcut written inline, constants in locals, and a branch-free clamp.
 */
import type { TensorDef } from "../format/model.js";
import type { ConvPrepared } from "./conv-2d.js";
import { constantView, type RequantizeTables, requantizeTables } from "./conv-common.js";
import { multiplyByQuantizedMultiplier } from "./fixed-point.js";

/** Packed sums separate exactly up to this depth (|sum| <= 511 * 2^14 < 2^23). */
export const MAX_PACKED_DEPTH = 511;
const TWO_POW_24 = 16777216;
const TWO_POW_MINUS_24 = 1 / TWO_POW_24;
const TILE_PIXELS = 3;
const BLOCK_CHANNELS = 8;
/** Pixels whose sums are buffered before requantizing, so each channel's constants load once per run. */
const RUN_PIXELS = 96;

export interface PointwiseInt8 {
  pixels: number;
  depth: number;
  channels: number;
  blocks: number;
  /** [block][k][4]: w[8b + j][k] + w[8b + j + 4][k] * 2^24 for j < 4; zero for channels past the end. */
  packed: Float64Array;
  /** Bias with the input zero point folded in: bias[c] - input_zero_point * sum_k w[c][k]. */
  bias: Float64Array;
  requantize: RequantizeTables;
  outputZeroPoint: number;
  min: number;
  max: number;
}

/** Per-session buffer for the channel sums of one run of pixels (RUN_PIXELS x 8 channels). */
export function createPointwiseTile(): Float64Array {
  return new Float64Array(RUN_PIXELS * BLOCK_CHANNELS);
}

/** Packs a 1x1, stride-1 int8 convolution with constant weights; null when the fast path does not apply. */
export function preparePointwiseInt8(
  p: ConvPrepared,
  filter: TensorDef,
  bias: Float64Array | null,
  biasTensor: TensorDef | null,
): PointwiseInt8 | null {
  const w = p.window;
  const q = p.quant!;
  if (w.filterHeight !== 1 || w.filterWidth !== 1 || w.strideH !== 1 || w.strideW !== 1) return null;
  if (w.padH !== 0 || w.padW !== 0 || w.inHeight !== w.outHeight || w.inWidth !== w.outWidth) return null;
  if (!filter.data || (biasTensor && !bias)) return null;
  const depth = w.inDepth;
  if (depth > MAX_PACKED_DEPTH || p.filterDepth !== depth) return null;
  const weights = constantView(filter) as Int8Array;
  const channels = w.outDepth;
  const blocks = Math.ceil(channels / BLOCK_CHANNELS);
  const packed = new Float64Array(blocks * depth * 4);
  const folded = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = 0; k < depth; k++) sum += weights[c * depth + k]!;
    folded[c] = (bias ? bias[c]! : 0) - q.inputZeroPoint * sum;
  }
  for (let blk = 0; blk < blocks; blk++) {
    for (let k = 0; k < depth; k++) {
      for (let j = 0; j < 4; j++) {
        const lo = blk * BLOCK_CHANNELS + j;
        const hi = lo + 4;
        const wl = lo < channels ? weights[lo * depth + k]! : 0;
        const wh = hi < channels ? weights[hi * depth + k]! : 0;
        packed[(blk * depth + k) * 4 + j] = wl + wh * TWO_POW_24;
      }
    }
  }
  return {
    pixels: w.batches * w.outHeight * w.outWidth,
    depth,
    channels,
    blocks,
    packed,
    bias: folded,
    requantize: requantizeTables(q),
    outputZeroPoint: q.outputZeroPoint,
    min: q.activationMin,
    max: q.activationMax,
  };
}

/** Splits one pixel's four packed sums into its eight channel sums, tile[8 * px + j]. */
function unpack(tile: Float64Array, px: number, s0: number, s1: number, s2: number, s3: number): void {
  // Each packed sum is lo + hi * 2^24 with |lo| < 2^23, so rounding s / 2^24 recovers hi exactly.
  const base = px * BLOCK_CHANNELS;
  const h0 = Math.round(s0 * TWO_POW_MINUS_24);
  const h1 = Math.round(s1 * TWO_POW_MINUS_24);
  const h2 = Math.round(s2 * TWO_POW_MINUS_24);
  const h3 = Math.round(s3 * TWO_POW_MINUS_24);
  tile[base] = s0 - h0 * TWO_POW_24;
  tile[base + 1] = s1 - h1 * TWO_POW_24;
  tile[base + 2] = s2 - h2 * TWO_POW_24;
  tile[base + 3] = s3 - h3 * TWO_POW_24;
  tile[base + 4] = h0;
  tile[base + 5] = h1;
  tile[base + 6] = h2;
  tile[base + 7] = h3;
}

/**
 * Adds the folded bias, requantizes and clamps the buffered sums of `count` pixels starting at pixel p, for
 * channels c0.. of the block; channel by channel, so its constants stay in locals.
 */
function storeRun(f: PointwiseInt8, tile: Float64Array, out: Int8Array, p: number, count: number, c0: number) {
  const t = f.requantize;
  const channels = f.channels;
  const zp = f.outputZeroPoint;
  const min = f.min;
  const max = f.max;
  const end = Math.min(BLOCK_CHANNELS, channels - c0);
  for (let j = 0; j < end; j++) {
    const c = c0 + j;
    const bias = f.bias[c]!;
    const multiplier = t.multipliers[c]!;
    const shift = t.shifts[c]!;
    const leftShift = t.leftShifts[c]!;
    const limit = t.limits[c]!;
    const offset = t.offsets[c]!;
    const negativeAdjust = t.negativeAdjusts[c]!;
    const scale = t.scales[c]!;
    let o = p * channels + c;
    const tileEnd = count * BLOCK_CHANNELS;
    for (let i = j; i < tileEnd; i += BLOCK_CHANNELS, o += channels) {
      // The reference's int32 accumulator wraps; | 0 does the same to the exact sum.
      const acc = (tile[i]! + bias) | 0;
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

/** Sums of pixels [p, p + count) for block blk into tile[8 * (pixel - p) + j]: 3-pixel tiles, then singles. */
function gemmRun(f: PointwiseInt8, input: Int8Array, tile: Float64Array, blk: number, p: number, count: number) {
  const depth = f.depth;
  const packed = f.packed;
  const wBase = blk * depth * 4;
  let px = 0;
  for (; px + TILE_PIXELS <= count; px += TILE_PIXELS) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    let b3 = 0;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let x0 = (p + px) * depth;
    const end = x0 + depth;
    let wi = wBase;
    for (; x0 < end; x0++, wi += 4) {
      const w0 = packed[wi]!;
      const w1 = packed[wi + 1]!;
      const w2 = packed[wi + 2]!;
      const w3 = packed[wi + 3]!;
      const u = input[x0]!;
      const v = input[x0 + depth]!;
      const s = input[x0 + 2 * depth]!;
      a0 += u * w0;
      a1 += u * w1;
      a2 += u * w2;
      a3 += u * w3;
      b0 += v * w0;
      b1 += v * w1;
      b2 += v * w2;
      b3 += v * w3;
      d0 += s * w0;
      d1 += s * w1;
      d2 += s * w2;
      d3 += s * w3;
    }
    unpack(tile, px, a0, a1, a2, a3);
    unpack(tile, px + 1, b0, b1, b2, b3);
    unpack(tile, px + 2, d0, d1, d2, d3);
  }
  for (; px < count; px++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const x0 = (p + px) * depth;
    for (let k = 0; k < depth; k++) {
      const u = input[x0 + k]!;
      const wi = wBase + k * 4;
      a0 += u * packed[wi]!;
      a1 += u * packed[wi + 1]!;
      a2 += u * packed[wi + 2]!;
      a3 += u * packed[wi + 3]!;
    }
    unpack(tile, px, a0, a1, a2, a3);
  }
}

export function pointwiseInt8(f: PointwiseInt8, input: Int8Array, out: Int8Array, tile: Float64Array): void {
  for (let blk = 0; blk < f.blocks; blk++) {
    for (let p = 0; p < f.pixels; p += RUN_PIXELS) {
      const count = Math.min(RUN_PIXELS, f.pixels - p);
      gemmRun(f, input, tile, blk, p, count);
      storeRun(f, tile, out, p, count, blk * BLOCK_CHANNELS);
    }
  }
}
