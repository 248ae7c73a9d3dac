/** LOG_SOFTMAX goldens from TFLM kernels/log_softmax_test.cc (test names kept); int8 outputs are exact. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { roundHalfAway } from "../../../src/kernels/fixed-point.js";
import { logSoftmax } from "../../../src/kernels/log-softmax.js";
import { runKernel } from "../../support/kernel-harness.js";

const f = Math.fround;

function runFloat(shape: number[], input: number[]): number[] {
  const { outputs } = runKernel(logSoftmax, {
    opName: "LOG_SOFTMAX",
    inputs: [{ dtype: "float32", shape, data: input }],
    outputs: [{ dtype: "float32", shape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

function assertNear(actual: number[], expected: number[], tolerance: number) {
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]!) <= tolerance, `element ${i}: ${a} vs ${expected[i]} (±${tolerance})`);
  });
}

/** test_helpers' ScaleFromMinMax / ZeroPointFromMinMax for int8, and the quantized int8 run. */
function runInt8(shape: number[], input: number[], min: number, max: number): number[] {
  const scale = f((max - min) / 255);
  const zeroPoint = -128 + Math.trunc(f(f(-min / scale) + 0.5));
  const quantized = input.map((v) => Math.min(127, Math.max(-128, roundHalfAway(f(v / scale)) + zeroPoint)));
  const { outputs } = runKernel(logSoftmax, {
    opName: "LOG_SOFTMAX",
    inputs: [{ dtype: "int8", shape, data: quantized, scale, zeroPoint }],
    outputs: [{ dtype: "int8", shape, scale: 16 / 256, zeroPoint: 127 }],
  });
  return Array.from(outputs[0] as Int8Array);
}

const INPUT = [0, -6, 2, 4, 3, -2, 10, 1];

test("FloatActivationsOpTestLogSoftmax", () => {
  const expect1 = [-4.14297, -10.14297, -2.14297, -0.142971, -7.00104, -12.00104, -0.00104087, -9.00104];
  assertNear(runFloat([2, 4], INPUT), expect1, 1e-5);
  const expect2 = [-0.00247565, -6.00247, -2.12692, -0.126928, -0.00671534, -5.00671, -0.000123374, -9.00012];
  assertNear(runFloat([4, 2], INPUT), expect2, 1e-5);
});

test("LogSoftmaxOpTestSimpleTest", () => {
  const input = [1.0, 2.0, 3.0, 4.0, 5.0, -1.0, -2.0, -3.0, -4.0, -5.0];
  const expected = [
    -4.45191431, -3.45191431, -2.45191431, -1.45191443, -0.4519144, -0.4519144, -1.45191443, -2.45191431, -3.45191431,
    -4.45191431,
  ];
  assertNear(runFloat([2, 5], input), expected, 1e-6);
});

test("QuantizedActivationsOpTestLogSoftmaxInt8", () => {
  const out = runInt8([2, 4], INPUT, -10, 10);
  assert.deepEqual(out, [61, -36, 93, 125, 15, -65, 127, -16]);
  const dequantized = out.map((q) => (q - 127) * (16 / 256));
  const expected = [-4.14297, -10.14297, -2.14297, -0.142971, -7.00104, -12.00104, -0.00104087, -9.00104];
  assertNear(dequantized, expected, 0.06355);
});

test("ExtraTestLogSoftmaxInt8", () => {
  assert.deepEqual(runInt8([3, 1], [0, -1, 1], -1, 1), [127, 127, 127]);
});

test("rejects int8 output quantization other than 16/256 and 127, and int16 input", () => {
  assert.throws(
    () =>
      runKernel(logSoftmax, {
        opName: "LOG_SOFTMAX",
        inputs: [{ dtype: "int8", shape: [2], data: [0, 0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [2], scale: 1 / 256, zeroPoint: -128 }],
      }),
    /LOG_SOFTMAX: int8 output must have scale 16\/256 and zero point 127/,
  );
  assert.throws(
    () =>
      runKernel(logSoftmax, {
        opName: "LOG_SOFTMAX",
        inputs: [{ dtype: "int16", shape: [2], data: [0, 0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int16", shape: [2], scale: 0.1, zeroPoint: 0 }],
      }),
    /input type int16 is not supported/,
  );
});
