/** ADD goldens from TFLM kernels/add_test.cc (test names kept): float32, int32, int8 and int16, with broadcasting. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { add } from "../../../src/kernels/add.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

const SHAPES = [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]];

function addFloat(shapeA: number[], a: number[], shapeB: number[], b: number[], shapeOut: number[], act = "NONE") {
  const { outputs } = runKernel(add, {
    options: { fusedActivationFunction: act },
    inputs: [
      { dtype: "float32", shape: shapeA, data: a },
      { dtype: "float32", shape: shapeB, data: b },
    ],
    outputs: [{ dtype: "float32", shape: shapeOut }],
  });
  return Array.from(outputs[0] as Float32Array);
}

function assertClose(actual: number[], expected: number[], tolerance = 1e-5) {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `element ${i}: ${v} vs ${expected[i]}`);
  });
}

interface Quantized {
  values: number[];
  shape: number[];
  scale: number;
  zeroPoint: number;
}

/** TestAddQuantized: inputs and golden quantized as TFLM's test does; the comparison is exact. */
function addQuantized(dtype: DType, a: Quantized, b: Quantized, out: Quantized, act = "NONE") {
  const { outputs } = runKernel(add, {
    options: { fusedActivationFunction: act },
    inputs: [a, b].map((x) => ({
      dtype,
      shape: x.shape,
      data: quantizeValues(x.values, x.scale, x.zeroPoint, dtype),
      scale: x.scale,
      zeroPoint: x.zeroPoint,
    })),
    outputs: [{ dtype, shape: out.shape, scale: out.scale, zeroPoint: out.zeroPoint }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), quantizeValues(out.values, out.scale, out.zeroPoint, dtype));
}

// Mixed broadcast data shared by add_test.cc's broadcast tests.
const BROADCAST_INPUT1_SHAPE = [2, 3, 1, 2];
const BROADCAST_INPUT1 = [-0.3, 2.3, 0.9, 0.5, 0.8, -1.1, 1.2, 2.8, -1.6, 0.0, 0.7, -2.2];
const BROADCAST_INPUT2 = [0.2, 0.3, -0.4, 0.5, 1.0, 0.9];
const BROADCAST_INPUT2_SHAPES = [
  [1, 1, 3, 2],
  [1, 3, 1, 2],
  [2, 1, 3, 1],
  [2, 3, 1, 1],
];
const BROADCAST_OUTPUT_SHAPES = [
  [2, 3, 3, 2],
  [2, 3, 1, 2],
  [2, 3, 3, 2],
  [2, 3, 1, 2],
];
// biome-ignore format: golden table
const BROADCAST_GOLDENS = [
  [-0.1, 2.6, -0.7, 2.8, 0.7, 3.2, 1.1, 0.8, 0.5, 1.0, 1.9, 1.4, 1.0, -0.8, 0.4, -0.6, 1.8, -0.2,
   1.4, 3.1, 0.8, 3.3, 2.2, 3.7, -1.4, 0.3, -2.0, 0.5, -0.6, 0.9, 0.9, -1.9, 0.3, -1.7, 1.7, -1.3],
  [-0.1, 2.6, 0.5, 1.0, 1.8, -0.2, 1.4, 3.1, -2.0, 0.5, 1.7, -1.3],
  [-0.1, 2.5, 0.0, 2.6, -0.7, 1.9, 1.1, 0.7, 1.2, 0.8, 0.5, 0.1, 1.0, -0.9, 1.1, -0.8, 0.4, -1.5,
   1.7, 3.3, 2.2, 3.8, 2.1, 3.7, -1.1, 0.5, -0.6, 1.0, -0.7, 0.9, 1.2, -1.7, 1.7, -1.2, 1.6, -1.3],
  [-0.1, 2.5, 1.2, 0.8, 0.4, -1.5, 1.7, 3.3, -0.6, 1.0, 1.6, -1.3],
];

test("FloatAddNoActivation", () => {
  const s = [1, 2, 2, 1];
  assertClose(addFloat(s, [-2.0, 0.2, 0.7, 0.8], s, [0.1, 0.2, 0.3, 0.5], s), [-1.9, 0.4, 1.0, 1.3]);
});

test("FloatAddActivationRelu1", () => {
  const s = [1, 2, 2, 1];
  const out = addFloat(s, [-2.0, 0.2, 0.7, 0.8], s, [0.1, 0.2, 0.3, 0.5], s, "RELU_N1_TO_1");
  assertClose(out, [-1.0, 0.4, 1.0, 1.0]);
});

test("FloatAddVariousInputShapes", () => {
  for (const s of SHAPES) {
    const out = addFloat(s, [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], s, [0.1, 0.2, 0.3, 0.5, 1.1, 0.1], s);
    assertClose(out, [-1.9, 0.4, 1.0, 1.3, 2.2, 2.1]);
  }
});

test("FloatAddWithScalarBroadcast", () => {
  for (const s of SHAPES) {
    const out = addFloat(s, [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], [], [0.1], s);
    assertClose(out, [-1.9, 0.3, 0.8, 0.9, 1.2, 2.1]);
  }
});

test("QuantizedAddWithScalarBroadcastFloat (mixed broadcast, float)", () => {
  BROADCAST_INPUT2_SHAPES.forEach((shape, i) => {
    const out = addFloat(
      BROADCAST_INPUT1_SHAPE,
      BROADCAST_INPUT1,
      shape,
      BROADCAST_INPUT2,
      BROADCAST_OUTPUT_SHAPES[i]!,
    );
    assertClose(out, BROADCAST_GOLDENS[i]!);
  });
});

test("Int32AddNoActivation", () => {
  const s = [1, 2, 2, 1];
  const { outputs } = runKernel(add, {
    inputs: [
      { dtype: "int32", shape: s, data: [-2, 2147483646, -1, 1146622854] },
      { dtype: "int32", shape: s, data: [3, 1, -2147483647, -726978367] },
    ],
    outputs: [{ dtype: "int32", shape: s }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [1, 2147483647, -2147483648, 419644487]);
});

for (const dtype of ["int8", "int16"] as const) {
  const name = dtype === "int8" ? "Int8" : "Int16";
  const zp = (p: number) => (dtype === "int8" ? p : 0);
  const s = [1, 2, 2, 1];

  test(`QuantizedAddNoActivation${name}`, () => {
    // add_test.cc uses 1.99/2.99 for int8 and 2.01/3.01 for int16 in input 2.
    const b = dtype === "int8" ? [1.01, 1.99, 2.99, 4.02] : [1.01, 2.01, 3.01, 4.02];
    addQuantized(
      dtype,
      { values: [-2.01, -1.01, -0.01, 0.98], shape: s, scale: 0.25, zeroPoint: zp(-10) },
      { values: b, shape: s, scale: 0.5, zeroPoint: zp(4) },
      { values: [-1, 1, 3, 5], shape: s, scale: 1.0, zeroPoint: zp(13) },
    );
  });

  test(`QuantizedAddActivationRelu1${name}`, () => {
    addQuantized(
      dtype,
      { values: [-2.01, -1.01, -0.01, 0.98], shape: s, scale: 0.25, zeroPoint: zp(-10) },
      { values: [1.01, 1.99, 2.99, 4.02], shape: s, scale: 0.5, zeroPoint: zp(4) },
      { values: [-1, 1, 1, 1], shape: s, scale: 1.0, zeroPoint: zp(13) },
      "RELU_N1_TO_1",
    );
  });

  test(`QuantizedAddVariousInputShapes${name}`, () => {
    for (const shape of SHAPES) {
      addQuantized(
        dtype,
        { values: [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], shape, scale: 0.1, zeroPoint: zp(-9) },
        { values: [0.1, 0.2, 0.3, 0.5, 1.1, 0.1], shape, scale: 0.05, zeroPoint: zp(5) },
        { values: [-1.9, 0.4, 1.0, 1.3, 2.2, 2.1], shape, scale: 0.1, zeroPoint: zp(14) },
      );
    }
  });

  test(`QuantizedAddWithScalarBroadcast${name}`, () => {
    for (const shape of SHAPES) {
      addQuantized(
        dtype,
        { values: [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], shape, scale: 0.1, zeroPoint: zp(-8) },
        { values: [0.1], shape: [], scale: 0.05, zeroPoint: zp(4) },
        { values: [-1.9, 0.3, 0.8, 0.9, 1.2, 2.1], shape, scale: 0.05, zeroPoint: zp(12) },
      );
    }
  });

  test(`QuantizedAddWithMixedBroadcast${name}`, () => {
    BROADCAST_INPUT2_SHAPES.forEach((shape, i) => {
      addQuantized(
        dtype,
        { values: BROADCAST_INPUT1, shape: BROADCAST_INPUT1_SHAPE, scale: 0.1, zeroPoint: zp(-10) },
        { values: BROADCAST_INPUT2, shape, scale: 0.05, zeroPoint: zp(-5) },
        { values: BROADCAST_GOLDENS[i]!, shape: BROADCAST_OUTPUT_SHAPES[i]!, scale: 0.1, zeroPoint: zp(7) },
      );
    });
  });
}

test("int16 ADD derives its multipliers in double precision (values from TFLM's reference_ops::Add)", () => {
  // Computed with TFLM's reference C++ at the oracle's commit; the first six are elements where rescaling
  // ratios formed in float32 (as SUB does) would change the result by one.
  const a = [-22551, 23278, 20125, -26566, -8874, -25611, -10738, 23428, 9110, 30808, -6094, -26233];
  const b = [-6354, -17807, -14346, 4721, 27006, -32756, -32634, -29783, 15950, 2260, -22407, 20844];
  const expected = [-14899, -606, 164, -9543, 13495, -32768, -26518, -8391, 14798, 16141, -17599, 1192];
  const f = Math.fround;
  const { outputs } = runKernel(add, {
    inputs: [
      { dtype: "int16", shape: [12], data: a, scale: f(0.000585250091), zeroPoint: 0 },
      { dtype: "int16", shape: [12], data: b, scale: f(0.000806929602), zeroPoint: 0 },
    ],
    outputs: [{ dtype: "int16", shape: [12], scale: f(0.00123), zeroPoint: 0 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Int16Array), expected);
});
