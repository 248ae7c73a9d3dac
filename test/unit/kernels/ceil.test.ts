/** CEIL goldens from TFLM kernels/ceil_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ceil } from "../../../src/kernels/ceil.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runceil(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(ceil, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("CeilTest.SingleDim", () => {
  assert.deepEqual([...runceil([2], [8.5, 0.0])], [9, 0]);
});

test("CeilTest.MultiDims", () => {
  const input = [0.0001, 8.0001, 0.9999, 9.9999, 0.5, -0.0001, -8.0001, -0.9999, -9.9999, -0.5];
  assertNear(runceil([2, 1, 1, 5], input), [1, 9, 1, 10, 1, 0, -8, 0, -9, 0], 0);
});

test("CEIL rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(ceil, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /CEIL: input type int8 is not supported \(float32\)/,
  );
});
