/** PRELU goldens from TFLM kernels/prelu_test.cc (test names kept): float32, int8, int16 (alpha int8). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { prelu } from "../../../src/kernels/prelu.js";
import { runKernel } from "../../support/kernel-harness.js";
import { dequantizeValues, quantizeValues } from "../../support/quantize-values.js";

const QUANTIZED_TOLERANCE = 2 * (1 / 256);
const QUANT_INPUT = [0, 0, 0, 0.5, 0.5, 0.5, -1, -1, -1, -0.25, -0.25, -0.25];
const QUANT_ALPHA = [0.0, 0.5, -0.5];
const QUANT_GOLDEN = [0, 0, 0, 0.5, 0.5, 0.5, 0, -0.5, 0.5, 0, -0.125, 0.125];

test("FloatPreluActivationsOpTest", () => {
  const { outputs } = runKernel(prelu, {
    inputs: [
      { dtype: "float32", shape: [2, 2, 3], data: [0, 0, 0, 1, 1, 1, -1, -1, -1, -2, -2, -2] },
      { dtype: "float32", shape: [1, 1, 3], data: [0, 1, 2] },
    ],
    outputs: [{ dtype: "float32", shape: [2, 2, 3] }],
  });
  // -1 · 0 is -0 in TFLM too; EXPECT_EQ treats it as 0.
  assert.deepEqual(
    Array.from(outputs[0] as Float32Array, (v) => v + 0),
    [0, 0, 0, 1, 1, 1, 0, -1, -2, 0, -2, -4],
  );
});

function preluQuantized(dtype: DType, inputScale: number) {
  const alphaScale = 2 / 255;
  const { outputs } = runKernel(prelu, {
    inputs: [
      {
        dtype,
        shape: [2, 2, 3],
        data: quantizeValues(QUANT_INPUT, inputScale, 0, dtype),
        scale: inputScale,
        zeroPoint: 0,
      },
      {
        dtype: "int8",
        shape: [1, 1, 3],
        data: quantizeValues(QUANT_ALPHA, alphaScale, 0, "int8"),
        scale: alphaScale,
        zeroPoint: 0,
      },
    ],
    outputs: [{ dtype, shape: [2, 2, 3], scale: inputScale, zeroPoint: 0 }],
  });
  return dequantizeValues(outputs[0] as Int8Array, inputScale, 0);
}

for (const [dtype, name, scale] of [
  ["int8", "Int8", 2 / 255],
  ["int16", "Int16", 2 / 65535],
] as const) {
  test(`Quantized${name}PreluActivationsOpTest`, () => {
    const out = preluQuantized(dtype, scale);
    out.forEach((v, i) => {
      assert.ok(Math.abs(v - QUANT_GOLDEN[i]!) <= QUANTIZED_TOLERANCE, `element ${i}: ${v} vs ${QUANT_GOLDEN[i]}`);
    });
  });
}

test("int8 PRELU values: identity above zero, input × alpha below", () => {
  const { outputs } = runKernel(prelu, {
    inputs: [
      { dtype: "int8", shape: [4], data: [-100, -10, 10, 100], scale: 0.1, zeroPoint: 0 },
      { dtype: "int8", shape: [1], data: [64], scale: 1 / 128, zeroPoint: 0 },
    ],
    outputs: [{ dtype: "int8", shape: [4], scale: 0.1, zeroPoint: 0 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [-50, -5, 10, 100]);
});
