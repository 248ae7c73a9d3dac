/** LEAKY_RELU goldens from TFLM kernels/leaky_relu_test.cc (test names kept): float32, int8, int16. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { leakyRelu } from "../../../src/kernels/leaky-relu.js";
import { runKernel } from "../../support/kernel-harness.js";
import {
  dequantizeValues,
  quantizeValues,
  scaleFromMinMax,
  zeroPointFromMinMax,
} from "../../support/quantize-values.js";

/** leaky_relu_test.cc kQuantizedTolerance: two steps of 1/256. */
const QUANTIZED_TOLERANCE = 2 * (1 / 256);

function leakyQuantized(dtype: DType, alpha: number, scale: number, zp: number, shape: number[], input: number[]) {
  const { outputs } = runKernel(leakyRelu, {
    options: { alpha },
    inputs: [{ dtype, shape, data: quantizeValues(input, scale, zp, dtype), scale, zeroPoint: zp }],
    outputs: [{ dtype, shape, scale, zeroPoint: zp }],
  });
  return {
    quantized: Array.from(outputs[0] as Float32Array),
    values: dequantizeValues(outputs[0] as Int8Array, scale, zp),
  };
}

function assertClose(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} vs ${expected[i]}`);
  });
}

const SMALL_INPUT = [0.0, 1.0, 3.0, 1.0, -1.0, -2.0];
const SMALL_EXPECT = [0.0, 1.0, 3.0, 1.0, -0.5, -1.0];
// biome-ignore format: 5 x 5 table
const WIDE_INPUT = [
  -5.0, -4.6, -4.2, -3.8, -3.4, -3.0, -2.6, -2.2, -1.8, -1.4, -1.0, -0.6, -0.2,
  0.2, 0.6, 1.0, 1.4, 1.8, 2.2, 2.6, 3.0, 3.4, 3.8, 4.2, 4.6,
];
// biome-ignore format: 5 x 5 table
const WIDE_EXPECT = [
  -0.5, -0.46, -0.42, -0.38, -0.34, -0.3, -0.26, -0.22, -0.18, -0.14, -0.1, -0.06, -0.02,
  0.2, 0.6, 1.0, 1.4, 1.8, 2.2, 2.6, 3.0, 3.4, 3.8, 4.2, 4.6,
];

test("FloatActivationsOpTestLeakyRelu", () => {
  const { outputs } = runKernel(leakyRelu, {
    options: { alpha: 0.5 },
    inputs: [{ dtype: "float32", shape: [2, 3], data: SMALL_INPUT }],
    outputs: [{ dtype: "float32", shape: [2, 3] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), SMALL_EXPECT);
});

test("QuantizedActivationsOpTestLeakyReluInt8_1", () => {
  const out = leakyQuantized("int8", 0.5, 0.1, 0, [2, 3], SMALL_INPUT);
  assertClose(out.values, SMALL_EXPECT, QUANTIZED_TOLERANCE);
  assert.deepEqual(out.quantized, [0, 10, 30, 10, -5, -10]);
});

test("QuantizedActivationsOpTestLeakyReluInt16_1", () => {
  const out = leakyQuantized("int16", 0.5, 0.01, 0, [2, 3], SMALL_INPUT);
  assertClose(out.values, SMALL_EXPECT, QUANTIZED_TOLERANCE);
  assert.deepEqual(out.quantized, [0, 100, 300, 100, -50, -100]);
});

for (const dtype of ["int8", "int16"] as const) {
  test(`QuantizedActivationsOpTestLeakyRelu${dtype === "int8" ? "Int8" : "Int16"}_2`, () => {
    // Symmetric range {-5, 5·max/(max+1)} as in the TFLM test.
    const max = dtype === "int8" ? 127 : 32767;
    const dataMin = -5;
    const dataMax = Math.fround(5 * Math.fround(max / (max + 1)));
    const scale = scaleFromMinMax(dtype, dataMin, dataMax);
    const zp = zeroPointFromMinMax(dtype, dataMin, dataMax);
    const out = leakyQuantized(dtype, 0.1, scale, zp, [5, 5], WIDE_INPUT);
    assertClose(out.values, WIDE_EXPECT, QUANTIZED_TOLERANCE * 5);
  });
}

test("negative alpha flips the sign of the scaled negative part, as TFLM does", () => {
  const out = leakyQuantized("int8", -0.5, 0.1, 0, [2, 3], SMALL_INPUT);
  assert.deepEqual(out.quantized, [0, 10, 30, 10, 5, 10]);
});
