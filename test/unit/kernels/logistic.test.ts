/** LOGISTIC goldens from TFLM kernels/logistic_test.cc (test names kept): float32, int8, int16. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { logistic } from "../../../src/kernels/logistic.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

const INPUT_BASIC = [1, 2, 3, 4, 5, -1, -2, -3, -4, -5];
// biome-ignore format: golden table
const GOLDEN_BASIC = [0.73105858, 0.88079708, 0.95257413, 0.98201379, 0.99330715, 0.26894142, 0.11920292,
  0.04742587, 0.01798621, 0.00669285];
const INPUT_WIDE = [1.0, 2.0, 3.0, 4.0, 93.0, -1.0, -2.0, -3.0, -4.0, -93.0];
// biome-ignore format: golden table
const GOLDEN_WIDE = [0.73105858, 0.88079708, 0.95257413, 0.98201379, 1.0, 0.26894142, 0.11920292, 0.04742587,
  0.01798621, 0.0];
/** logistic_test.cc's 177-entry int16 vectors: -20..20 in steps of 40/176 and their sigmoid, to 10 decimals. */
const INT16_INPUT = Array.from({ length: 177 }, (_, i) => Number((-20 + (40 * i) / 176).toFixed(10)));
const INT16_GOLDEN = INT16_INPUT.map((x) => Number((1 / (1 + Math.exp(-x))).toFixed(10)));

function logisticFloat(input: number[]): number[] {
  const { outputs } = runKernel(logistic, {
    inputs: [{ dtype: "float32", shape: [input.length], data: input }],
    outputs: [{ dtype: "float32", shape: [input.length] }],
  });
  return Array.from(outputs[0] as Float32Array);
}

function logisticQuantized(
  dtype: DType,
  input: number[],
  inScale: number,
  golden: number[],
  outScale: number,
  outZp: number,
  tolerance: number,
) {
  const { outputs } = runKernel(logistic, {
    inputs: [
      { dtype, shape: [input.length], data: quantizeValues(input, inScale, 0, dtype), scale: inScale, zeroPoint: 0 },
    ],
    outputs: [{ dtype, shape: [input.length], scale: outScale, zeroPoint: outZp }],
  });
  const expected = quantizeValues(golden, outScale, outZp, dtype);
  Array.from(outputs[0] as Float32Array).forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} vs ${expected[i]}`);
  });
  return Array.from(outputs[0] as Float32Array);
}

test("LogisticFloatBasicShouldMatchGolden", () => {
  logisticFloat(INPUT_BASIC).forEach((v, i) => {
    assert.ok(Math.abs(v - GOLDEN_BASIC[i]!) <= 1e-5);
  });
});

test("LogisticFloatWideRangeShouldMatchGolden", () => {
  logisticFloat(INPUT_WIDE).forEach((v, i) => {
    assert.ok(Math.abs(v - GOLDEN_WIDE[i]!) <= 1e-5);
  });
});

test("LogisticQuantizedInt8BasicShouldMatchGolden", () => {
  const out = logisticQuantized("int8", INPUT_BASIC, 0.1, GOLDEN_BASIC, 1 / 255, -128, 1);
  // gemmlowp's fixed-point logistic on Q4.27, written as Q0.8 with zero point -128.
  assert.deepEqual(out, [59, 97, 116, 123, 126, -59, -97, -116, -123, -126]);
});

test("LogisticQuantizedInt8WideRangeShouldMatchGolden", () => {
  logisticQuantized("int8", INPUT_WIDE, 1.0, GOLDEN_WIDE, 1 / 255, -128, 1);
});

test("LogisticQuantizedInt16ShouldMatchGolden", () => {
  logisticQuantized("int16", INT16_INPUT, 32 / 65536, INT16_GOLDEN, 2 / 65536, 0, 16);
});

test("int8 LOGISTIC requires output zero point -128", () => {
  assert.throws(
    () =>
      runKernel(logistic, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 1 / 256, zeroPoint: 0 }],
      }),
    /-128/,
  );
});
