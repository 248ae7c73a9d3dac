/** DIV goldens from TFLM kernels/div_test.cc (test names kept): float32, int32 and int8, with broadcasting. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { div } from "../../../src/kernels/div.js";
import { runKernel } from "../../support/kernel-harness.js";
import {
  dequantizeValues,
  quantizeValues,
  scaleFromMinMax,
  zeroPointFromMinMax,
} from "../../support/quantize-values.js";

const MULTI_SHAPES = [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]];
const BROADCAST_SHAPES = [[8], [2, 4], [2, 1, 4], [1, 2, 2, 2], [1, 2, 1, 2, 2]];
const QUANT_BROADCAST_SHAPES = [[8], [2, 4], [2, 1, 4], [1, 4, 1, 2], [1, 2, 1, 2, 2]];

function divide(
  dtype: "float32" | "int32",
  shapeA: number[],
  a: number[],
  shapeB: number[],
  b: number[],
  act = "NONE",
) {
  const { outputs } = runKernel(div, {
    options: { fusedActivationFunction: act },
    inputs: [
      { dtype, shape: shapeA, data: a },
      { dtype, shape: shapeB, data: b },
    ],
    outputs: [{ dtype, shape: shapeA }],
  });
  return Array.from(outputs[0] as Float32Array);
}

function assertClose(actual: number[], expected: number[], tolerance: number) {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} vs ${expected[i]}`);
  });
}

/** TestDivQuantized: int8 with scale and zero point from [min, max]; compared after dequantizing, as TFLM does. */
function divideInt8(
  shapeA: number[],
  a: number[],
  shapeB: number[],
  b: number[],
  min: number,
  max: number,
  act: string,
) {
  const scale = scaleFromMinMax("int8", min, max);
  const zeroPoint = zeroPointFromMinMax("int8", min, max);
  const input = (shape: number[], values: number[]) => ({
    dtype: "int8" as const,
    shape,
    data: quantizeValues(values, scale, zeroPoint, "int8"),
    scale,
    zeroPoint,
  });
  const { outputs } = runKernel(div, {
    options: { fusedActivationFunction: act },
    inputs: [input(shapeA, a), input(shapeB, b)],
    outputs: [{ dtype: "int8", shape: shapeA, scale, zeroPoint }],
  });
  const quantized = Array.from(outputs[0] as Int8Array);
  return { quantized, values: dequantizeValues(quantized, scale, zeroPoint) };
}

/** div_test.cc GetTolerance: two quantization steps plus a step squared. */
function quantizedTolerance(min: number, max: number): number {
  const step = (max - min) / 255;
  return 2 * step + step * step;
}

test("FloatDivOpTestActNone", () => {
  const s = [1, 2, 2, 1];
  assertClose(divide("float32", s, [-0.2, 0.2, -1.2, 0.8], s, [0.5, 0.2, -1.5, 0.5]), [-0.4, 1.0, 0.8, 1.6], 1e-5);
});

test("FloatDivOpTestActReluN1To1", () => {
  const s = [1, 2, 2, 1];
  const out = divide("float32", s, [-0.2, 0.2, -1.2, 0.8], s, [0.1, 0.2, -1.5, 0.5], "RELU_N1_TO_1");
  assertClose(out, [-1.0, 1.0, 0.8, 1.0], 1e-5);
});

test("FloatDivOpTestMultiShape", () => {
  for (const s of MULTI_SHAPES) {
    const out = divide("float32", s, [-2.0, 0.2, 0.3, 0.8, 1.1, -2.0], s, [0.1, 0.2, 0.6, 0.5, -1.1, -0.1]);
    assertClose(out, [-20.0, 1.0, 0.5, 1.6, -1.0, 20.0], 1e-5);
  }
});

test("FloatDivOpTestBroadcast and Broadcast5D", () => {
  for (const s of BROADCAST_SHAPES) {
    const out = divide("float32", s, [-0.2, 0.2, 0.07, 0.08, 0.11, -0.123, -0.32, 0.54], [1], [0.1]);
    assertClose(out, [-2.0, 2.0, 0.7, 0.8, 1.1, -1.23, -3.2, 5.4], 1e-5);
  }
});

test("QuantizedDivOpTestActNone", () => {
  const s = [1, 2, 2, 1];
  const { values, quantized } = divideInt8(s, [-0.8, -0.2, 0.3, 0.7], s, [-0.8, 0.4, 0.8, 1.0], -1, 1, "NONE");
  assertClose(values, [1.0, -0.5, 0.375, 0.7], quantizedTolerance(-1, 1));
  // The exact bytes TFLM's reference DivElementwise gives here (checked against its C++), so that a
  // one-step change in the reciprocal arithmetic cannot pass within the tolerance.
  assert.deepEqual(quantized, [126, -63, 46, 88]);
});

test("QuantizedDivOpTestActReluN1To1", () => {
  const s = [1, 2, 2, 1];
  const first = divideInt8(s, [-0.8, 0.2, 0.9, 0.7], s, [0.6, 0.4, 0.9, -0.8], -1, 1, "RELU_N1_TO_1");
  assertClose(first.values, [-1.0, 0.5, 1.0, -0.875], quantizedTolerance(-1, 1));
  const second = divideInt8(s, [-0.5, 0.2, 0.6, 0.3], s, [0.6, 0.5, -0.8, 0.5], -1, 1, "RELU_N1_TO_1");
  assertClose(second.values, [-0.833, 0.4, -0.75, 0.6], quantizedTolerance(-1, 1));
});

test("QuantizedDivOpTestMultiShape", () => {
  for (const s of MULTI_SHAPES) {
    const out = divideInt8(s, [-2.0, 0.2, 1.7, 0.9, 0.4, 2.0], s, [1.3, 0.3, 1.1, 0.4, -1.1, 1.9], -3, 3, "NONE");
    assertClose(out.values, [-1.538, 0.667, 1.545, 2.25, -0.364, 1.053], quantizedTolerance(-3, 3));
  }
});

test("QuantizedDivOpTestBroadcast", () => {
  for (const s of QUANT_BROADCAST_SHAPES) {
    const out = divideInt8(s, [-2.0, 0.2, 0.7, 0.8, -0.5, 1.1, -1.3, 1.2], [1], [0.7], -3, 3, "NONE");
    const expected = [-2.857, 0.286, 1.0, 1.143, -0.714, 1.571, -1.857, 1.714];
    assertClose(out.values, expected, quantizedTolerance(-3, 3));
  }
});

test("IntegerDivOpTestNoActivation", () => {
  const s = [1, 2, 2, 1];
  assert.deepEqual(divide("int32", s, [-2, 2, -15, 8], s, [5, -2, -3, 5]), [0, -1, 5, 1]);
});

test("IntegerDivOpTestActivationRELU_N1_TO_1", () => {
  const s = [1, 2, 2, 1];
  assert.deepEqual(divide("int32", s, [-2, 2, -12, 8], s, [1, 2, -15, 5], "RELU_N1_TO_1"), [-1, 1, 0, 1]);
});

test("IntegerDivOpTestVariousInputShapes", () => {
  for (const s of MULTI_SHAPES) {
    assert.deepEqual(divide("int32", s, [-20, 2, 3, 8, 11, -20], s, [1, 2, 6, 5, -11, -1]), [-20, 1, 0, 1, -1, 20]);
  }
});

test("IntegerDivOpTestWithBroadcast", () => {
  for (const s of QUANT_BROADCAST_SHAPES) {
    const out = divide("int32", s, [-20, 21, 7, 8, 11, -123, -42, -48], [1], [3]);
    assert.deepEqual(out, [-6, 7, 2, 2, 3, -41, -14, -16]);
  }
});

test("int32 division truncates toward zero at the extremes", () => {
  const out = divide("int32", [4], [-2147483648, 2147483647, -2147483647, 7], [4], [-1, -2, 2, 0]);
  // INT32_MIN / -1 wraps, and a zero divisor gives 0 (TFLM leaves both undefined).
  assert.deepEqual(out, [-2147483648, -1073741823, -1073741823, 0]);
});
