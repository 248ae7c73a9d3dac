/**
 * MEAN goldens from TFLM kernels/reduce_test.cc. TFLM checks quantized results within 1 of Quantize(golden);
 * we check that and, where TFLM's integer rounding lands on the other side, the exact value its arithmetic gives.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { mean } from "../../../src/kernels/mean.js";
import { runKernel } from "../../support/kernel-harness.js";

const DATA_4D = Array.from({ length: 24 }, (_, i) => i + 1);
const PRECISION_DATA = [1, 24, 13, 3, 9, 17, 11, 36, 14, 19, 17, 22];

function run(
  dtype: DType,
  shape: number[],
  data: number[],
  axis: number[],
  outputShape: number[],
  quant?: { inScale: number; outScale: number; inZero?: number; outZero?: number },
): number[] {
  const q = quant ?? { inScale: 0, outScale: 0 };
  const { outputs } = runKernel(mean, {
    options: { keepDims: outputShape.length === shape.length },
    inputs: [
      quant ? { dtype, shape, data, scale: q.inScale, zeroPoint: q.inZero ?? 0 } : { dtype, shape, data },
      { dtype: "int32", shape: [axis.length], data: axis, constant: true },
    ],
    outputs: [
      quant
        ? { dtype, shape: outputShape, scale: q.outScale, zeroPoint: q.outZero ?? 0 }
        : { dtype, shape: outputShape },
    ],
  });
  return Array.from(outputs[0] as Float32Array);
}

/** The test helper's Quantize: round(value / scale) + zero point. */
const quantize = (values: number[], scale: number) => values.map((v) => Math.round(v / scale));

function near(actual: number[], expected: number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} vs ${expected[i]}`);
  });
}

test("MeanFloat2DKeepDims / 3DKeepDims / 4DKeepDims / 4DWithoutKeepDims", () => {
  const eight = [1, 2, 3, 4, 5, 6, 7, 8];
  near(run("float32", [2, 4], eight, [1], [2, 1]), [2.5, 6.5], 1e-5);
  near(run("float32", [2, 2, 2], eight, [1, 2], [2, 1, 1]), [2.5, 6.5], 1e-5);
  near(run("float32", [2, 2, 3, 2], DATA_4D, [1, 2], [2, 1, 1, 2]), [6, 7, 18, 19], 1e-5);
  near(run("float32", [2, 2, 3, 2], DATA_4D, [1, 2], [2, 2]), [6, 7, 18, 19], 1e-5);
});

test("MeanFloat4DWithoutKeepDimsWithPrecision", () => {
  near(run("float32", [2, 2, 3, 1], PRECISION_DATA, [1, 2], [2, 1]), [11.166667, 19.833334], 1e-5);
});

test("MeanInt82DKeepDims / MeanInt162DKeepDims", () => {
  for (const dtype of ["int8", "int16"] as const) {
    const q = { inScale: 0.5, outScale: 0.5 };
    const out = run(dtype, [2, 4], quantize([1, 2, 3, 4, 5, 6, 7, 8], 0.5), [1], [2, 1], q);
    assert.deepEqual(out, [5, 13], dtype);
  }
});

test("MeanInt84DWithoutKeepDims / MeanInt164DWithoutKeepDims / DifferentScaleAndZeroPoint", () => {
  const input = quantize(DATA_4D, 0.5);
  assert.deepEqual(run("int8", [2, 2, 3, 2], input, [1, 2], [2, 2], { inScale: 0.5, outScale: 0.5 }), [12, 14, 36, 38]);
  assert.deepEqual(
    run("int16", [2, 2, 3, 2], input, [1, 2], [2, 2], { inScale: 0.5, outScale: 0.5 }),
    [12, 14, 36, 38],
  );
  const scaled = run("int16", [2, 2, 3, 2], input, [1, 2], [2, 2], { inScale: 0.5, outScale: 0.7 });
  near(scaled, quantize([6, 7, 18, 19], 0.7), 1);
});

test("MeanInt84DWithoutKeepDimsWithPrecision: TFLM's double rounding gives 23, 40", () => {
  const out = run("int8", [2, 2, 3, 1], quantize(PRECISION_DATA, 0.5), [1, 2], [2, 1], { inScale: 0.5, outScale: 0.5 });
  near(out, quantize([11.166667, 19.833334], 0.5), 1);
  // 134 / 6 with the multiplier 2^32/6 at shift -1: SRDHM gives 45, the rounding shift 22.5 → 23.
  assert.deepEqual(out, [23, 40]);
});

test("zero points are removed before requantizing", () => {
  // Not a TFLM golden: input zero point 10, output zero point -3, same scale: mean(q − 10) − 3.
  const out = run("int8", [1, 4], [11, 13, 15, 17], [1], [1], { inScale: 1, outScale: 1, inZero: 10, outZero: -3 });
  assert.deepEqual(out, [1]);
});
