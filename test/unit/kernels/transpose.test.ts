/**
 * TRANSPOSE goldens from TFLM kernels/transpose_test.cc. As in TFLM's TestTranspose, the input holds 0..n-1
 * and the output shape is the input shape permuted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { transpose } from "../../../src/kernels/transpose.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shape: number[], perm: number[]): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const { outputs } = runKernel(transpose, {
    inputs: [
      { dtype, shape, data: Array.from({ length: size }, (_, i) => i) },
      { dtype: "int32", shape: [perm.length], data: perm, constant: true },
    ],
    outputs: [{ dtype, shape: perm.map((p) => shape[p]!) }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("1D / 1DInt16", () => {
  assert.deepEqual(run("int8", [3], [0]), [0, 1, 2]);
  assert.deepEqual(run("int16", [3], [0]), [0, 1, 2]);
});

test("2DPerm1 / 2DPerm1Int16", () => {
  assert.deepEqual(run("int8", [3, 2], [1, 0]), [0, 2, 4, 1, 3, 5]);
  assert.deepEqual(run("int16", [3, 2], [1, 0]), [0, 2, 4, 1, 3, 5]);
});

test("3D / 3DInt16", () => {
  const expected = [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23];
  assert.deepEqual(run("int8", [2, 3, 4], [2, 0, 1]), expected);
  assert.deepEqual(run("int16", [2, 3, 4], [2, 0, 1]), expected);
});

test("ComplexTestWithReorder (float32, 4-D)", () => {
  // biome-ignore format: TFLM's golden layout
  const expected = [
    0, 1, 2, 3, 4, 20, 21, 22, 23, 24, 40, 41, 42, 43, 44,
    60, 61, 62, 63, 64, 80, 81, 82, 83, 84, 100, 101, 102, 103, 104,
    5, 6, 7, 8, 9, 25, 26, 27, 28, 29, 45, 46, 47, 48, 49,
    65, 66, 67, 68, 69, 85, 86, 87, 88, 89, 105, 106, 107, 108, 109,
    10, 11, 12, 13, 14, 30, 31, 32, 33, 34, 50, 51, 52, 53, 54,
    70, 71, 72, 73, 74, 90, 91, 92, 93, 94, 110, 111, 112, 113, 114,
    15, 16, 17, 18, 19, 35, 36, 37, 38, 39, 55, 56, 57, 58, 59,
    75, 76, 77, 78, 79, 95, 96, 97, 98, 99, 115, 116, 117, 118, 119,
  ];
  assert.deepEqual(run("float32", [2, 3, 4, 5], [2, 0, 1, 3]), expected);
});

test("Complex5DTestWithReorder (float32, 5-D)", () => {
  // biome-ignore format: TFLM's golden layout
  const expected = [
    0, 5, 1, 6, 2, 7, 3, 8, 4, 9, 20, 25, 21, 26, 22,
    27, 23, 28, 24, 29, 40, 45, 41, 46, 42, 47, 43, 48, 44, 49,
    60, 65, 61, 66, 62, 67, 63, 68, 64, 69, 80, 85, 81, 86, 82,
    87, 83, 88, 84, 89, 100, 105, 101, 106, 102, 107, 103, 108, 104, 109,
    10, 15, 11, 16, 12, 17, 13, 18, 14, 19, 30, 35, 31, 36, 32,
    37, 33, 38, 34, 39, 50, 55, 51, 56, 52, 57, 53, 58, 54, 59,
    70, 75, 71, 76, 72, 77, 73, 78, 74, 79, 90, 95, 91, 96, 92,
    97, 93, 98, 94, 99, 110, 115, 111, 116, 112, 117, 113, 118, 114, 119,
  ];
  assert.deepEqual(run("float32", [2, 3, 2, 2, 5], [2, 0, 1, 4, 3]), expected);
});

test("rejects a perm that is not a permutation, and int32 input (not in TFLM)", () => {
  assert.throws(() => run("int8", [2, 2], [0, 0]), /not a permutation/);
  assert.throws(() => run("int32", [2, 2], [1, 0]), /input type int32 is not supported/);
});
