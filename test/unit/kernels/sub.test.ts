/** SUB goldens from TFLM kernels/sub_test.cc (test names kept): float32, int32, int8 and int16, with broadcasting. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { sub } from "../../../src/kernels/sub.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

const SHAPES = [[6], [2, 3], [2, 1, 3], [1, 3, 1, 2]];

function subFloat(shapeA: number[], a: number[], shapeB: number[], b: number[], shapeOut: number[], act = "NONE") {
  const { outputs } = runKernel(sub, {
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

/** TestSubQuantized: inputs and golden quantized as TFLM's test does; the comparison is exact. */
function subQuantized(dtype: DType, a: Quantized, b: Quantized, out: Quantized, act = "NONE") {
  const { outputs } = runKernel(sub, {
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

const BROADCAST_INPUT1_SHAPE = [2, 3, 1, 2];
const BROADCAST_INPUT1 = [-0.3, 2.3, 0.9, 0.5, 0.8, -1.1, 1.2, 2.8, -1.6, 0.0, 0.7, -2.2];
const BROADCAST_INPUT2 = [-0.2, -0.3, 0.4, -0.5, -1.0, -0.9];
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

test("FloatSubNoActivation", () => {
  const s = [1, 2, 2, 1];
  assertClose(subFloat(s, [-2.0, 0.2, 0.7, 0.8], s, [0.1, 0.2, 0.3, 0.5], s), [-2.1, 0.0, 0.4, 0.3]);
});

test("FloatSubActivationRelu1", () => {
  const s = [1, 2, 2, 1];
  const out = subFloat(s, [-2.0, 0.2, 2.0, 0.8], s, [2.0, 0.2, 0.3, 0.5], s, "RELU_N1_TO_1");
  assertClose(out, [-1.0, 0.0, 1.0, 0.3]);
});

test("FloatSubVariousInputShapes", () => {
  for (const s of SHAPES) {
    const out = subFloat(s, [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], s, [0.1, 0.2, 0.3, 0.5, 1.1, 0.1], s);
    assertClose(out, [-2.1, 0.0, 0.4, 0.3, 0.0, 1.9]);
  }
});

test("FloatSubWithScalarBroadcast", () => {
  for (const s of SHAPES) {
    assertClose(subFloat(s, [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], [], [0.1], s), [-2.1, 0.1, 0.6, 0.7, 1.0, 1.9]);
  }
});

test("QuantizedSubWithScalarBroadcastFloat (mixed broadcast, float)", () => {
  BROADCAST_INPUT2_SHAPES.forEach((shape, i) => {
    const out = subFloat(
      BROADCAST_INPUT1_SHAPE,
      BROADCAST_INPUT1,
      shape,
      BROADCAST_INPUT2,
      BROADCAST_OUTPUT_SHAPES[i]!,
    );
    assertClose(out, BROADCAST_GOLDENS[i]!);
  });
});

test("Int32SubNoActivation", () => {
  const s = [1, 2, 2, 1];
  const { outputs } = runKernel(sub, {
    inputs: [
      { dtype: "int32", shape: s, data: [-2, 2147483646, -1, 1146622854] },
      { dtype: "int32", shape: s, data: [3, 1, -2147483647, -726978367] },
    ],
    outputs: [{ dtype: "int32", shape: s }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [-5, 2147483645, 2147483646, 1873601221]);
});

test("Int32 SUB applies its fused activation (TFLM CalculateActivationRange<int32_t>)", () => {
  const { outputs } = runKernel(sub, {
    options: { fusedActivationFunction: "RELU6" },
    inputs: [
      { dtype: "int32", shape: [3], data: [-2, 5, 20] },
      { dtype: "int32", shape: [1], data: [1] },
    ],
    outputs: [{ dtype: "int32", shape: [3] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [0, 4, 6]);
});

test("QuantizedSubNoActivationInt8", () => {
  const s = [1, 2, 2, 1];
  subQuantized(
    "int8",
    { values: [-2.01, -1.01, -0.01, 0.98], shape: s, scale: 0.25, zeroPoint: -10 },
    { values: [-1.01, -1.99, -2.99, -4.02], shape: s, scale: 0.5, zeroPoint: 4 },
    { values: [-1, 1, 3, 5], shape: s, scale: 1.0, zeroPoint: 13 },
  );
});

for (const dtype of ["int8", "int16"] as const) {
  const name = dtype === "int8" ? "Int8" : "Int16";
  const zp = (p: number) => (dtype === "int8" ? p : 0);
  const s = [1, 2, 2, 1];

  test(`QuantizedSubActivationRelu1${name}`, () => {
    subQuantized(
      dtype,
      { values: [-2.01, -1.01, -0.01, 0.98], shape: s, scale: 0.25, zeroPoint: zp(-10) },
      { values: [-1.01, -1.99, -2.99, -4.02], shape: s, scale: 0.5, zeroPoint: zp(4) },
      { values: [-1, 1, 1, 1], shape: s, scale: 1.0, zeroPoint: zp(13) },
      "RELU_N1_TO_1",
    );
  });

  test(`QuantizedSubVariousInputShapes${name}`, () => {
    for (const shape of SHAPES) {
      subQuantized(
        dtype,
        { values: [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], shape, scale: 0.1, zeroPoint: zp(-9) },
        { values: [-0.1, -0.2, -0.3, -0.5, -1.1, -0.1], shape, scale: 0.05, zeroPoint: zp(5) },
        { values: [-1.9, 0.4, 1.0, 1.3, 2.2, 2.1], shape, scale: 0.1, zeroPoint: zp(14) },
      );
    }
  });

  test(`QuantizedSubWithScalarBroadcast${name}`, () => {
    for (const shape of SHAPES) {
      subQuantized(
        dtype,
        { values: [-2.0, 0.2, 0.7, 0.8, 1.1, 2.0], shape, scale: 0.1, zeroPoint: zp(-8) },
        { values: [-0.1], shape: [], scale: 0.05, zeroPoint: zp(4) },
        { values: [-1.9, 0.3, 0.8, 0.9, 1.2, 2.1], shape, scale: 0.05, zeroPoint: zp(12) },
      );
    }
  });

  test(`QuantizedSubWithMixedBroadcast${name}`, () => {
    BROADCAST_INPUT2_SHAPES.forEach((shape, i) => {
      subQuantized(
        dtype,
        { values: BROADCAST_INPUT1, shape: BROADCAST_INPUT1_SHAPE, scale: 0.1, zeroPoint: zp(-10) },
        { values: BROADCAST_INPUT2, shape, scale: 0.05, zeroPoint: zp(-5) },
        { values: BROADCAST_GOLDENS[i]!, shape: BROADCAST_OUTPUT_SHAPES[i]!, scale: 0.1, zeroPoint: zp(7) },
      );
    });
  });
}

test("int16 SUB derives its multipliers in float32 (values from TFLM's reference_ops::Sub)", () => {
  // Computed with TFLM's reference C++ at the oracle's commit; the first six are elements where ratios
  // formed in double precision (as ADD does) would change the result by one.
  const a = [-22551, 23278, 20125, -26566, -8874, -25611, 15394, 14232, -24544, 18518, 6791, 16803];
  const b = [-6354, -17807, -14346, 4721, 27006, -32756, -25652, -18832, -32, -13164, -32272, -3552];
  const expected = [-9785, 21599, 18178, -17288, -17774, 939, 20832, 16955, -13899, 16710, 19079, 11202];
  const f = Math.fround;
  const { outputs } = runKernel(sub, {
    inputs: [
      { dtype: "int16", shape: [12], data: a, scale: f(0.000969371584), zeroPoint: 0 },
      { dtype: "int16", shape: [12], data: b, scale: f(0.000806929602), zeroPoint: 0 },
    ],
    outputs: [{ dtype: "int16", shape: [12], scale: f(0.00171), zeroPoint: 0 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Int16Array), expected);
});
