/** ABS goldens from TFLM kernels/elementwise_test.cc (Abs, AbsInt8, AbsInt8SameScale, AbsInt16). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { abs } from "../../../src/kernels/abs.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear, dequantize, quantize } from "./more-ops-test-support.js";

const f = Math.fround;
const INPUT = [15, 46, 78, -142, -1, -17, -49, 113];
const GOLDEN = [15, 46, 78, 142, 1, 17, 49, 113];

function runQuantized(dtype: DType, inScale: number, inZero: number, outScale: number, outZero: number): number[] {
  const bits = dtype === "int8" ? 8 : 16;
  const { outputs } = runKernel(abs, {
    inputs: [{ dtype, shape: [8], data: quantize(INPUT, inScale, inZero, bits), scale: inScale, zeroPoint: inZero }],
    outputs: [{ dtype, shape: [8], scale: outScale, zeroPoint: outZero }],
  });
  return dequantize(outputs[0]!, outScale, outZero);
}

test("ElementwiseTest.Abs", () => {
  const { outputs } = runKernel(abs, {
    inputs: [{ dtype: "float32", shape: [2, 2], data: [0.01, -0.01, 10, -10] }],
    outputs: [{ dtype: "float32", shape: [2, 2] }],
  });
  assertNear(outputs[0]!, [f(0.01), f(0.01), 10, 10], 0);
});

test("ElementwiseTest.AbsInt8", () => {
  const inScale = f(255 / 255);
  const outScale = f(142 / 255);
  assertNear(runQuantized("int8", inScale, 127 - 113, outScale, -128), GOLDEN, inScale);
});

test("ElementwiseTest.AbsInt8SameScale", () => {
  const scale = f(255 / 255);
  assertNear(runQuantized("int8", scale, 127 - 113, scale, -128), GOLDEN, scale);
});

test("ElementwiseTest.AbsInt16", () => {
  const inScale = f(142 / 32767);
  const outScale = f(150 / 32767);
  assertNear(runQuantized("int16", inScale, 0, outScale, 0), GOLDEN, inScale);
});

test("ABS int16 without quantization is a plain abs that wraps -32768", () => {
  const { outputs } = runKernel(abs, {
    inputs: [{ dtype: "int16", shape: [3], data: [-5, 7, -32768] }],
    outputs: [{ dtype: "int16", shape: [3] }],
  });
  assert.deepEqual([...outputs[0]!], [5, 7, -32768]);
});

test("ABS rejects quantized int16 with a zero point", () => {
  assert.throws(() => runQuantized("int16", 0.1, 1, 0.1, 0), /ABS: int16 input and output must have zero point 0/);
});
