/** SQRT goldens from TFLM kernels/elementwise_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sqrt } from "../../../src/kernels/sqrt.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runsqrt(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(sqrt, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("ElementwiseTest.Sqrt", () => {
  assertNear(runsqrt([2, 2], [0, 1, 2, 4]), [0, 1, 1.41421, 2], 1e-5);
});

test("SQRT rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(sqrt, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /SQRT: input type int8 is not supported \(float32\)/,
  );
});
