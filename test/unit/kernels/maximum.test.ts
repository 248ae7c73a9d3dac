/** MAXIMUM goldens from TFLM kernels/maximum_minimum_test.cc (test names kept): float32, int8, int16, int32. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { maximum } from "../../../src/kernels/maximum.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shapeA: number[], a: number[], shapeB: number[], b: number[]): number[] {
  // Quantized cases use scale 1 and zero point 0 as in the TFLM test; the op ignores them.
  const q = dtype === "int8" || dtype === "int16" ? { scale: 1, zeroPoint: 0 } : {};
  const { outputs } = runKernel(maximum, {
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
  assert.deepEqual(out, [1.0, 0.0, 1.0, 12.0, -2.0, -1.43].map(Math.fround));
});

test("Int8Test", () => {
  assert.deepEqual(run("int8", DIMS, [1, 0, 2, 11, 2, 23], DIMS, [0, 0, 1, 12, 127, 1]), [1, 0, 2, 12, 127, 23]);
});

test("Int16Test", () => {
  const out = run("int16", DIMS, [-30, 0, 2124, -123, -32768, 26236], DIMS, [24, 0, 1, -4256, 32767, -577]);
  assert.deepEqual(out, [24, 0, 2124, -123, 32767, 26236]);
});

test("FloatWithBroadcastTest", () => {
  const out = run("float32", DIMS, [1.0, 0.0, -1.0, -2.0, -1.44, 11.0], [2], [0.5, 2.0]);
  assert.deepEqual(out, [1.0, 2.0, 0.5, 2.0, 0.5, 11.0]);
});

test("Int32WithBroadcastTest", () => {
  assert.deepEqual(run("int32", DIMS, [1, 0, -1, -2, 3, 11], [1], [2]), [2, 2, 2, 2, 3, 11]);
});

test("int64 and NaN follow TFLM's x > y ? x : y", () => {
  const { outputs } = runKernel(maximum, {
    inputs: [
      { dtype: "int64", shape: [2], data: [-5, 9007199254740993n] as unknown as number[] },
      { dtype: "int64", shape: [1], data: [3] },
    ],
    outputs: [{ dtype: "int64", shape: [2] }],
  });
  assert.deepEqual(Array.from(outputs[0] as BigInt64Array), [3n, 9007199254740993n]);
  assert.deepEqual(run("float32", [2], [Number.NaN, 1], [2], [1, Number.NaN]), [1, Number.NaN]);
});
