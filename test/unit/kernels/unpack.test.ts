/** UNPACK goldens from TFLM kernels/unpack_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { unpack } from "../../../src/kernels/unpack.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shape: number[], data: number[], axis: number, outputShapes: number[][]): number[][] {
  const { outputs } = runKernel(unpack, {
    options: { num: outputShapes.length, axis },
    inputs: [{ dtype, shape, data }],
    outputs: outputShapes.map((s) => ({ dtype, shape: s })),
  });
  return outputs.map((o) => Array.from(o as Float32Array));
}

const SIX = [1, 2, 3, 4, 5, 6];
const THREE_PAIRS = [
  [1, 2],
  [3, 4],
  [5, 6],
];

test("UnpackFloatThreeOutputs / NegativeAxisTwo", () => {
  assert.deepEqual(run("float32", [3, 2], SIX, 0, [[2], [2], [2]]), THREE_PAIRS);
  assert.deepEqual(run("float32", [3, 2], SIX, -2, [[2], [2], [2]]), THREE_PAIRS);
});

test("UnpackFloatOneOutput", () => {
  assert.deepEqual(run("float32", [1, 6], SIX, 0, [[6]]), [SIX]);
});

test("UnpackInt16ThreeOutputs / UnpackInt32ThreeOutputs (and int8)", () => {
  for (const dtype of ["int16", "int32", "int8"] as const) {
    assert.deepEqual(run(dtype, [3, 2], SIX, 0, [[2], [2], [2]]), THREE_PAIRS, dtype);
  }
});

test("unpacking an inner axis interleaves", () => {
  // Not a TFLM golden: axis 1 of [3, 2] gives the two columns.
  assert.deepEqual(run("float32", [3, 2], SIX, 1, [[3], [3]]), [
    [1, 3, 5],
    [2, 4, 6],
  ]);
});
