/** NEG goldens from TFLM kernels/neg_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { neg } from "../../../src/kernels/neg.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runneg(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(neg, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("NegTest.NegOpSingleFloat", () => {
  assert.deepEqual([...runneg([2], [8.5, 0.0])], [-8.5, -0]);
});

test("NegTest.NegOpFloat", () => {
  assert.deepEqual([...runneg([2, 3], [-2, -1, 0, 1, 2, 3])], [2, 1, -0, -1, -2, -3]);
});

test("NEG rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(neg, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /NEG: input type int8 is not supported \(float32\)/,
  );
});
