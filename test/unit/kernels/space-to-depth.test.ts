/** SPACE_TO_DEPTH goldens from TFLM kernels/space_to_depth_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { spaceToDepth } from "../../../src/kernels/space-to-depth.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, inputShape: number[], input: number[], outputShape: number[], blockSize = 2): number[] {
  const { outputs } = runKernel(spaceToDepth, {
    options: { blockSize },
    inputs: [{ dtype, shape: inputShape, data: input }],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("SpaceToDepth_Float32_1222", () => {
  const input = [1.4, 2.3, 3.2, 4.1, 5.4, 6.3, 7.2, 8.1];
  assert.deepEqual(run("float32", [1, 2, 2, 2], input, [1, 1, 1, 8]), input.map(Math.fround));
});

test("SpaceToDepth_Int8_1221 / 1223", () => {
  assert.deepEqual(run("int8", [1, 2, 2, 1], [1, 2, 3, 4], [1, 1, 1, 4]), [1, 2, 3, 4]);
  const twelve = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  assert.deepEqual(run("int8", [1, 2, 2, 3], twelve, [1, 1, 1, 12]), twelve);
});

test("SpaceToDepth_Int8_1441", () => {
  const input = [1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16];
  assert.deepEqual(
    run("int8", [1, 4, 4, 1], input, [1, 2, 2, 4]),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
  );
});

test("bad block sizes and shapes are rejected", () => {
  assert.throws(() => run("int8", [1, 2, 2, 1], [1, 2, 3, 4], [1, 1, 1, 4], 0), /block size 0/);
  assert.throws(() => run("int8", [1, 3, 2, 1], [1, 2, 3, 4, 5, 6], [1, 1, 1, 4]), /multiples of block/);
  assert.throws(() => run("int8", [1, 2, 2, 1], [1, 2, 3, 4], [1, 1, 4, 1]), /should be/);
  assert.throws(() => run("int16", [1, 2, 2, 1], [1, 2, 3, 4], [1, 1, 1, 4]), /not supported/);
});
