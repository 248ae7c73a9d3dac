/** REDUCE_ALL goldens from TFLM kernels/reduce_test.cc (AllOpTestNotKeepDims, AllOpTestKeepDims). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { reduceAll } from "../../../src/kernels/reduce-all.js";
import { runKernel } from "../../support/kernel-harness.js";

const INPUT = [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];

function run(axis: number[], outShape: number[]): number[] {
  const { outputs } = runKernel(reduceAll, {
    inputs: [
      { dtype: "bool", shape: [2, 3, 2], data: INPUT },
      { dtype: "int32", shape: [axis.length], data: axis, constant: true },
    ],
    outputs: [{ dtype: "bool", shape: outShape }],
  });
  return [...(outputs[0] as Uint8Array)];
}

test("AllOpTestNotKeepDims", () => {
  assert.deepEqual(run([1, 0, -3, -3], [2]), [1, 0]);
});

test("AllOpTestKeepDims", () => {
  assert.deepEqual(run([0, 2], [1, 3, 1]), [1, 1, 0]);
});
