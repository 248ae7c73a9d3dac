/** MINIMUM goldens from TFLM kernels/maximum_minimum_test.cc (test names kept): float32, int8, int16, int32. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { minimum } from "../../../src/kernels/minimum.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shapeA: number[], a: number[], shapeB: number[], b: number[]): number[] {
  // Quantized cases use scale 1 and zero point 0 as in the TFLM test; the op ignores them.
  const q = dtype === "int8" || dtype === "int16" ? { scale: 1, zeroPoint: 0 } : {};
  const { outputs } = runKernel(minimum, {
    inputs: [
      { dtype, shape: shapeA, data: a, ...q },
      { dtype, shape: shapeB, data: b, ...q },
    ],
    outputs: [{ dtype, shape: shapeA, ...q }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const DIMS = [3, 1, 2];

test("FloatTest", () => {
  const out = run("float32", DIMS, [1.0, 0.0, -1.0, 11.0, -2.0, -1.44], DIMS, [-1.0, 0.0, 1.0, 12.0, -3.0, -1.43]);
  assert.deepEqual(out, [-1.0, 0.0, -1.0, 11.0, -3.0, -1.44].map(Math.fround));
});

test("Int8Test", () => {
  assert.deepEqual(run("int8", DIMS, [1, 0, 2, 11, 2, 23], DIMS, [0, 0, 1, 12, 127, 1]), [0, 0, 1, 11, 2, 1]);
});

test("Int16Test", () => {
  const out = run("int16", DIMS, [-30, 0, 2124, -123, -32768, 26236], DIMS, [24, 0, 1, -4256, 32767, -577]);
  assert.deepEqual(out, [-30, 0, 1, -4256, -32768, -577]);
});

test("FloatWithBroadcastTest", () => {
  const out = run("float32", DIMS, [1.0, 0.0, -1.0, -2.0, -1.44, 11.0], [2], [0.5, 2.0]);
  assert.deepEqual(out, [0.5, 0.0, -1.0, -2.0, -1.44, 2.0].map(Math.fround));
});

test("Int32WithBroadcastTest", () => {
  assert.deepEqual(run("int32", DIMS, [1, 0, -1, -2, 3, 11], [1], [2]), [1, 0, -1, -2, 2, 2]);
});

test("types must match", () => {
  assert.throws(
    () =>
      runKernel(minimum, {
        inputs: [
          { dtype: "int32", shape: [1], data: [1] },
          { dtype: "int16", shape: [1], data: [1] },
        ],
        outputs: [{ dtype: "int32", shape: [1] }],
      }),
    /types differ/,
  );
});
