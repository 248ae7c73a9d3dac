/** RSQRT goldens from TFLM kernels/elementwise_test.cc (Rsqrt, RsqrtInt8, RsqrtCloseTo0Int8, RsqrtNanInt8). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../../src/errors.js";
import { rsqrt } from "../../../src/kernels/rsqrt.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear, dequantize, quantize } from "./more-ops-test-support.js";

const f = Math.fround;
const GOLDEN = [0.2582, 0.14744, 0.11323, 0.08392, 1, 0.24254, 0.142857, 0.09407];

function runInt8(input: number[], outScale: number): number[] {
  const inScale = f(142 / 255);
  const inZero = 127 - 142;
  const { outputs } = runKernel(rsqrt, {
    inputs: [{ dtype: "int8", shape: [8], data: quantize(input, inScale, inZero), scale: inScale, zeroPoint: inZero }],
    outputs: [{ dtype: "int8", shape: [8], scale: outScale, zeroPoint: -128 }],
  });
  return dequantize(outputs[0]!, outScale, -128);
}

test("ElementwiseTest.Rsqrt", () => {
  const { outputs } = runKernel(rsqrt, {
    inputs: [{ dtype: "float32", shape: [2, 2], data: [1, 2, 4, 9] }],
    outputs: [{ dtype: "float32", shape: [2, 2] }],
  });
  assertNear(outputs[0]!, [1, 0.7071, 0.5, 0.33333], 1e-4);
});

test("ElementwiseTest.RsqrtInt8", () => {
  assertNear(runInt8([15, 46, 78, 142, 1, 17, 49, 113], f(1 / 255)), GOLDEN, f(142 / 255));
});

test("ElementwiseTest.RsqrtCloseTo0Int8", () => {
  const golden = [...GOLDEN];
  golden[5] = 3.16228;
  assertNear(runInt8([15, 46, 78, 142, 1, 0.1, 49, 113], f(3.16 / 255)), golden, f(142 / 255));
});

test("ElementwiseTest.RsqrtNanInt8: a negative input fails the invocation", () => {
  assert.throws(() => runInt8([15, 46, 78, 142, 1, 17, -49, 113], f(1 / 255)), InputError);
});

test("RSQRT rejects int16 in prepare, as TFLM's IsRsqrtSupportedType does", () => {
  assert.throws(
    () =>
      runKernel(rsqrt, {
        inputs: [{ dtype: "int16", shape: [1], data: [1], scale: 0.01, zeroPoint: 0 }],
        outputs: [{ dtype: "int16", shape: [1], scale: 0.01, zeroPoint: 0 }],
      }),
    /RSQRT: input type int16 is not supported/,
  );
});
