/** LOGICAL_NOT golden from TFLM kernels/elementwise_test.cc (LogicalNot). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { logicalNot } from "../../../src/kernels/logical-not.js";
import { runKernel } from "../../support/kernel-harness.js";

test("LogicalNot", () => {
  const { outputs } = runKernel(logicalNot, {
    inputs: [{ dtype: "bool", shape: [2, 2], data: [1, 0, 0, 1] }],
    outputs: [{ dtype: "bool", shape: [2, 2] }],
  });
  assert.deepEqual([...(outputs[0] as Uint8Array)], [0, 1, 1, 0]);
});

test("LOGICAL_NOT rejects float32", () => {
  assert.throws(
    () =>
      runKernel(logicalNot, {
        inputs: [{ dtype: "float32", shape: [1], data: [1] }],
        outputs: [{ dtype: "float32", shape: [1] }],
      }),
    /LOGICAL_NOT: input type float32 is not supported \(bool\)/,
  );
});
