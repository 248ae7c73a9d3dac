/** SPLIT_V goldens from TFLM kernels/split_v_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { splitV } from "../../../src/kernels/split-v.js";
import { runKernel } from "../../support/kernel-harness.js";

const R16 = Array.from({ length: 16 }, (_, i) => i + 1);

function run(
  shape: number[],
  input: number[],
  axis: number,
  splits: number[],
  outputShapes: number[][],
  dtype: DType = "float32",
): number[][] {
  const { outputs } = runKernel(splitV, {
    inputs: [
      { dtype, shape, data: input },
      { dtype: "int32", shape: [splits.length], data: splits, constant: true },
      { dtype: "int32", shape: [1], data: [axis], constant: true },
    ],
    outputs: outputShapes.map((s) => ({ dtype, shape: s })),
  });
  return outputs.map((o) => Array.from(o as Float32Array));
}

test("SPLIT_V_ThreeOutputs", () => {
  assert.deepEqual(
    run(
      [4, 3],
      R16.slice(0, 12),
      0,
      [1, 1, 2],
      [
        [1, 3],
        [1, 3],
        [2, 3],
      ],
    ),
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9, 10, 11, 12],
    ],
  );
});

test("SPLIT_V_FourDimensionalFloatAxis0..3 / NegativeAxis", () => {
  const shapes = (axis: number) => [0, 1].map(() => [2, 2, 2, 2].map((d, i) => (i === axis ? 1 : d)));
  assert.deepEqual(run([2, 2, 2, 2], R16, 0, [1, 1], shapes(0)), [R16.slice(0, 8), R16.slice(8)]);
  assert.deepEqual(run([2, 2, 2, 2], R16, 1, [1, 1], shapes(1)), [
    [1, 2, 3, 4, 9, 10, 11, 12],
    [5, 6, 7, 8, 13, 14, 15, 16],
  ]);
  assert.deepEqual(run([2, 2, 2, 2], R16, 2, [1, 1], shapes(2)), [
    [1, 2, 5, 6, 9, 10, 13, 14],
    [3, 4, 7, 8, 11, 12, 15, 16],
  ]);
  assert.deepEqual(run([2, 2, 2, 2], R16, 3, [1, 1], shapes(3)), [
    [1, 3, 5, 7, 9, 11, 13, 15],
    [2, 4, 6, 8, 10, 12, 14, 16],
  ]);
  assert.deepEqual(run([2, 2, 2, 2], R16, -4, [1, 1], shapes(0)), [R16.slice(0, 8), R16.slice(8)]);
});

test("SPLIT_V_OneDimensionalFloatAxis0 / OneDimensionalFloatTest2 (an empty part, size_splits with -1)", () => {
  const eight = R16.slice(0, 8);
  assert.deepEqual(
    run(
      [8],
      eight,
      0,
      [1, 1, 1, 1, 1, 1, 1, 1],
      eight.map(() => [1]),
    ),
    eight.map((v) => [v]),
  );
  assert.deepEqual(run([8], eight, 0, [1, 1, 1, 1, 1, 1, 2, -1], [[1], [1], [1], [1], [1], [1], [2], [0]]), [
    [1],
    [2],
    [3],
    [4],
    [5],
    [6],
    [7, 8],
    [],
  ]);
});

test("int8, int16 and int32 data", () => {
  for (const dtype of ["int8", "int16", "int32"] as const) {
    assert.deepEqual(
      run(
        [2, 3],
        [1, 2, 3, 4, 5, 6],
        1,
        [2, 1],
        [
          [2, 2],
          [2, 1],
        ],
        dtype,
      ),
      [
        [1, 2, 4, 5],
        [3, 6],
      ],
    );
  }
});

test("output extents that do not add up, or mismatched shapes, are rejected", () => {
  assert.throws(
    () =>
      run(
        [4, 3],
        R16.slice(0, 12),
        0,
        [1, 1],
        [
          [1, 3],
          [2, 3],
        ],
      ),
    /add up to 3/,
  );
  assert.throws(
    () =>
      run(
        [4, 3],
        R16.slice(0, 12),
        0,
        [2, 2],
        [
          [2, 3],
          [2, 2],
        ],
      ),
    /does not match/,
  );
  assert.throws(
    () =>
      run(
        [4, 3],
        R16.slice(0, 12),
        2,
        [2, 2],
        [
          [2, 3],
          [2, 3],
        ],
      ),
    /out of range/,
  );
});
