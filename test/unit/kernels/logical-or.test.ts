/** LOGICAL_OR goldens from TFLM kernels/logical_test.cc (LogicalOr, BroadcastLogicalOr). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { logicalOr } from "../../../src/kernels/logical-or.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(shapeB: number[], a: number[], b: number[]): number[] {
  const { outputs } = runKernel(logicalOr, {
    inputs: [
      { dtype: "bool", shape: [1, 1, 1, 4], data: a },
      { dtype: "bool", shape: shapeB, data: b },
    ],
    outputs: [{ dtype: "bool", shape: [1, 1, 1, 4] }],
  });
  return [...(outputs[0] as Uint8Array)];
}

test("LogicalOr", () => {
  assert.deepEqual(run([1, 1, 1, 4], [1, 0, 0, 1], [1, 0, 1, 0]), [1, 0, 1, 1]);
});

test("BroadcastLogicalOr", () => {
  assert.deepEqual(run([1, 1, 1, 1], [1, 0, 0, 1], [0]), [1, 0, 0, 1]);
});
