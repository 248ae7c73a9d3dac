/** DEQUANTIZE goldens from TFLM kernels/dequantize_test.cc (inputs are the test's Quantize(values) results). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { dequantize } from "../../../src/kernels/dequantize.js";
import { runKernel } from "../../support/kernel-harness.js";

const VALUES = [-63.5, -63, -62.5, -62, -61.5, 62, 62.5, 63, 63.5, 64];

function run(dtype: DType, input: number[], scale: number, zeroPoint: number): number[] {
  const { outputs } = runKernel(dequantize, {
    inputs: [{ dtype, shape: [5, 2], data: input, scale, zeroPoint }],
    outputs: [{ dtype: "float32", shape: [5, 2] }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("DequantizeOpTestInt8 / Int16: scale 0.5, zero point -1", () => {
  const q = [-128, -127, -126, -125, -124, 123, 124, 125, 126, 127];
  assert.deepEqual(run("int8", q, 0.5, -1), VALUES);
  assert.deepEqual(run("int16", q, 0.5, -1), VALUES);
});

test("DequantizeOpTestUint8: scale 0.5, zero point 127", () => {
  assert.deepEqual(run("uint8", [0, 1, 2, 3, 4, 251, 252, 253, 254, 255], 0.5, 127), VALUES);
});

test("rounds scale × (q − zero point) once to float32", () => {
  // 0.1f × 3 in double is 0.30000000447…, which rounds to float32 0.3f (not 3 × 0.1f summed in float32).
  const [value] = run("int8", [3, 0, 0, 0, 0, 0, 0, 0, 0, 0], Math.fround(0.1), 0);
  assert.equal(value, Math.fround(Math.fround(0.1) * 3));
});

test("rejects float input", () => {
  assert.throws(() => run("float32", VALUES, 1, 0), /input type float32 is not supported/);
});
