/**
 * Quantization of test values the way TFLM's test helpers do it (tflite::Quantize / FloatToQuantizedType and
 * Dequantize), so goldens written as floats in TFLM's *_test.cc files become the exact integers TFLM compares.
 */
import { integerRange, roundHalfAway } from "../../src/kernels/fixed-point.js";

/** round(value / scale) in float32, halves away from zero, plus the zero point, clamped to the type. */
export function quantizeValues(values: readonly number[], scale: number, zeroPoint: number, dtype: string): number[] {
  const [lo, hi] = integerRange(dtype);
  const s = Math.fround(scale);
  return values.map((v) => Math.min(hi, Math.max(lo, roundHalfAway(Math.fround(Math.fround(v) / s)) + zeroPoint)));
}

/** (q - zeroPoint) · scale in float32. */
export function dequantizeValues(values: ArrayLike<number>, scale: number, zeroPoint: number): number[] {
  return Array.from(values, (q) => Math.fround((q - zeroPoint) * Math.fround(scale)));
}

/** TFLM test_helpers ScaleFromMinMax<T>: (max - min) / (qmax - qmin) in float32. */
export function scaleFromMinMax(dtype: string, min: number, max: number): number {
  const [lo, hi] = integerRange(dtype);
  return Math.fround(Math.fround(max - min) / (hi - lo));
}

/** TFLM test_helpers ZeroPointFromMinMax<T>: qmin + round(-min / scale). */
export function zeroPointFromMinMax(dtype: string, min: number, max: number): number {
  const [lo] = integerRange(dtype);
  return lo + roundHalfAway(Math.fround(-min / scaleFromMinMax(dtype, min, max)));
}
