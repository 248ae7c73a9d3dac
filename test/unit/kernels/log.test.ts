/** LOG goldens from TFLM kernels/elementwise_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { log } from "../../../src/kernels/log.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runlog(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(log, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("ElementwiseTest.Log", () => {
  assertNear(runlog([2, 2], [1, 2.7182818, 0.5, 2]), [0, 1, -0.6931472, 0.6931472], 1e-5);
});

test("LOG rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(log, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /LOG: input type int8 is not supported \(float32\)/,
  );
});
