/** GATHER goldens from TFLM kernels/gather_test.cc (output shapes are the tests' golden_dims). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { gather } from "../../../src/kernels/gather.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(
  dtype: DType,
  shape: number[],
  data: number[],
  positionsShape: number[],
  positions: number[],
  outputShape: number[],
  axis = 0,
  batchDims = 0,
): number[] {
  const { outputs } = runKernel(gather, {
    options: { axis, batchDims },
    inputs: [
      { dtype, shape, data },
      { dtype: "int32", shape: positionsShape, data: positions },
    ],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const f32 = (values: number[]) => values.map(Math.fround);
const SIXTY = Array.from({ length: 60 }, (_, i) => i);

test("GatherOp_Shuffle / Test0DIndex / Test0DIndexWith0DResult / Test1DInput1DIndex", () => {
  const input = f32([-2.0, 0.2, 0.7, 0.8]);
  assert.deepEqual(run("float32", [2, 2], input, [2], [1, 0], [2, 2]), f32([0.7, 0.8, -2, 0.2]));
  assert.deepEqual(run("float32", [2, 2], input, [], [1], [2]), f32([0.7, 0.8]));
  assert.deepEqual(run("float32", [3], [1, 2, 3], [], [1], []), [2]);
  assert.deepEqual(run("float32", [3], [1, 3, 5], [1], [1], [1]), [3]);
});

test("GatherOp_Test2DIndexWith2DResult / Duplicate / Slice", () => {
  assert.deepEqual(run("float32", [3], [1, 2, 3], [1, 2], [1, 0], [1, 2]), [2, 1]);
  const input = f32([-2.0, 0.2, 0.7, 0.8]);
  assert.deepEqual(run("float32", [1, 2, 2], input, [2], [0, 0], [2, 2, 2]), [...input, ...input]);
  assert.deepEqual(run("float32", [4, 1], input, [2], [1, 3], [2, 1]), f32([0.2, 0.8]));
});

test("GatherOp_Axis1 / Axis1_0DIndex / Axis1Slice / LastAxis / LastAxis0DIndex", () => {
  assert.deepEqual(run("float32", [1, 2, 3], [1, 2, 3, 4, 5, 6], [2], [1, 0], [1, 2, 3], 1), [4, 5, 6, 1, 2, 3]);
  assert.deepEqual(run("float32", [1, 3, 2], [1, 2, 3, 4, 5, 6], [], [1], [1, 2], 1), [3, 4]);
  assert.deepEqual(run("float32", [1, 4, 2], [1, 2, 3, 4, 5, 6, 7, 8], [2], [3, 1], [1, 2, 2], 1), [7, 8, 3, 4]);
  assert.deepEqual(run("float32", [1, 2, 3], [1, 2, 3, 4, 5, 6], [2], [2, 0], [1, 2, 2], -1), [3, 1, 6, 4]);
  assert.deepEqual(run("float32", [1, 2, 3], [1, 2, 3, 4, 5, 6], [], [2], [1, 2], -1), [3, 6]);
});

test("GatherOp_Float32Int32 / GatherOp_Int8Int32", () => {
  assert.deepEqual(
    run("float32", [2, 2], f32([13.3, -13.4, -1.4, 1.5]), [2], [1, 0], [2, 2]),
    f32([-1.4, 1.5, 13.3, -13.4]),
  );
  assert.deepEqual(run("int8", [2, 2], [-13, -120, 14, 15], [2], [1, 0], [2, 2]), [14, 15, -13, -120]);
});

test("GatherOp_BatchDims2", () => {
  // biome-ignore format: TFLM's golden layout
  const golden = [5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    35, 36, 37, 38, 39, 30, 31, 32, 33, 34, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54];
  assert.deepEqual(
    run("float32", [2, 2, 3, 5], SIXTY, [2, 2, 2], [1, 0, 0, 1, 1, 0, 0, 1], [2, 2, 2, 5], 2, 2),
    golden,
  );
});

test("GatherOp_BatchDims1 / NegativeBatchDims", () => {
  // biome-ignore format: TFLM's golden layout
  const golden = [
    5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5,
    6, 7, 8, 9, 20, 21, 22, 23, 24, 15, 16, 17, 18, 19, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 35, 36, 37, 38, 39, 30, 31, 32,
    33, 34, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 50, 51, 52, 53,
    54, 45, 46, 47, 48, 49, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54,
  ];
  const positions = [1, 0, 0, 1, 1, 0, 0, 1];
  assert.deepEqual(run("int8", [2, 2, 3, 5], SIXTY, [2, 2, 2], positions, [2, 2, 2, 2, 5], 2, 1), golden);
  assert.deepEqual(run("int8", [2, 2, 3, 5], SIXTY, [2, 2, 2], positions, [2, 2, 2, 2, 5], 2, -2), golden);
});

test("GatherOp_BatchDimsEqualIndexDims", () => {
  const input = Array.from({ length: 40 }, (_, i) => i);
  const positions = [1, 0, 0, 1, 1, 0, 0, 1];
  assert.deepEqual(
    run("int8", [2, 2, 2, 5], input, [2, 2, 2], positions, [2, 2, 2], 3, 3),
    [1, 5, 10, 16, 21, 25, 30, 36],
  );
});

test("a position outside the axis is an input error", () => {
  assert.throws(() => run("float32", [3], [1, 2, 3], [1], [3], [1]), /position 3 is outside \[0, 3\)/);
});
