/** CUMSUM goldens from TFLM kernels/cumsum_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cumsum } from "../../../src/kernels/cumsum.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues, scaleFromMinMax, zeroPointFromMinMax } from "../../support/quantize-values.js";
import { assertNear, dequantize } from "./more-ops-test-support.js";

const INPUT = [1, 2, 3, 4, 5, 6, 7, 8];

interface Case {
  name: string;
  shape: number[];
  axis: number;
  exclusive?: boolean;
  reverse?: boolean;
  expected: number[];
  /** data_min/max of the int8 variant (symmetric). */
  range: number;
}

const CASES: Case[] = [
  { name: "SimpleTest", shape: [2, 4], axis: 1, expected: [1, 3, 6, 10, 5, 11, 18, 26], range: 26 },
  { name: "SimpleAxis0Test", shape: [2, 4], axis: 0, expected: [1, 2, 3, 4, 6, 8, 10, 12], range: 12 },
  { name: "Simple1DTest", shape: [8], axis: 0, expected: [1, 3, 6, 10, 15, 21, 28, 36], range: 36 },
  {
    name: "SimpleReverseTest",
    shape: [2, 4],
    axis: 1,
    reverse: true,
    expected: [10, 9, 7, 4, 26, 21, 15, 8],
    range: 26,
  },
  {
    name: "SimpleExclusiveTest",
    shape: [2, 4],
    axis: 1,
    exclusive: true,
    expected: [0, 1, 3, 6, 0, 5, 11, 18],
    range: 18,
  },
  {
    name: "SimpleReverseExclusiveTest",
    shape: [2, 4],
    axis: -1,
    exclusive: true,
    reverse: true,
    expected: [9, 7, 4, 0, 21, 15, 8, 0],
    range: 21,
  },
];

for (const c of CASES) {
  test(`CumSumOpTest${c.name}`, () => {
    const { outputs } = runKernel(cumsum, {
      options: { exclusive: c.exclusive ?? false, reverse: c.reverse ?? false },
      inputs: [
        { dtype: "float32", shape: c.shape, data: INPUT },
        { dtype: "int32", shape: [1], data: [c.axis], constant: true },
      ],
      outputs: [{ dtype: "float32", shape: c.shape }],
    });
    assertNear(outputs[0] as Float32Array, c.expected, 1e-5);
  });

  test(`CumSumOpTest${c.name}Int8`, () => {
    const scale = scaleFromMinMax("int8", -c.range, c.range);
    const zeroPoint = zeroPointFromMinMax("int8", -c.range, c.range);
    const q = quantizeValues(INPUT, scale, zeroPoint, "int8");
    const { outputs } = runKernel(cumsum, {
      options: { exclusive: c.exclusive ?? false, reverse: c.reverse ?? false },
      inputs: [
        { dtype: "int8", shape: c.shape, data: q, scale, zeroPoint },
        { dtype: "int32", shape: [1], data: [c.axis], constant: true },
      ],
      outputs: [{ dtype: "int8", shape: c.shape, scale, zeroPoint }],
    });
    const out = outputs[0] as Int8Array;
    assertNear(dequantize(out, scale, zeroPoint), c.expected, (2 * (2 * c.range)) / 255);
    // With equal scales the Q31 factors are exactly 1/2 and 2^-19, so each output is the exact integer sum of
    // (q - zero point), seeded with -zero point and offset by +zero point (TFLM's seed), which cancel.
    const sums = runKernel(cumsum, {
      options: { exclusive: c.exclusive ?? false, reverse: c.reverse ?? false },
      inputs: [
        { dtype: "float32", shape: c.shape, data: q.map((v) => v - zeroPoint) },
        { dtype: "int32", shape: [1], data: [c.axis], constant: true },
      ],
      outputs: [{ dtype: "float32", shape: c.shape }],
    }).outputs[0] as Float32Array;
    assert.deepEqual(
      Array.from(out),
      Array.from(sums, (s) => Math.max(-128, Math.min(127, s))),
    );
  });
}

test("a non-zero input zero point seeds the int8 sum with -zero_point, as TFLM does", () => {
  const { outputs } = runKernel(cumsum, {
    options: { exclusive: true },
    inputs: [
      { dtype: "int8", shape: [3], data: [10, 10, 10], scale: 0.5, zeroPoint: 4 },
      { dtype: "int32", shape: [1], data: [0], constant: true },
    ],
    outputs: [{ dtype: "int8", shape: [3], scale: 0.5, zeroPoint: 4 }],
  });
  // Sums of (q - 4) start from -4 instead of 0: -4, 2, 8, each plus the output zero point 4.
  assert.deepEqual(Array.from(outputs[0] as Int8Array), [0, 6, 12]);
});

test("axis read per invocation; bad axis, type and shape rejected", () => {
  const run = (axis: number, constant: boolean) =>
    runKernel(cumsum, {
      inputs: [
        { dtype: "float32", shape: [2, 4], data: INPUT },
        { dtype: "int32", shape: [1], data: [axis], constant },
      ],
      outputs: [{ dtype: "float32", shape: [2, 4] }],
    }).outputs[0] as Float32Array;
  assert.deepEqual(Array.from(run(1, false)), [1, 3, 6, 10, 5, 11, 18, 26]);
  assert.throws(() => run(2, true), /KernelError|axis 2 is out of range/);
  assert.throws(() => run(-3, false), /axis -3 is out of range/);
  assert.throws(
    () =>
      runKernel(cumsum, {
        inputs: [
          { dtype: "int16", shape: [2], data: [1, 2] },
          { dtype: "int32", shape: [1], data: [0], constant: true },
        ],
        outputs: [{ dtype: "int16", shape: [2] }],
      }),
    /not supported/,
  );
});
