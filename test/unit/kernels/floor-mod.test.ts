/** FLOOR_MOD goldens from TFLM kernels/floor_mod_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { floorMod } from "../../../src/kernels/floor-mod.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(shapeB: number[], a: number[], b: number[]): number[] {
  const { outputs } = runKernel(floorMod, {
    inputs: [
      { dtype: "float32", shape: [1, 2, 2, 1], data: a },
      { dtype: "float32", shape: shapeB, data: b },
    ],
    outputs: [{ dtype: "float32", shape: [1, 2, 2, 1] }],
  });
  return [...(outputs[0] as Float32Array)];
}

test("FloorModFloatSimple", () => {
  assert.deepEqual(run([1, 2, 2, 1], [10, 9, 11, 3], [2, 2, 3, 4]), [0, 1, 2, 3]);
});

test("FloorModFloatNegativeValue", () => {
  assert.deepEqual(run([1, 2, 2, 1], [10, -9, -11, 7], [2, 2, -3, -4]), [0, 1, -2, -1]);
});

test("FloorModFloatBroadcast", () => {
  assert.deepEqual(run([1], [10, -9, -11, 7], [-3]), [-2, -0, -2, -2]);
});

test("FLOOR_MOD rejects int8, as TFLM (float32 only)", () => {
  assert.throws(
    () =>
      runKernel(floorMod, {
        inputs: [
          { dtype: "int8", shape: [1], data: [1], scale: 1 },
          { dtype: "int8", shape: [1], data: [1], scale: 1 },
        ],
        outputs: [{ dtype: "int8", shape: [1], scale: 1 }],
      }),
    /FLOOR_MOD: input type int8 is not supported/,
  );
});
