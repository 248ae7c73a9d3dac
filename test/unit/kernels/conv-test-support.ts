/**
 * Shared by the CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED tests: TFLM's test-helper quantization of float
 * test data (SignedSymmetricPerChannelQuantize, CreatePerChannelQuantizedBiasTensor), tolerance checks as TFLM's
 * EXPECT_NEAR, and a seeded generator for the fast-path-versus-reference comparisons.
 */
import assert from "node:assert/strict";
import { roundHalfAway } from "../../../src/kernels/fixed-point.js";

const f = Math.fround;

/**
 * TFLM SignedSymmetricPerChannelQuantize for int8: per channel along `axis` (0 or 3), scale = max|v| / 127 in
 * float32, values round(v / scale) clamped to [-127, 127].
 */
export function perChannelQuantize(
  values: readonly number[],
  shape: readonly number[],
  axis: number,
): { quantized: number[]; scales: number[] } {
  const channels = shape[axis]!;
  const perChannel = values.length / channels;
  const [stride, channelStride] = axis === 0 ? [1, perChannel] : [channels, 1];
  const quantized = new Array<number>(values.length).fill(0);
  const scales: number[] = [];
  for (let c = 0; c < channels; c++) {
    let min = 0;
    let max = 0;
    for (let i = 0; i < perChannel; i++) {
      const v = f(values[c * channelStride + i * stride]!);
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const scale = f(Math.max(Math.abs(min), Math.abs(max)) / 127);
    scales.push(scale);
    for (let i = 0; i < perChannel; i++) {
      const idx = c * channelStride + i * stride;
      quantized[idx] = Math.min(127, Math.max(-127, roundHalfAway(f(f(values[idx]!) / scale))));
    }
  }
  return { quantized, scales };
}

/** TFLM CreatePerChannelQuantizedBiasTensor: bias scale input_scale * filter_scale[c] (float32), round(v / scale). */
export function quantizeBias(values: readonly number[], inputScale: number, filterScales: readonly number[]): number[] {
  const perChannel = values.length / filterScales.length;
  return values.map((v, i) => {
    const scale = f(f(inputScale) * f(filterScales[Math.floor(i / perChannel)]!));
    return roundHalfAway(f(f(v) / scale));
  });
}

/** EXPECT_NEAR over arrays. */
export function assertNear(actual: ArrayLike<number | bigint>, expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length, "output length");
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]!);
    assert.ok(
      Math.abs(a - expected[i]!) <= tolerance,
      `element ${i}: got ${a}, expected ${expected[i]} ± ${tolerance}`,
    );
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): {
  next: () => number;
  int: (lo: number, hi: number) => number;
  pick: <T>(items: readonly T[]) => T;
} {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return { next, int, pick };
}

export type Random = ReturnType<typeof seededRandom>;

/** A float32 scale near `magnitude` (within a factor of 4 either way). */
export function randomScale(r: Random, magnitude: number): number {
  return f(magnitude * 2 ** (r.next() * 4 - 2));
}

/**
 * An output scale for accumulators of typical magnitude `accumulator`: mostly outputs spanning a few to a hundred
 * steps, so a one-unit slip in an accumulator shows; sometimes extreme multipliers (2^-20 to 2^3), so every
 * common right shift and left shifts occur too.
 */
export function randomOutputScale(r: Random, inputScale: number, filterScale: number, accumulator: number): number {
  const multiplier = r.next() < 0.8 ? 2 ** (r.next() * 7) / Math.max(1, accumulator) : 2 ** (r.next() * 23 - 20);
  return f((inputScale * filterScale) / multiplier);
}

/**
 * int8 values around the zero point, spread narrowly or widely so accumulators range from tiny to large; also
 * returns the mean |x - zero_point|.
 */
export function randomInt8Around(r: Random, zeroPoint: number, count: number): { values: number[]; spread: number } {
  const spread = r.pick([2, 8, 40, 255]);
  const values = Array.from({ length: count }, () => Math.min(127, Math.max(-128, zeroPoint + r.int(-spread, spread))));
  const mean = values.reduce((sum, v) => sum + Math.abs(v - zeroPoint), 0) / Math.max(1, count);
  return { values, spread: mean };
}
