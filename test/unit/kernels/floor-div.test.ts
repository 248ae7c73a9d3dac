/** FLOOR_DIV goldens from TFLM kernels/floor_div_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.js";
import { floorDiv } from "../../../src/kernels/floor-div.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(shapeB: number[], a: number[], b: number[]): number[] {
  const { outputs } = runKernel(floorDiv, {
    inputs: [
      { dtype: "float32", shape: [1, 2, 2, 1], data: a },
      { dtype: "float32", shape: shapeB, data: b },
    ],
    outputs: [{ dtype: "float32", shape: [1, 2, 2, 1] }],
  });
  return [...(outputs[0] as Float32Array)];
}

test("FloorDivTestSimpleFloat", () => {
  assert.deepEqual(run([1, 2, 2, 1], [10.05, 9.09, 11.9, 3.01], [2.05, 2.03, 3.03, 4.03]), [4, 4, 3, 0]);
});

test("FloorDivTestNegativeValueFloat", () => {
  assert.deepEqual(run([1, 2, 2, 1], [10.03, -9.9, -11.0, 7.0], [2.0, 2.3, -3.0, -4.1]), [5, -5, 3, -2]);
});

test("FloorDivTestBroadcastFloat", () => {
  assert.deepEqual(run([1], [10.03, -9.9, -11.0, 7.0], [-3.3]), [-4, 2, 3, -3]);
});

test("FLOOR_DIV: a zero divisor fails the invocation; int32 is rejected as in TFLM", () => {
  assert.throws(() => run([1], [1, 2, 3, 4], [0]), InputError);
  assert.throws(
    () =>
      runKernel(floorDiv, {
        inputs: [
          { dtype: "int32", shape: [1], data: [1] },
          { dtype: "int32", shape: [1], data: [1] },
        ],
        outputs: [{ dtype: "int32", shape: [1] }],
      }),
    /FLOOR_DIV: input type int32 is not supported \(float32\)/,
  );
});
