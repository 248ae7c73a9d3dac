/** RELU6 goldens from TFLM kernels/activations_test.cc (test names kept): float32, int8, int16 (exact). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { relu6 } from "../../../src/kernels/relu6.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

const INPUT = [4, 5, 6, 7, 8, -1, -2, -3, -4, -5];
const GOLDEN = [4, 5, 6, 6, 6, 0, 0, 0, 0, 0];

function relu6Quantized(dtype: DType, scale: number, zp: number) {
  const { outputs } = runKernel(relu6, {
    inputs: [{ dtype, shape: [1, 10], data: quantizeValues(INPUT, scale, zp, dtype), scale, zeroPoint: zp }],
    outputs: [{ dtype, shape: [1, 10], scale, zeroPoint: zp }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), quantizeValues(GOLDEN, scale, zp, dtype));
}

test("SimpleRelu6TestFloat", () => {
  const { outputs } = runKernel(relu6, {
    inputs: [{ dtype: "float32", shape: [2, 5], data: [4, 5, 6, 7, 8, -4, -5, -6, -7, -8] }],
    outputs: [{ dtype: "float32", shape: [2, 5] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [4, 5, 6, 6, 6, 0, 0, 0, 0, 0]);
});

test("SimpleRelu6TestInt8", () => {
  // Zero point 127 as in activations_test.cc: every positive value saturates at 127.
  relu6Quantized("int8", 0.5, 127);
});

test("SimpleRelu6TestInt16", () => {
  relu6Quantized("int16", 0.5, 0);
});

test("int8 RELU6 clamps to the input's zero point and quantized 6", () => {
  const { outputs } = runKernel(relu6, {
    inputs: [{ dtype: "int8", shape: [5], data: [-128, -3, 0, 9, 100], scale: 0.5, zeroPoint: -3 }],
    outputs: [{ dtype: "int8", shape: [5], scale: 0.5, zeroPoint: -3 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [-3, -3, 0, 9, 9]);
});
