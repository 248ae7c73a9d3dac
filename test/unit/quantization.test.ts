/** quantize/dequantize as TFLite's QUANTIZE and DEQUANTIZE compute them (goldens from TFLM quantize_test.cc). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { dequantize, quantize } from "../../src/index.js";

const int8 = { name: "x", dtype: "int8" as const, scale: 0.5, zeroPoint: -1 };

test("int8 quantization saturates and matches TFLM's QuantizeOpTestInt8 values", () => {
  const values = [-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64];
  assert.deepEqual([...quantize(values, int8)], [-128, -127, -126, -125, -124, 123, 124, 125, 126, 127]);
  assert.deepEqual([...quantize([-1000, 1000], int8)], [-128, 127]);
});

test("halves round away from zero, as std::round does", () => {
  assert.deepEqual([...quantize([0.25, -0.25, 0.75, -0.75], int8)], [0, -2, 1, -3]);
});

test("dequantize inverts on the grid, and float tensors pass through", () => {
  const q = quantize([-3, 0, 2.5], int8);
  assert.deepEqual([...dequantize(q, int8)], [-3, 0, 2.5]);
  const f = Float32Array.of(1.5, -2);
  assert.equal(dequantize(f, { name: "f", dtype: "float32", scale: null, zeroPoint: null }), f);
});

test("non-finite values and unquantized integer tensors are rejected", () => {
  assert.throws(() => quantize([Number.NaN], int8), /not a finite number/);
  assert.throws(
    () => quantize([1], { name: "i", dtype: "int32", scale: null, zeroPoint: null }),
    /not a quantized tensor/,
  );
});
