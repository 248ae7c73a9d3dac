/** COS goldens from TFLM kernels/elementwise_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cos } from "../../../src/kernels/cos.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runcos(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(cos, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("ElementwiseTest.Cos", () => {
  assertNear(runcos([2, 2], [0, 3.1415926, -3.1415926, 1]), [1, -1, -1, 0.5403], 1e-5);
});

test("COS rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(cos, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /COS: input type int8 is not supported \(float32\)/,
  );
});
