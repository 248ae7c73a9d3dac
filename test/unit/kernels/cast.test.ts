/** CAST goldens from TFLM kernels/cast_test.cc, plus the static_cast wrap/truncation rules TFLM relies on. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { cast } from "../../../src/kernels/cast.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(from: DType, to: DType, data: number[]): number[] {
  const { outputs } = runKernel(cast, {
    inputs: [{ dtype: from, shape: [data.length], data }],
    outputs: [{ dtype: to, shape: [data.length] }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("CastFloatToInt8 / CastFloatToInt16", () => {
  const input = [100, 1, 0, 0.4, 1.999, 1.1];
  assert.deepEqual(run("float32", "int8", input), [100, 1, 0, 0, 1, 1]);
  assert.deepEqual(run("float32", "int16", input), [100, 1, 0, 0, 1, 1]);
});

test("CastInt8ToFloat / CastInt16ToFloat / CastInt16ToInt32 / CastInt32ToInt16", () => {
  const input = [123, 0, 1, 2, 3, 4];
  assert.deepEqual(run("int8", "float32", input), input);
  assert.deepEqual(run("int16", "float32", input), input);
  assert.deepEqual(run("int16", "int32", input), input);
  assert.deepEqual(run("int32", "int16", input), input);
});

test("CastUInt32ToInt32 / CastInt32ToUInt32 / CastBoolToFloat", () => {
  const input = [100, 200, 300, 400, 500, 600];
  assert.deepEqual(run("uint32", "int32", input), input);
  assert.deepEqual(run("int32", "uint32", input), input);
  assert.deepEqual(run("bool", "float32", [1, 1, 0, 1, 0, 1]), [1, 1, 0, 1, 0, 1]);
});

test("integer narrowing wraps and float → int truncates toward zero (C++ static_cast)", () => {
  assert.deepEqual(run("uint32", "int32", [4294967295, 2147483648]), [-1, -2147483648]);
  assert.deepEqual(run("int32", "uint32", [-1]), [4294967295]);
  assert.deepEqual(run("int32", "int8", [200, -129, 256]), [-56, 127, 0]);
  assert.deepEqual(run("float32", "int32", [-1.9, 2.9, -0.5]), [-1, 2, 0]);
  // Out of int32 range: x86's cvttss2si gives INT32_MIN, whose low 16 bits are 0.
  assert.deepEqual(run("float32", "int32", [3e9, Number.NaN]), [-2147483648, -2147483648]);
  assert.deepEqual(run("float32", "int16", [3e9]), [0]);
  assert.deepEqual(run("int32", "float32", [16777217]), [16777216]);
});

test("rejects output types TFLM does not cast to", () => {
  assert.throws(() => run("int32", "uint8", [1]), /output type uint8 is not supported/);
});
