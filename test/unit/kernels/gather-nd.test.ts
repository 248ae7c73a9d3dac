/** GATHER_ND goldens from TFLM kernels/gather_nd_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { gatherNd } from "../../../src/kernels/gather-nd.js";
import { runKernel } from "../../support/kernel-harness.js";

const f = Math.fround;
const MATRIX = [1.1, 1.2, 2.1, 2.2];
const RANK3 = [1.1, -1.2, 1.3, -2.1, 2.2, 2.3, 3.1, 3.2, -3.3, -4.1, -4.2, 4.3, 5.1, -5.2, 5.3, 6.1, -6.2, 6.3];

function run(
  paramsShape: number[],
  params: number[],
  indicesShape: number[],
  indices: number[],
  outputShape: number[],
  dtype: DType = "float32",
): number[] {
  const { outputs } = runKernel(gatherNd, {
    inputs: [
      { dtype, shape: paramsShape, data: params },
      { dtype: "int32", shape: indicesShape, data: indices },
    ],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("GatherNd_ElementIndexingIntoMatrix / SliceIndexingIntoMatrix", () => {
  assert.deepEqual(run([2, 2], MATRIX, [2, 2], [0, 0, 1, 1], [2]), [f(1.1), f(2.2)]);
  assert.deepEqual(run([2, 2], MATRIX, [2, 1], [1, 0], [2, 2]), [2.1, 2.2, 1.1, 1.2].map(f));
});

test("GatherNd_BatchedIndexingIntoMatrix1 / 2 / DuplicateIndexingIntoMatrix", () => {
  assert.deepEqual(run([2, 2], MATRIX, [2, 1, 1], [1, 0], [2, 1, 2]), [2.1, 2.2, 1.1, 1.2].map(f));
  assert.deepEqual(run([2, 2], MATRIX, [2, 1, 2], [0, 0, 1, 1], [2, 1]), [1.1, 2.2].map(f));
  assert.deepEqual(run([2, 2], MATRIX, [2, 2], [0, 0, 0, 0], [2]), [1.1, 1.1].map(f));
});

test("GatherNd_ElementIndexingIntoRank3Tensor / SliceIndexingIntoRank3Tensor", () => {
  assert.deepEqual(run([3, 2, 3], RANK3, [1, 2, 3], [0, 0, 1, 1, 1, 0], [1, 2]), [-1.2, -4.1].map(f));
  assert.deepEqual(
    run([3, 2, 3], RANK3, [2, 1], [0, 2], [2, 2, 3]),
    [1.1, -1.2, 1.3, -2.1, 2.2, 2.3, 5.1, -5.2, 5.3, 6.1, -6.2, 6.3].map(f),
  );
});

test("GatherNd_BatchedIndexingIntoRank3Tensor1..4", () => {
  assert.deepEqual(run([3, 2, 3], RANK3, [2, 1, 3], [0, 0, 1, 1, 1, 0], [2, 1]), [-1.2, -4.1].map(f));
  assert.deepEqual(
    run([3, 2, 3], RANK3, [3, 1, 1], [1, 2, 0], [3, 1, 2, 3]),
    [...RANK3.slice(6), ...RANK3.slice(0, 6)].map(f),
  );
  assert.deepEqual(
    run([3, 2, 3], RANK3, [2, 2, 2], [0, 1, 1, 0, 0, 0, 2, 1], [2, 2, 3]),
    [-2.1, 2.2, 2.3, 3.1, 3.2, -3.3, 1.1, -1.2, 1.3, 6.1, -6.2, 6.3].map(f),
  );
  assert.deepEqual(
    run([3, 2, 3], RANK3, [2, 2, 3], [0, 0, 1, 1, 0, 1, 1, 1, 2, 2, 1, 2], [2, 2]),
    [-1.2, 3.2, 4.3, 6.3].map(f),
  );
});

test("GatherNd_DuplicateIndexingIntoRank3Tensor / Float32Int32 / Int8Int32", () => {
  assert.deepEqual(run([3, 2, 3], RANK3, [2, 2], [0, 1, 0, 1], [2, 3]), [-2.1, 2.2, 2.3, -2.1, 2.2, 2.3].map(f));
  assert.deepEqual(run([3, 2, 3], RANK3, [2, 2], [0, 1, 1, 0], [2, 3]), [-2.1, 2.2, 2.3, 3.1, 3.2, -3.3].map(f));
  const int8 = [1, -1, 1, -2, 2, 2, 3, 3, -3, -4, -4, 4, 5, -5, 5, 6, -6, 6];
  assert.deepEqual(run([3, 2, 3], int8, [2, 2], [0, 1, 1, 0], [2, 3], "int8"), [-2, 2, 2, 3, 3, -3]);
});

test("GatherNd_ReadOOB / ReadOOBNegative fail the invocation", () => {
  assert.throws(() => run([2, 2], [1, -1, 1, -2], [2, 2], [0, 1, 2, 0], [2], "int8"), /out of bounds/);
  assert.throws(() => run([2, 2], [1, -1, 1, -2], [2, 2], [0, -1, 1, 0], [2], "int8"), /out of bounds/);
  // Only the flat offset is checked, as in TFLM: [0, 3] lands on element [1, 1].
  assert.deepEqual(run([2, 2], [1, -1, 1, -2], [1, 2], [0, 3], [1], "int8"), [-2]);
});

test("bad shapes and types are rejected in prepare", () => {
  assert.throws(() => run([2, 2], MATRIX, [2, 3], [0, 0, 0, 0, 0, 0], [2]), /exceeds the params rank/);
  assert.throws(() => run([2, 2], MATRIX, [2, 2], [0, 0, 1, 1], [3]), /should be \[2\]/);
  assert.throws(() => run([2, 2], [1, 2, 3, 4], [2, 2], [0, 0, 1, 1], [2], "int16"), /not supported/);
});
