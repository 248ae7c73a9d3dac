/** BATCH_TO_SPACE_ND goldens from TFLM kernels/batch_to_space_nd_test.cc (test names kept), plus crop cases. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { batchToSpaceNd } from "../../../src/kernels/batch-to-space-nd.js";
import { runKernel } from "../../support/kernel-harness.js";

const BASIC_INPUT = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const BASIC_GOLDEN = [1, 5, 2, 6, 9, 13, 10, 14, 3, 7, 4, 8, 11, 15, 12, 16];

function run(
  dtype: DType,
  inputShape: number[],
  input: number[],
  block: number[],
  crops: number[],
  outputShape: number[],
  constant = false,
): number[] {
  const quant = dtype === "int8" ? { scale: 1, zeroPoint: 0 } : {};
  const { outputs } = runKernel(batchToSpaceNd, {
    inputs: [
      { dtype, shape: inputShape, data: input, ...quant },
      { dtype: "int32", shape: [block.length], data: block, constant },
      { dtype: "int32", shape: [crops.length], data: crops, constant },
    ],
    outputs: [{ dtype, shape: outputShape, ...quant }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("BatchToSpaceBasicFloat / BatchToSpaceBasicInt8", () => {
  assert.deepEqual(run("float32", [4, 2, 2, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [1, 4, 4, 1]), BASIC_GOLDEN);
  assert.deepEqual(run("int8", [4, 2, 2, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [1, 4, 4, 1]), BASIC_GOLDEN);
  assert.deepEqual(run("float32", [4, 2, 2, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [1, 4, 4, 1], true), BASIC_GOLDEN);
});

test("crops cut the leading rows and columns", () => {
  // The basic 4×4 result cropped by one row and one column at the top-left.
  assert.deepEqual(
    run("float32", [4, 2, 2, 1], BASIC_INPUT, [2, 2], [1, 0, 1, 0], [1, 3, 3, 1], true),
    [13, 10, 14, 7, 4, 8, 15, 12, 16],
  );
});

test("bad blocks and shapes are rejected", () => {
  assert.throws(() => run("float32", [4, 2, 2, 1], BASIC_INPUT, [2, 0], [0, 0, 0, 0], [1, 4, 4, 1], true), /positive/);
  assert.throws(() => run("float32", [4, 2, 2, 1], BASIC_INPUT, [0, 2], [0, 0, 0, 0], [1, 4, 4, 1]), /positive/);
  assert.throws(() => run("float32", [4, 2, 2, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [1, 4, 2, 2]), /depth/);
  assert.throws(() => run("float32", [4, 2, 2, 1], BASIC_INPUT, [2], [0], [1, 4, 4, 1]), /too few values/);
});
