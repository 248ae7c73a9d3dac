/** BROADCAST_TO goldens from TFLM kernels/broadcast_to_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { broadcastTo } from "../../../src/kernels/broadcast-to.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(
  dims: number[],
  inputShape: number[],
  input: number[],
  outputShape: number[],
  dtype: DType = "int32",
  dimsType: DType = "int32",
): number[] {
  const { outputs } = runKernel(broadcastTo, {
    inputs: [
      { dtype, shape: inputShape, data: input },
      { dtype: dimsType, shape: [dims.length], data: dims, constant: true },
    ],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Int32Array);
}

test("ShapeMustBe1D / TooManyDimensionShouldFail / MismatchDimensionShouldFail", () => {
  assert.throws(
    () =>
      runKernel(broadcastTo, {
        inputs: [
          { dtype: "int32", shape: [2, 2], data: [2, 3, 4, 4] },
          { dtype: "int32", shape: [2, 2], data: [2, 3, 4, 4], constant: true },
        ],
        outputs: [{ dtype: "int32", shape: [2, 2] }],
      }),
    /must be 1-D/,
  );
  assert.throws(() => run([2, 2, 2, 2, 2, 2], [2, 2], [2, 3, 4, 4], [2, 2, 2, 2, 2, 2]), /1-D to 5-D/);
  assert.throws(() => run([2, 4, 1, 3], [2, 4, 1, 3], new Array(24).fill(1), [2, 4, 1, 2]), /differs/);
  assert.throws(() => run([2, 4, 1, 2], [2, 4, 1, 3], new Array(24).fill(1), [2, 4, 1, 2]), /does not broadcast/);
});

test("Broadcast1DConstTest / Broadcast4DConstTest", () => {
  assert.deepEqual(run([4], [1], [3], [4]), [3, 3, 3, 3]);
  assert.deepEqual(
    run([2, 2, 2, 2], [2, 2], [2, 3, 4, 5], [2, 2, 2, 2]),
    [2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5],
  );
});

test("ComplexBroadcast4DConstTest", () => {
  const row = [1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6];
  assert.deepEqual(run([3, 3, 2, 2], [1, 3, 1, 2], [1, 2, 3, 4, 5, 6], [3, 3, 2, 2]), [...row, ...row, ...row]);
});

test("NoBroadcastingConstTest / BroadcastInt64ShapeTest", () => {
  assert.deepEqual(run([3, 1, 2], [3, 1, 2], [1, 2, 3, 4, 5, 6], [3, 1, 2]), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(run([1, 1, 2, 2], [1, 1, 1, 2], [3, 4], [1, 1, 2, 2], "int32", "int64"), [3, 4, 3, 4]);
});

test("float32, int8 and int64 elements copy unchanged", () => {
  assert.deepEqual(run([2, 2], [1, 2], [0.5, -1.25], [2, 2], "float32"), [0.5, -1.25, 0.5, -1.25]);
  assert.deepEqual(run([3], [1], [-7], [3], "int8"), [-7, -7, -7]);
  const { outputs } = runKernel(broadcastTo, {
    inputs: [
      { dtype: "int64", shape: [1], data: [2n ** 40n] },
      { dtype: "int32", shape: [1], data: [2], constant: true },
    ],
    outputs: [{ dtype: "int64", shape: [2] }],
  });
  assert.deepEqual(Array.from(outputs[0] as BigInt64Array), [2n ** 40n, 2n ** 40n]);
});

test("a shape operand computed by the model is rejected", () => {
  assert.throws(
    () =>
      runKernel(broadcastTo, {
        inputs: [
          { dtype: "int32", shape: [1], data: [1] },
          { dtype: "int32", shape: [1], data: [2] },
        ],
        outputs: [{ dtype: "int32", shape: [2] }],
      }),
    /non-constant shape/,
  );
});
