/**
 * SHAPE goldens from TFLM kernels/shape_test.cc (TestShape0…3). TFLM's tests declare a [1, 1] output for a
 * rank-2 input and let the kernel write past it; here the output must hold one element per input dimension.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { shape } from "../../../src/kernels/shape.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(inputShape: number[]): number[] {
  const count = inputShape.reduce((n, d) => n * d, 1);
  const { outputs } = runKernel(shape, {
    inputs: [{ dtype: "float32", shape: inputShape, data: new Array(count).fill(1) }],
    outputs: [{ dtype: "int32", shape: [inputShape.length] }],
  });
  return [...(outputs[0] as Int32Array)];
}

test("TestShape0..3", () => {
  assert.deepEqual(run([5]), [5]);
  assert.deepEqual(run([4, 3]), [4, 3]);
  assert.deepEqual(run([12, 1]), [12, 1]);
  assert.deepEqual(run([2, 6]), [2, 6]);
});

test("SHAPE rejects an int64 output and a wrong-sized output", () => {
  assert.throws(
    () =>
      runKernel(shape, {
        inputs: [{ dtype: "float32", shape: [2], data: [1, 2] }],
        outputs: [{ dtype: "int64", shape: [1] }],
      }),
    /SHAPE: output type int64 is not supported \(int32\)/,
  );
  assert.throws(
    () =>
      runKernel(shape, {
        inputs: [{ dtype: "float32", shape: [2, 1], data: [1, 2] }],
        outputs: [{ dtype: "int32", shape: [1] }],
      }),
    /SHAPE: output has 1 elements for an input of rank 2/,
  );
});
