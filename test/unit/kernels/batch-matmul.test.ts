/** BATCH_MATMUL goldens from TFLM kernels/batch_matmul_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { batchMatMul } from "../../../src/kernels/batch-matmul.js";
import { runKernel } from "../../support/kernel-harness.js";

const iota = (n: number, start: number) => Array.from({ length: n }, (_, i) => start + i);

function run(
  lhsShape: number[],
  lhs: number[],
  rhsShape: number[],
  rhs: number[],
  outputShape: number[],
  adj: { adjX?: boolean; adjY?: boolean } = {},
): number[] {
  const { outputs } = runKernel(batchMatMul, {
    options: { adjX: adj.adjX ?? false, adjY: adj.adjY ?? false },
    inputs: [
      { dtype: "float32", shape: lhsShape, data: lhs },
      { dtype: "float32", shape: rhsShape, data: rhs },
    ],
    outputs: [{ dtype: "float32", shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const SIMPLE = [74, 80, 86, 92, 173, 188, 203, 218];
const BROADCAST = [...SIMPLE, 272, 296, 320, 344, 371, 404, 437, 470];
// biome-ignore format: TFLM's golden layout
const BROADCAST2 = [
  29, 32, 35, 38, 65, 72, 79, 86, 101, 112, 123, 134,
  53, 56, 59, 62, 121, 128, 135, 142, 189, 200, 211, 222,
  77, 80, 83, 86, 177, 184, 191, 198, 277, 288, 299, 310,
  137, 152, 167, 182, 173, 192, 211, 230, 209, 232, 255, 278,
  257, 272, 287, 302, 325, 344, 363, 382, 393, 416, 439, 462,
  377, 392, 407, 422, 477, 496, 515, 534, 577, 600, 623, 646,
];

test("Float32Test_Ones / Flatten / FlattenLHSAdjoint", () => {
  assert.deepEqual(
    run([3, 2, 1, 4], iota(24, 1), [3, 1, 4, 1], iota(12, 1), [3, 2, 1, 1]),
    [30, 70, 278, 382, 782, 950],
  );
  assert.deepEqual(
    run([3, 2, 2, 4], iota(48, 1), [3, 1, 4, 1], iota(12, 1), [3, 2, 2, 1]),
    [30, 70, 110, 150, 486, 590, 694, 798, 1454, 1622, 1790, 1958],
  );
  assert.deepEqual(
    run([3, 4, 2], iota(24, 1), [1, 4, 3], iota(12, 1), [3, 2, 3], { adjX: true }),
    [118, 134, 150, 140, 160, 180, 294, 342, 390, 316, 368, 420, 470, 550, 630, 492, 576, 660],
  );
});

test("Float32Test_Simple / SimpleRHSAdjoint / SimpleLHSAdjoint", () => {
  assert.deepEqual(run([1, 2, 3], iota(6, 1), [1, 3, 4], iota(12, 7), [1, 2, 4]), SIMPLE);
  const rhsT = [7, 11, 15, 8, 12, 16, 9, 13, 17, 10, 14, 18];
  assert.deepEqual(run([1, 2, 3], iota(6, 1), [1, 4, 3], rhsT, [1, 2, 4], { adjY: true }), SIMPLE);
  assert.deepEqual(run([1, 3, 2], [1, 4, 2, 5, 3, 6], [1, 3, 4], iota(12, 7), [1, 2, 4], { adjX: true }), SIMPLE);
});

test("Float32Test_BatchSizeTwo / Broadcast / BroadcastLHSAdjoint / BatchSizeTwo_Broadcast_RHSAdjoint", () => {
  assert.deepEqual(run([2, 2, 3], iota(12, 1), [2, 3, 4], iota(24, 7), [2, 2, 4]), [
    ...SIMPLE,
    560,
    584,
    608,
    632,
    767,
    800,
    833,
    866,
  ]);
  assert.deepEqual(run([2, 2, 3], iota(12, 1), [3, 4], iota(12, 7), [2, 2, 4]), BROADCAST);
  const lhsT = [1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12];
  assert.deepEqual(run([2, 3, 2], lhsT, [3, 4], iota(12, 7), [2, 2, 4], { adjX: true }), BROADCAST);
  const rhsT = [7, 11, 15, 8, 12, 16, 9, 13, 17, 10, 14, 18];
  assert.deepEqual(run([2, 2, 3], iota(12, 1), [1, 4, 3], rhsT, [2, 2, 4], { adjY: true }), BROADCAST);
});

test("Float32Test_Broadcast2 / Broadcast2BothAdjoint", () => {
  assert.deepEqual(run([2, 1, 3, 2], iota(12, 1), [3, 2, 4], iota(24, 7), [2, 3, 3, 4]), BROADCAST2);
  const lhsT = [1, 3, 5, 2, 4, 6, 7, 9, 11, 8, 10, 12];
  // biome-ignore format: rows of the transposed rhs
  const rhsT = [7, 11, 8, 12, 9, 13, 10, 14, 15, 19, 16, 20, 17, 21, 18, 22, 23, 27, 24, 28, 25, 29, 26, 30];
  assert.deepEqual(run([2, 1, 2, 3], lhsT, [3, 4, 2], rhsT, [2, 3, 3, 4], { adjX: true, adjY: true }), BROADCAST2);
});

test("Float32Test_BroadcastFromRHS / ConstRHSBatchMatMulOpModelRHSNotAdjoint", () => {
  assert.deepEqual(
    run([4, 5], iota(20, 1), [3, 1, 5, 2], iota(30, 7), [3, 1, 4, 2]),
    // biome-ignore format: TFLM's golden layout
    [185, 200, 460, 500, 735, 800, 1010, 1100, 335, 350, 860, 900,
      1385, 1450, 1910, 2000, 485, 500, 1260, 1300, 2035, 2100, 2810, 2900],
  );
  const { outputs } = runKernel(batchMatMul, {
    options: { adjX: false, adjY: false },
    inputs: [
      { dtype: "float32", shape: [1, 6, 2], data: [6, 3, 7, 4, 6, 9, 2, 6, 7, 4, 3, 7] },
      { dtype: "float32", shape: [2, 3], data: [6, 3, 7, 4, 6, 9], constant: true },
    ],
    outputs: [{ dtype: "float32", shape: [1, 6, 3] }],
    invocations: 2,
  });
  assert.deepEqual(
    Array.from(outputs[0] as Float32Array),
    [48, 36, 69, 58, 45, 85, 72, 72, 123, 36, 42, 68, 58, 45, 85, 46, 51, 84],
  );
});

const Q_LHS = [1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10];
const Q_RHS = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10];

function runQuantized(dtype: DType, inScale: number, inZero: number, outScale: number, outZero: number): number[] {
  // The test helper's Quantize: round(value / scale) + zero point, computed in float32.
  const q = (values: number[]) => values.map((v) => Math.round(Math.fround(v / inScale)) + inZero);
  const { outputs } = runKernel(batchMatMul, {
    options: { adjX: false, adjY: false },
    inputs: [
      { dtype, shape: [2, 10], data: q(Q_LHS), scale: inScale, zeroPoint: inZero },
      { dtype, shape: [10, 3], data: q(Q_RHS), scale: inScale, zeroPoint: inZero },
    ],
    outputs: [{ dtype, shape: [2, 3], scale: outScale, zeroPoint: outZero }],
  });
  return Array.from(outputs[0] as Int16Array);
}

test("QuantizedBatchMatMulOpTestSimpleTestQuantizedInt8 (scale 0.5 / zp -1 from [-63.5, 64]; output 1 / -1)", () => {
  assert.deepEqual(runQuantized("int8", 0.5, -1, 1, -1), [22, 22, 22, 56, 56, 56]);
});

test("QuantizedBatchMatMulOpTestSimpleTestQuantizedInt16 (scale 10/32767, output scale 1)", () => {
  assert.deepEqual(runQuantized("int16", Math.fround(10 / 32767), 0, 1, 0), [23, 23, 23, 57, 57, 57]);
});

test("rejects mismatched depths and non-zero int16 zero points", () => {
  assert.throws(() => run([2, 3], iota(6, 1), [4, 2], iota(8, 1), [2, 2]), /depth 3 differs from rhs depth 4/);
  assert.throws(() => runQuantized("int16", 0.5, 1, 1, 0), /int16 zero points must be 0/);
});
