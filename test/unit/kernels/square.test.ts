/** SQUARE goldens from TFLM kernels/elementwise_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { square } from "../../../src/kernels/square.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runsquare(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(square, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("ElementwiseTest.Square", () => {
  assertNear(runsquare([2, 2], [1, 2, 0.5, -3.0]), [1, 4.0, 0.25, 9.0], 1e-5);
});

test("SQUARE rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(square, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /SQUARE: input type int8 is not supported \(float32\)/,
  );
});
