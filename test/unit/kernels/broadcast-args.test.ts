/** BROADCAST_ARGS goldens from TFLM kernels/broadcast_args_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { broadcastArgs } from "../../../src/kernels/broadcast-args.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(a: number[], b: number[], outputLength: number, dtype: DType = "int32"): number[] {
  const { outputs } = runKernel(broadcastArgs, {
    inputs: [
      { dtype, shape: [a.length], data: dtype === "int64" ? a.map(BigInt) : a },
      { dtype, shape: [b.length], data: dtype === "int64" ? b.map(BigInt) : b },
    ],
    outputs: [{ dtype, shape: [outputLength] }],
  });
  return Array.from(outputs[0] as Int32Array, Number);
}

test("BroadcastArgsWithScalar / BroadcastArgsDifferentDims", () => {
  assert.deepEqual(run([], [2, 4], 2), [2, 4]);
  assert.deepEqual(run([1], [2, 4], 2), [2, 4]);
});

test("BroadcastArgsSameDims / BroadcastArgsComplex", () => {
  assert.deepEqual(run([1, 4, 6, 3, 1, 5], [4, 4, 1, 3, 4, 1], 6), [4, 4, 6, 3, 4, 5]);
  assert.deepEqual(run([6, 3, 1, 5], [4, 4, 1, 3, 4, 1], 6), [4, 4, 6, 3, 4, 5]);
  assert.deepEqual(run([6, 3, 1, 5], [4, 4, 1, 3, 4, 1], 6, "int64"), [4, 4, 6, 3, 4, 5]);
});

test("incompatible shapes fail the invocation; mixed types fail prepare", () => {
  assert.throws(() => run([2, 3], [4, 3], 2), /sizes 2 and 4 do not broadcast/);
  assert.throws(
    () =>
      runKernel(broadcastArgs, {
        inputs: [
          { dtype: "int32", shape: [1], data: [1] },
          { dtype: "int64", shape: [1], data: [1n] },
        ],
        outputs: [{ dtype: "int32", shape: [1] }],
      }),
    /differs/,
  );
});
