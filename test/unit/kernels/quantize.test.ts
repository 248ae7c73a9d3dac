/**
 * QUANTIZE goldens from TFLM kernels/quantize_test.cc. TFLM computes its expected values with a reference
 * Quantize(values, scale, zero_point) helper; the literal numbers below are those results.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { quantize } from "../../../src/kernels/quantize.js";
import { runKernel } from "../../support/kernel-harness.js";

const dims = [2, 5];

function requantize(
  from: DType,
  input: number[],
  inScale: number,
  inZero: number,
  to: DType,
  outScale: number,
  outZero: number,
): number[] {
  const { outputs } = runKernel(quantize, {
    inputs: [{ dtype: from, shape: dims, data: input, scale: inScale, zeroPoint: inZero }],
    outputs: [{ dtype: to, shape: dims, scale: outScale, zeroPoint: outZero }],
  });
  return Array.from(outputs[0] as Int32Array);
}

function fromFloat(values: number[], to: DType, scale: number, zeroPoint: number): number[] {
  const { outputs } = runKernel(quantize, {
    inputs: [{ dtype: "float32", shape: dims, data: values }],
    outputs: [{ dtype: to, shape: dims, scale, zeroPoint }],
  });
  return Array.from(outputs[0] as Int32Array);
}

const HALVES = [-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64];
const HALVES_Q = [-128, -127, -126, -125, -124, 123, 124, 125, 126, 127];

test("QuantizeOpTestInt16 / QuantizeOpTestInt8: float32 → int16 and int8, scale 0.5, zero point -1", () => {
  assert.deepEqual(fromFloat(HALVES, "int16", 0.5, -1), HALVES_Q);
  assert.deepEqual(fromFloat(HALVES, "int8", 0.5, -1), HALVES_Q);
});

test("QuantizeOpTestInt16NoScale: float32 → int16, scale 1", () => {
  const values = [-128, -127, -126, -125, -124, 123, 124, 125, 126, 127];
  assert.deepEqual(fromFloat(values, "int16", 1, 0), values);
});

test("QuantizeOpTestInt8NoZeroPoint: float32 → int8, scale 0.5", () => {
  const values = [-32, -31, -30, -29, -28, 27, 28, 29, 30, 31];
  assert.deepEqual(fromFloat(values, "int8", 0.5, 0), [-64, -62, -60, -58, -56, 54, 56, 58, 60, 62]);
});

test("float32 → int8 rounds halves away from zero and saturates", () => {
  // Not a TFLM golden: AffineQuantize semantics (TfLiteRound, clamp) on boundary values.
  const values = [-0.25, 0.25, -0.75, 0.75, 1000, -1000, 0, 0.24, -0.26, 63.75];
  assert.deepEqual(fromFloat(values, "int8", 0.5, 0), [-1, 1, -2, 2, 127, -128, 0, 0, -1, 127]);
});

const HALF_STEP_IN = [-32, -31, -30, -29, -28, 27, 28, 29, 30, 31];

test("QuantizeOpTestInt16toInt16 / Int8toInt16 / Int8toInt8: scale 2 → 0.5, zero point 32", () => {
  const expected = [-96, -92, -88, -84, -80, 140, 144, 148, 152, 156];
  assert.deepEqual(requantize("int16", HALF_STEP_IN, 2, 0, "int16", 0.5, 32), expected);
  assert.deepEqual(requantize("int8", HALF_STEP_IN, 2, 0, "int16", 0.5, 32), expected);
  assert.deepEqual(
    requantize("int8", HALF_STEP_IN, 2, 0, "int8", 0.5, 32),
    [-96, -92, -88, -84, -80, 127, 127, 127, 127, 127],
  );
});

test("QuantizeOpTestInt16toInt16NoZeroPoint / Int8toInt8NoZeroPoint: scale 1 → 0.5", () => {
  const expected = [-64, -62, -60, -58, -56, 54, 56, 58, 60, 62];
  assert.deepEqual(requantize("int16", HALF_STEP_IN, 1, 0, "int16", 0.5, 0), expected);
  assert.deepEqual(requantize("int8", HALF_STEP_IN, 1, 0, "int8", 0.5, 0), expected);
});

test("QuantizeOpTestInt32toInt16 / Int32toInt8 / Int16toInt8: scale 0.4 → 1", () => {
  // Inputs are round(value / 0.4) of the test's values -32..-28, 27..31.
  const input = [-80, -78, -75, -73, -70, 68, 70, 73, 75, 78];
  const expected = [-32, -31, -30, -29, -28, 27, 28, 29, 30, 31];
  assert.deepEqual(requantize("int32", input, 0.4, 0, "int16", 1, 0), expected);
  assert.deepEqual(requantize("int32", input, 0.4, 0, "int8", 1, 0), expected);
  assert.deepEqual(requantize("int16", input, 0.4, 0, "int8", 1, 0), expected);
});

test("QuantizeOpTestInt16toInt8_2: scale 2 → 0.5", () => {
  assert.deepEqual(
    requantize("int16", HALF_STEP_IN, 2, 0, "int8", 0.5, 0),
    [-128, -124, -120, -116, -112, 108, 112, 116, 120, 124],
  );
});

test("QuantizeOpTestInt8toUInt8Fast / Int8toUInt8Normal", () => {
  assert.deepEqual(
    requantize("int8", HALF_STEP_IN, 1, 0, "uint8", 0.5, 128),
    [64, 66, 68, 70, 72, 182, 184, 186, 188, 190],
  );
  const shifted = HALF_STEP_IN.map((v) => v + 50);
  assert.deepEqual(
    requantize("int8", shifted, 1, 50, "uint8", 1, 110),
    HALF_STEP_IN.map((v) => v + 110),
  );
});

test("QuantizeOpTestUInt8toInt8Normal: zero point 50, scale 1 → 0.3", () => {
  const input = HALF_STEP_IN.map((v) => v + 50);
  assert.deepEqual(
    requantize("uint8", input, 1, 50, "int8", 0.3, 0),
    [-107, -103, -100, -97, -93, 90, 93, 97, 100, 103],
  );
});

test("QuantizeOpTestInt8toInt32 / Int16toInt32: scale 1 → 0.5", () => {
  const expected = [-64, -62, -60, -58, -56, 54, 56, 58, 60, 62];
  assert.deepEqual(requantize("int8", HALF_STEP_IN, 1, 0, "int32", 0.5, 0), expected);
  assert.deepEqual(requantize("int16", HALF_STEP_IN, 1, 0, "int32", 0.5, 0), expected);
});

test("unsupported pairs are rejected in prepare", () => {
  assert.throws(
    () =>
      runKernel(quantize, {
        inputs: [{ dtype: "uint8", shape: [1], data: [0], scale: 1, zeroPoint: 0 }],
        outputs: [{ dtype: "int16", shape: [1], scale: 1, zeroPoint: 0 }],
      }),
    /uint8 → output int16 is not supported/,
  );
  assert.throws(
    () =>
      runKernel(quantize, {
        inputs: [{ dtype: "float32", shape: [1], data: [0] }],
        outputs: [{ dtype: "int8", shape: [1] }],
      }),
    /per-tensor quantization/,
  );
});
