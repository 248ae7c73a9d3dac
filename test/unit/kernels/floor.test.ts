/** FLOOR goldens from TFLM kernels/floor_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { floor } from "../../../src/kernels/floor.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

function runfloor(shape: number[], input: number[]): Float32Array {
  const { outputs } = runKernel(floor, {
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return outputs[0] as Float32Array;
}

test("FloorTest.FloorOpSingleDimFloat32", () => {
  assert.deepEqual([...runfloor([2], [8.5, 0.0])], [8, 0]);
});

test("FloorTest.FloorOpMultiDimFloat32", () => {
  const input = [0.0001, 8.0001, 0.9999, 9.9999, 0.5, -0.0001, -8.0001, -0.9999, -9.9999, -0.5];
  assert.deepEqual([...runfloor([2, 1, 1, 5], input)], [0, 8, 0, 9, 0, -1, -9, -1, -10, -1]);
});

test("FLOOR rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(floor, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /FLOOR: input type int8 is not supported \(float32\)/,
  );
});
