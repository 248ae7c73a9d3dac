/** L2_NORMALIZATION goldens from TFLM kernels/l2norm_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { l2Normalization } from "../../../src/kernels/l2-normalization.js";
import { runKernel } from "../../support/kernel-harness.js";
import { scaleFromMinMax, zeroPointFromMinMax } from "../../support/quantize-values.js";

function run(dtype: DType, shape: number[], input: number[], options: Record<string, unknown> = {}): number[] {
  // TFLM's test quantizes the input over [-2, 2] and the output over [-1, 127/128].
  const inQ =
    dtype === "int8" ? { scale: scaleFromMinMax("int8", -2, 2), zeroPoint: zeroPointFromMinMax("int8", -2, 2) } : {};
  const outQ =
    dtype === "int8"
      ? { scale: scaleFromMinMax("int8", -1, 127 / 128), zeroPoint: zeroPointFromMinMax("int8", -1, 127 / 128) }
      : {};
  const { outputs } = runKernel(l2Normalization, {
    options,
    inputs: [{ dtype, shape, data: input, ...inQ }],
    outputs: [{ dtype, shape, ...outQ }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const F_INPUT = [-1.1, 0.6, 0.7, 1.2, -0.7, 0.1];
const F_EXPECTED = [-0.55, 0.3, 0.35, 0.6, -0.35, 0.05].map(Math.fround);
const Q_INPUT = [-71, 37, 44, 76, -46, 5];
const Q_EXPECTED = [-70, 38, 45, 77, -45, 6];

test("SimpleFloatTest / SimpleFloatWithRankLessThanFourTest (exact, as TFLM's EXPECT_EQ)", () => {
  assert.deepEqual(run("float32", [1, 1, 1, 6], F_INPUT), F_EXPECTED);
  assert.deepEqual(run("float32", [6], F_INPUT), F_EXPECTED);
});

test("ZerosVectorFloatTest / MultipleBatchFloatTest", () => {
  assert.deepEqual(run("float32", [1, 1, 1, 6], [0, 0, 0, 0, 0, 0]), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(run("float32", [3, 1, 1, 6], [...F_INPUT, ...F_INPUT, ...F_INPUT]), [
    ...F_EXPECTED,
    ...F_EXPECTED,
    ...F_EXPECTED,
  ]);
});

test("SimpleInt8Test / ZerosVectorInt8Test / MultipleBatchInt8Test", () => {
  assert.deepEqual(run("int8", [1, 1, 1, 6], Q_INPUT), Q_EXPECTED);
  assert.deepEqual(run("int8", [1, 1, 1, 6], [-1, -1, -1, -1, -1, -1]), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(run("int8", [3, 6], [...Q_INPUT, ...Q_INPUT, ...Q_INPUT]), [
    ...Q_EXPECTED,
    ...Q_EXPECTED,
    ...Q_EXPECTED,
  ]);
});

test("fused activations, rank above 4 and other types are rejected", () => {
  assert.throws(() => run("float32", [6], F_INPUT, { fusedActivationFunction: "RELU" }), /fused activation RELU/);
  assert.throws(() => run("float32", [1, 1, 1, 1, 6], F_INPUT), /rank 5/);
  assert.throws(() => run("int16", [6], Q_INPUT), /not supported/);
});
