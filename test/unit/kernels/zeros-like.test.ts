/** ZEROS_LIKE goldens from TFLM kernels/zeros_like_test.cc (TestZerosLikeFloat/Int8/Int32/Int64). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { zerosLike } from "../../../src/kernels/zeros-like.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, values: number[]): number[] {
  const { outputs } = runKernel(zerosLike, {
    inputs: [{ dtype, shape: [1, 2, 2, 1], data: values }],
    outputs: [{ dtype, shape: [1, 2, 2, 1] }],
  });
  return Array.from(outputs[0]!, Number);
}

test("TestZerosLike for float32, int8, int32 and int64", () => {
  assert.deepEqual(run("float32", [-2, 0.2, 0.7, 0.8]), [0, 0, 0, 0]);
  assert.deepEqual(run("int8", [-2, 2, -7, 8]), [0, 0, 0, 0]);
  assert.deepEqual(run("int32", [-2, 2, -7, 8]), [0, 0, 0, 0]);
  assert.deepEqual(run("int64", [-2, 2, -7, 8]), [0, 0, 0, 0]);
});

test("ZEROS_LIKE overwrites whatever the output buffer held", () => {
  const out = new Float32Array([5, 6, 7]);
  zerosLike.eval(null, { inputs: [new Float32Array(3)], outputs: [out], scratch: [] }, undefined);
  assert.deepEqual([...out], [0, 0, 0]);
});

test("ZEROS_LIKE rejects int16, as TFLM", () => {
  assert.throws(() => run("int16", [1, 2, 3, 4]), /ZEROS_LIKE: input type int16 is not supported/);
});
