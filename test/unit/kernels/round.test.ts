/** ROUND goldens from TFLM kernels/round_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { round } from "../../../src/kernels/round.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runround(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(round, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("RoundTest.SingleDim", () => {
  assert.deepEqual([...runround([6], [8.5, 0.0, 3.5, 4.2, -3.5, -4.5])], [8, 0, 4, 4, -4, -4]);
});

test("RoundTest.MultiDims", () => {
  const input = [0.0001, 8.0001, 0.9999, 9.9999, 0.5, -0.0001, -8.0001, -0.9999, -9.9999, -0.5, -2.5, 1.5];
  assertNear(runround([2, 1, 1, 6], input), [0, 8, 1, 10, 0, 0, -8, -1, -10, -0, -2, 2], 0);
});

test("ROUND rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(round, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /ROUND: input type int8 is not supported \(float32\)/,
  );
});
