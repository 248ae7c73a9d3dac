/** ADD_N goldens from TFLM kernels/add_n_test.cc (FloatAddNOpAddMultipleTensors, Int8AddNOpAddMultipleTensors). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { addN } from "../../../src/kernels/add-n.js";
import { runKernel } from "../../support/kernel-harness.js";
import { scaleFromMinMax, zeroPointFromMinMax } from "../../support/quantize-values.js";
import { assertNear, dequantize, quantize } from "./more-ops-test-support.js";

const INPUTS = [
  [-2.0, 0.2, 0.7, 0.8],
  [0.1, 0.2, 0.3, 0.5],
  [0.5, 0.1, 0.1, 0.2],
];
const EXPECT = [-1.4, 0.5, 1.1, 1.5];
const SHAPE = [1, 2, 2, 1];

test("FloatAddNOpAddMultipleTensors", () => {
  const { outputs } = runKernel(addN, {
    inputs: INPUTS.map((data) => ({ dtype: "float32" as const, shape: SHAPE, data })),
    outputs: [{ dtype: "float32", shape: SHAPE }],
  });
  // TFLM compares with EXPECT_EQ against the float sums.
  const f = Math.fround;
  assert.deepEqual(
    [...outputs[0]!],
    [0, 1, 2, 3].map((i) => f(f(f(INPUTS[0]![i]!) + f(INPUTS[1]![i]!)) + f(INPUTS[2]![i]!))),
  );
  assertNear(outputs[0]!, EXPECT, 1e-6);
});

test("Int8AddNOpAddMultipleTensors", () => {
  const scale = scaleFromMinMax("int8", -3, 3);
  const zeroPoint = zeroPointFromMinMax("int8", -3, 3);
  const { outputs } = runKernel(addN, {
    inputs: INPUTS.map((v) => ({
      dtype: "int8" as const,
      shape: SHAPE,
      data: quantize(v, scale, zeroPoint),
      scale,
      zeroPoint,
    })),
    outputs: [{ dtype: "int8", shape: SHAPE, scale, zeroPoint }],
  });
  assertNear(dequantize(outputs[0]!, scale, zeroPoint), EXPECT, 6 / 255);
});

test("ADD_N int8 keeps TFLM's extra -zero_point term in the accumulator start", () => {
  // Scale 1, zero point 10: each input contributes (q - 10) and the start adds another -10, so 12 + 15 → 12 - 10.
  const { outputs } = runKernel(addN, {
    inputs: [
      { dtype: "int8", shape: [1], data: [12], scale: 1, zeroPoint: 10 },
      { dtype: "int8", shape: [1], data: [15], scale: 1, zeroPoint: 10 },
    ],
    outputs: [{ dtype: "int8", shape: [1], scale: 1, zeroPoint: 10 }],
  });
  assert.deepEqual([...outputs[0]!], [12 - 10 + (15 - 10) - 10 + 10]);
});

test("ADD_N rejects mismatched shapes and int8 inputs with different quantization", () => {
  assert.throws(
    () =>
      runKernel(addN, {
        inputs: [
          { dtype: "float32", shape: [2], data: [1, 2] },
          { dtype: "float32", shape: [1, 2], data: [1, 2] },
        ],
        outputs: [{ dtype: "float32", shape: [2] }],
      }),
    /ADD_N: input 1 shape \[1,2\] differs/,
  );
  assert.throws(
    () =>
      runKernel(addN, {
        inputs: [
          { dtype: "int8", shape: [1], data: [1], scale: 1, zeroPoint: 0 },
          { dtype: "int8", shape: [1], data: [1], scale: 2, zeroPoint: 0 },
        ],
        outputs: [{ dtype: "int8", shape: [1], scale: 1, zeroPoint: 0 }],
      }),
    /share one scale and zero point/,
  );
});
