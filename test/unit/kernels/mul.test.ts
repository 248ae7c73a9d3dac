/** MUL goldens from TFLM kernels/mul_test.cc (test names kept): float32, int8, int16 and int32, with broadcasting. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { mul } from "../../../src/kernels/mul.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

const DIMS_SIMPLE = [1, 2, 2, 1];
const INPUT1_SIMPLE = [-0.8, 0.2, 0.9, 0.7];
const INPUT2_SIMPLE = [0.6, 0.4, 0.9, 0.8];
const GOLDEN_SIMPLE = [-0.48, 0.08, 0.81, 0.56];
const GOLDEN_SIMPLE_RELU = [0.0, 0.08, 0.81, 0.56];
const DIMS_BROADCAST = [1, 3, 1, 2];
const DIMS_SCALAR_BROADCAST = [1];
const INPUT1_BROADCAST = [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0];
const INPUT2_BROADCAST = [0.1];
const GOLDEN_BROADCAST = [-0.2, 0.02, 0.07, 0.08, 0.11, 0.2];
const GOLDEN_BROADCAST_RELU = [0, 0.02, 0.07, 0.08, 0.11, 0.2];

function mulFloat(shapeA: number[], a: number[], shapeB: number[], b: number[], act: string): number[] {
  const { outputs } = runKernel(mul, {
    options: { fusedActivationFunction: act },
    inputs: [
      { dtype: "float32", shape: shapeA, data: a },
      { dtype: "float32", shape: shapeB, data: b },
    ],
    outputs: [{ dtype: "float32", shape: shapeA }],
  });
  return Array.from(outputs[0] as Float32Array);
}

function assertClose(actual: number[], expected: number[], tolerance: number) {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} vs ${expected[i]}`);
  });
}

/** TestMulQuantized: both inputs share one scale; TFLM allows a difference of 1, these cases come out exact. */
function mulQuantized(
  dtype: DType,
  shapeA: number[],
  a: number[],
  shapeB: number[],
  b: number[],
  inputScale: number,
  golden: number[],
  outputScale: number,
) {
  const input = (shape: number[], values: number[]) => ({
    dtype,
    shape,
    data: quantizeValues(values, inputScale, 0, dtype),
    scale: inputScale,
    zeroPoint: 0,
  });
  const { outputs } = runKernel(mul, {
    options: { fusedActivationFunction: "NONE" },
    inputs: [input(shapeA, a), input(shapeB, b)],
    outputs: [{ dtype, shape: shapeA, scale: outputScale, zeroPoint: 0 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), quantizeValues(golden, outputScale, 0, dtype));
}

test("SimpleFloatNoActivationShouldMatchGolden", () => {
  assertClose(mulFloat(DIMS_SIMPLE, INPUT1_SIMPLE, DIMS_SIMPLE, INPUT2_SIMPLE, "NONE"), GOLDEN_SIMPLE, 1e-5);
});

test("SimpleFloatReluShouldMatchGolden", () => {
  assertClose(mulFloat(DIMS_SIMPLE, INPUT1_SIMPLE, DIMS_SIMPLE, INPUT2_SIMPLE, "RELU"), GOLDEN_SIMPLE_RELU, 1e-5);
});

test("BroadcastFloatNoActivationShouldMatchGolden", () => {
  const out = mulFloat(DIMS_BROADCAST, INPUT1_BROADCAST, DIMS_SCALAR_BROADCAST, INPUT2_BROADCAST, "NONE");
  assertClose(out, GOLDEN_BROADCAST, 1e-5);
});

test("BroadcastFloatReluShouldMatchGolden", () => {
  const out = mulFloat(DIMS_BROADCAST, INPUT1_BROADCAST, DIMS_SCALAR_BROADCAST, INPUT2_BROADCAST, "RELU");
  assertClose(out, GOLDEN_BROADCAST_RELU, 1e-5);
});

for (const dtype of ["int8", "int16"] as const) {
  const name = dtype === "int8" ? "Int8" : "Int16";
  test(`Simple${name}NoActivationShouldMatchGolden`, () => {
    mulQuantized(dtype, DIMS_SIMPLE, INPUT1_SIMPLE, DIMS_SIMPLE, INPUT2_SIMPLE, 0.01, GOLDEN_SIMPLE, 0.01);
  });
  test(`Broadcast${name}NoActivationShouldMatchGolden`, () => {
    mulQuantized(
      dtype,
      DIMS_BROADCAST,
      INPUT1_BROADCAST,
      DIMS_SCALAR_BROADCAST,
      INPUT2_BROADCAST,
      0.05,
      GOLDEN_BROADCAST,
      0.01,
    );
  });
}

test("SimpleInt32NoActivationShouldMatchGolden", () => {
  // mul_test.cc quantizes the float data with scale 0.01 (inputs) and 0.0001 (golden); int32 MUL ignores scales.
  const { outputs } = runKernel(mul, {
    inputs: [
      { dtype: "int32", shape: DIMS_SIMPLE, data: quantizeValues(INPUT1_SIMPLE, 0.01, 0, "int32") },
      { dtype: "int32", shape: DIMS_SIMPLE, data: quantizeValues(INPUT2_SIMPLE, 0.01, 0, "int32") },
    ],
    outputs: [{ dtype: "int32", shape: DIMS_SIMPLE }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), quantizeValues(GOLDEN_SIMPLE, 0.0001, 0, "int32"));
});

test("int32 MUL wraps like TFLM's WrappingMul", () => {
  const { outputs } = runKernel(mul, {
    inputs: [
      { dtype: "int32", shape: [2], data: [65536, -3] },
      { dtype: "int32", shape: [1], data: [65536] },
    ],
    outputs: [{ dtype: "int32", shape: [2] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [0, -196608]);
});

test("int16 MUL rejects non-zero zero points", () => {
  assert.throws(
    () =>
      runKernel(mul, {
        inputs: [
          { dtype: "int16", shape: [1], data: [1], scale: 0.1, zeroPoint: 1 },
          { dtype: "int16", shape: [1], data: [1], scale: 0.1, zeroPoint: 0 },
        ],
        outputs: [{ dtype: "int16", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /zero point 0/,
  );
});
