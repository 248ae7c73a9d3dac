/** RELU goldens from TFLM kernels/activations_test.cc (test names kept): float32, int8, int16 (exact). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { relu } from "../../../src/kernels/relu.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

function reluQuantized(dtype: DType, shape: number[], input: number[], golden: number[], scale: number, zp: number) {
  const { outputs } = runKernel(relu, {
    inputs: [{ dtype, shape, data: quantizeValues(input, scale, zp, dtype), scale, zeroPoint: zp }],
    outputs: [{ dtype, shape, scale, zeroPoint: zp }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), quantizeValues(golden, scale, zp, dtype));
}

test("SimpleReluTestFloat", () => {
  const { outputs } = runKernel(relu, {
    inputs: [{ dtype: "float32", shape: [1, 10], data: [1, 2, 3, 4, 5, -1, -2, -3, -4, -5] }],
    outputs: [{ dtype: "float32", shape: [1, 10] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [1, 2, 3, 4, 5, 0, 0, 0, 0, 0]);
});

test("SimpleReluTestInt8", () => {
  const input = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5];
  reluQuantized("int8", [1, 10], input, [1, 2, 3, 4, 5, 0, 0, 0, 0, 0], 0.5, 0);
});

test("SimpleReluTestInt16", () => {
  const input = [256, 257, 258, 259, 260, -256, -257, -258, -259, -260];
  reluQuantized("int16", [2, 5], input, [256, 257, 258, 259, 260, 0, 0, 0, 0, 0], 0.5, 0);
});

test("int8 RELU requantizes to the output scale and clamps at its zero point", () => {
  const { outputs } = runKernel(relu, {
    inputs: [{ dtype: "int8", shape: [4], data: [-128, -10, 10, 127], scale: 0.5, zeroPoint: -10 }],
    outputs: [{ dtype: "int8", shape: [4], scale: 0.25, zeroPoint: 5 }],
  });
  // (q + 10) · 0.5 / 0.25 + 5, at least 5, at most 127.
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [5, 5, 45, 127]);
});
