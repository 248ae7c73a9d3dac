/** SIN goldens from TFLM kernels/elementwise_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sin } from "../../../src/kernels/sin.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runsin(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(sin, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("ElementwiseTest.Sin", () => {
  assertNear(runsin([2, 2], [0, 3.1415926, -3.1415926, 1]), [0, 0, 0, 0.84147], 1e-5);
});

test("SIN rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(sin, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /SIN: input type int8 is not supported \(float32\)/,
  );
});
