/** SQUARED_DIFFERENCE goldens from TFLM kernels/squared_difference_test.cc (test names below). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { squaredDifference } from "../../../src/kernels/squared-difference.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear, chooseQuantizationParams, dequantize, quantize } from "./more-ops-test-support.js";

const TEST_SHAPES = [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]];

function runPlain(dtype: DType, shapeA: number[], a: number[], shapeB: number[], b: number[], shapeOut: number[]) {
  const { outputs } = runKernel(squaredDifference, {
    inputs: [
      { dtype, shape: shapeA, data: a },
      { dtype, shape: shapeB, data: b },
    ],
    outputs: [{ dtype, shape: shapeOut }],
  });
  return outputs[0]!;
}

function runQuantized(
  bits: 8 | 16,
  shapeA: number[],
  a: number[],
  rangeA: [number, number],
  shapeB: number[],
  b: number[],
  rangeB: [number, number],
  shapeOut: number[],
  rangeOut: [number, number],
): number[] {
  const dtype: DType = bits === 8 ? "int8" : "int16";
  const narrow = bits === 16;
  const qa = chooseQuantizationParams(rangeA[0], rangeA[1], bits, narrow);
  const qb = chooseQuantizationParams(rangeB[0], rangeB[1], bits, narrow);
  const qo = chooseQuantizationParams(rangeOut[0], rangeOut[1], bits, narrow);
  const { outputs } = runKernel(squaredDifference, {
    inputs: [
      { dtype, shape: shapeA, data: quantize(a, qa.scale, qa.zeroPoint, bits), ...qa },
      { dtype, shape: shapeB, data: quantize(b, qb.scale, qb.zeroPoint, bits), ...qb },
    ],
    outputs: [{ dtype, shape: shapeOut, ...qo }],
  });
  return dequantize(outputs[0]!, qo.scale, qo.zeroPoint);
}

test("FloatSquaredDifferenceSameShape", () => {
  const out = runPlain(
    "float32",
    [1, 2, 2, 1],
    [-0.2, 0.2, -1.2, 0.8],
    [1, 2, 2, 1],
    [0.5, 0.2, -1.5, 0.5],
    [1, 2, 2, 1],
  );
  assertNear(out, [0.49, 0.0, 0.09, 0.09], 1e-5);
});

test("FloatSquaredDifferenceVariousShapes", () => {
  for (const shape of TEST_SHAPES) {
    const out = runPlain(
      "float32",
      shape,
      [-2.0, 0.2, 0.3, 0.8, 1.1, -2.0],
      shape,
      [1.0, 0.2, 0.6, 0.4, -1.0, -0.0],
      shape,
    );
    assertNear(out, [9.0, 0.0, 0.09, 0.16, 4.41, 4.0], 1e-5);
  }
});

test("FloatSquaredDifferenceWithBroadcast", () => {
  for (const shape of TEST_SHAPES) {
    const out = runPlain("float32", shape, [-0.2, 0.2, 0.5, 0.8, 0.11, 1.1], [1], [0.1], shape);
    assertNear(out, [0.09, 0.01, 0.16, 0.49, 0.0001, 1.0], 1e-5);
  }
});

test("IntegerSquaredDifferenceSameShape / WithBroadcast", () => {
  assert.deepEqual(
    [...runPlain("int32", [1, 2, 2, 1], [-2, 2, -15, 8], [1, 2, 2, 1], [5, -2, -3, 5], [1, 2, 2, 1])],
    [49, 16, 144, 9],
  );
  for (const shape of TEST_SHAPES) {
    assert.deepEqual([...runPlain("int32", shape, [-20, 10, 7, 3, 1, 13], [1], [3], shape)], [529, 49, 16, 0, 4, 100]);
  }
});

test("QuantizedSquaredDifferenceSameShape (int8 and int16)", () => {
  const a = [-0.2, 0.2, -1.2, 0.8];
  const b = [0.5, 0.2, -1.5, 0.5];
  const golden = [0.49, 0.0, 0.09, 0.09];
  const s = [1, 2, 2, 1];
  assertNear(runQuantized(8, s, a, [-1.2, 0.8], s, b, [-1.5, 0.5], s, [0, 0.5]), golden, 2 / 255);
  assertNear(runQuantized(16, s, a, [-1.2, 1.2], s, b, [-1.5, 1.5], s, [-0.5, 0.5]), golden, 6 / 32768);
});

test("QuantizedSquaredDifferenceVariousShapes (int8 and int16)", () => {
  const a = [-2.0, 0.2, 0.3, 0.8, 1.1, -2.0];
  const b = [1.0, 0.2, 0.6, 0.4, -1.0, -0.0];
  const golden = [9.0, 0.0, 0.09, 0.16, 4.41, 4.0];
  for (const s of TEST_SHAPES) {
    assertNear(runQuantized(8, s, a, [-2.0, 1.7], s, b, [-1.0, 1.0], s, [0, 9]), golden, 18 / 255);
    assertNear(runQuantized(16, s, a, [-2.0, 2.0], s, b, [-1.0, 1.0], s, [-9, 9]), golden, 18 / 32768);
  }
});

test("FloatSquaredDifferenceWithBroadcast2 (quantized, int8 and int16)", () => {
  const a = [-0.2, 0.2, 0.5, 0.8, 0.11, 1.1];
  const golden = [0.09, 0.01, 0.16, 0.49, 0.0001, 1.0];
  for (const s of TEST_SHAPES) {
    assertNear(runQuantized(8, s, a, [-0.2, 1.1], [1], [0.1], [0, 1], s, [0, 1]), golden, 2 / 255);
    assertNear(runQuantized(16, s, a, [-1.1, 1.1], [1], [0.1], [-1, 1], s, [-1, 1]), golden, 2 / 32768);
  }
});

test("SQUARED_DIFFERENCE rejects mixed types and 5-D broadcasting", () => {
  assert.throws(
    () =>
      runKernel(squaredDifference, {
        inputs: [
          { dtype: "float32", shape: [1], data: [1] },
          { dtype: "int32", shape: [1], data: [1] },
        ],
        outputs: [{ dtype: "float32", shape: [1] }],
      }),
    /SQUARED_DIFFERENCE: tensor types differ/,
  );
  assert.throws(
    () => runPlain("float32", [1, 1, 1, 1, 2], [1, 2], [1], [1], [1, 1, 1, 1, 2]),
    /broadcasting is supported up to rank 4/,
  );
});
