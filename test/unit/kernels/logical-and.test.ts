/** LOGICAL_AND goldens from TFLM kernels/logical_test.cc (LogicalAnd, BroadcastLogicalAnd). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { logicalAnd } from "../../../src/kernels/logical-and.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(shapeB: number[], a: number[], b: number[]): number[] {
  const { outputs } = runKernel(logicalAnd, {
    inputs: [
      { dtype: "bool", shape: [1, 1, 1, 4], data: a },
      { dtype: "bool", shape: shapeB, data: b },
    ],
    outputs: [{ dtype: "bool", shape: [1, 1, 1, 4] }],
  });
  return [...(outputs[0] as Uint8Array)];
}

test("LogicalAnd", () => {
  assert.deepEqual(run([1, 1, 1, 4], [1, 0, 0, 1], [1, 0, 1, 0]), [1, 0, 0, 0]);
});

test("BroadcastLogicalAnd", () => {
  assert.deepEqual(run([1, 1, 1, 1], [1, 0, 0, 1], [1]), [1, 0, 0, 1]);
});

test("LOGICAL_AND rejects non-bool inputs", () => {
  assert.throws(
    () =>
      runKernel(logicalAnd, {
        inputs: [
          { dtype: "int8", shape: [1], data: [1] },
          { dtype: "int8", shape: [1], data: [1] },
        ],
        outputs: [{ dtype: "int8", shape: [1] }],
      }),
    /LOGICAL_AND: input type int8 is not supported \(bool\)/,
  );
});
