/** SQUEEZE goldens from TFLM kernels/squeeze_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { squeeze } from "../../../src/kernels/squeeze.js";
import { runKernel } from "../../support/kernel-harness.js";

const DATA = Array.from({ length: 24 }, (_, i) => i + 1);

function run(inputShape: number[], squeezeDims: number[], outputShape: number[], data = DATA): number[] {
  const { outputs } = runKernel(squeeze, {
    options: { squeezeDims },
    inputs: [{ dtype: "int32", shape: inputShape, data }],
    outputs: [{ dtype: "int32", shape: outputShape }],
  });
  return Array.from(outputs[0] as Int32Array);
}

test("SqueezeAll / SqueezeSelectedAxis / SqueezeNegativeAxis", () => {
  assert.deepEqual(run([1, 24, 1], [], [24]), DATA);
  assert.deepEqual(run([1, 24, 1], [2], [1, 24]), DATA);
  assert.deepEqual(run([1, 24, 1], [-1, 0], [24]), DATA);
});

test("SqueezeAllDims", () => {
  assert.deepEqual(run([1, 1, 1, 1, 1, 1, 1], [], [], [3]), [3]);
});

test("rejects squeezing a dimension that is not 1, or a wrong output shape", () => {
  assert.throws(() => run([1, 24, 1], [1], [1, 1]), /cannot squeeze dimension 1/);
  assert.throws(() => run([1, 24, 1], [], [1, 24]), /should be \[24\]/);
});
