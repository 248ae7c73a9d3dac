/**
 * Test helpers for the more-ops kernel tests: TFLM's EXPECT_NEAR over arrays, ChooseQuantizationParams, and
 * quantize/dequantize shorthands over test/support/quantize-values.ts by bit width.
 */
import assert from "node:assert/strict";
import type { DType } from "../../../src/format/model.js";
import type { AnyKernel } from "../../../src/runtime/kernel.js";
import { runKernel } from "../../support/kernel-harness.js";
import { dequantizeValues, quantizeValues } from "../../support/quantize-values.js";

/** EXPECT_NEAR for each element (equal values pass first, as TFLM's macro compares them). */
export function assertNear(actual: ArrayLike<number | bigint>, expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length, "element count");
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]!);
    const e = expected[i]!;
    assert.ok(a === e || Math.abs(a - e) <= tolerance, `element ${i}: got ${a}, expected ${e} ± ${tolerance}`);
  }
}

/** TFLite ChooseQuantizationParams<T>(rmin, rmax, narrow_range) as TFLM's tests use it; scale as stored (float). */
export function chooseQuantizationParams(
  rmin: number,
  rmax: number,
  bits: 8 | 16,
  narrowRange = false,
): { scale: number; zeroPoint: number } {
  const f = Math.fround;
  rmin = f(rmin);
  rmax = f(rmax);
  const qmin = -(2 ** (bits - 1)) + (narrowRange ? 1 : 0);
  const qmax = 2 ** (bits - 1) - 1;
  if (rmin === rmax) return { scale: 0, zeroPoint: 0 };
  const scale = (rmax - rmin) / (qmax - qmin);
  const fromMin = qmin - rmin / scale;
  const fromMax = qmax - rmax / scale;
  const fromMinError = Math.abs(qmin) + Math.abs(rmin / scale);
  const fromMaxError = Math.abs(qmax) + Math.abs(rmax / scale);
  const zero = fromMinError < fromMaxError ? fromMin : fromMax;
  const zeroPoint = zero < qmin ? qmin : zero > qmax ? qmax : zero < 0 ? -Math.round(-zero) : Math.round(zero);
  return { scale: f(scale), zeroPoint };
}

export function quantize(values: readonly number[], scale: number, zeroPoint: number, bits: 8 | 16 = 8): number[] {
  return quantizeValues(values, scale, zeroPoint, bits === 8 ? "int8" : "int16");
}

export function dequantize(values: ArrayLike<number | bigint>, scale: number, zeroPoint: number): number[] {
  return dequantizeValues(Array.from(values, Number), scale, zeroPoint);
}

/** Runs a comparison kernel (EQUAL … LESS_EQUAL) and returns its bool output as 0/1 numbers. */
export function runComparison(
  kernel: AnyKernel,
  dtype: DType,
  shapeA: number[],
  a: number[],
  shapeB: number[],
  b: number[],
  quantization?: { scaleA: number; zeroPointA: number; scaleB: number; zeroPointB: number },
): number[] {
  const bits = dtype === "int16" ? 16 : 8;
  const qa = quantization && { scale: quantization.scaleA, zeroPoint: quantization.zeroPointA };
  const qb = quantization && { scale: quantization.scaleB, zeroPoint: quantization.zeroPointB };
  const outShape = shapeA.reduce((n, d) => n * d, 1) >= shapeB.reduce((n, d) => n * d, 1) ? shapeA : shapeB;
  const { outputs } = runKernel(kernel, {
    inputs: [
      { dtype, shape: shapeA, data: qa ? quantize(a, qa.scale, qa.zeroPoint, bits) : a, ...qa },
      { dtype, shape: shapeB, data: qb ? quantize(b, qb.scale, qb.zeroPoint, bits) : b, ...qb },
    ],
    outputs: [{ dtype: "bool", shape: outShape }],
  });
  return [...(outputs[0] as Uint8Array)];
}

/** TFLM comparisons_test.cc's shapes for the quantized broadcast cases (input 2 is one element). */
export const COMPARISON_TEST_SHAPES = [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]];
