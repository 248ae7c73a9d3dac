/** TANH goldens from TFLM kernels/tanh_test.cc (test names kept): float32, int8, int16. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { tanh } from "../../../src/kernels/tanh.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";

// biome-ignore format: golden table
const TANH_INPUT = [
  -8.0, -7.8181818182, -7.6363636364, -7.4545454545, -7.2727272727, -7.0909090909, -6.9090909091, -6.7272727273,
  -6.5454545455, -6.3636363636, -6.1818181818, -6.0, -5.8181818182, -5.6363636364, -5.4545454545, -5.2727272727,
  -5.0909090909, -4.9090909091, -4.7272727273, -4.5454545455, -4.3636363636, -4.1818181818, -4.0, -3.8181818182,
  -3.6363636364, -3.4545454545, -3.2727272727, -3.0909090909, -2.9090909091, -2.7272727273, -2.5454545455, -2.3636363636,
  -2.1818181818, -2.0, -1.8181818182, -1.6363636364, -1.4545454545, -1.2727272727, -1.0909090909, -0.9090909091,
  -0.7272727273, -0.5454545455, -0.3636363636, -0.1818181818, 0.0, 0.1818181818, 0.3636363636, 0.5454545455,
  0.7272727273, 0.9090909091, 1.0909090909, 1.2727272727, 1.4545454545, 1.6363636364, 1.8181818182, 2.0,
  2.1818181818, 2.3636363636, 2.5454545455, 2.7272727273, 2.9090909091, 3.0909090909, 3.2727272727, 3.4545454545,
  3.6363636364, 3.8181818182, 4.0, 4.1818181818, 4.3636363636, 4.5454545455, 4.7272727273, 4.9090909091,
  5.0909090909, 5.2727272727, 5.4545454545, 5.6363636364, 5.8181818182, 6.0, 6.1818181818, 6.3636363636,
  6.5454545455, 6.7272727273, 6.9090909091, 7.0909090909, 7.2727272727, 7.4545454545, 7.6363636364, 7.8181818182,
  8.0,
];
// biome-ignore format: golden table
const TANH_OUTPUT = [
  -0.9999997749, -0.9999996762, -0.9999995342, -0.99999933, -0.9999990361, -0.9999986134, -0.9999980053, -0.9999971306,
  -0.9999958722, -0.9999940619, -0.9999914578, -0.9999877117, -0.9999823226, -0.9999745703, -0.9999634183, -0.9999473758,
  -0.9999242982, -0.9998911009, -0.9998433469, -0.9997746542, -0.9996758446, -0.9995337191, -0.9993292997, -0.9990353053,
  -0.998612531, -0.9980046622, -0.9971308601, -0.9958751909, -0.9940716137, -0.9914827859, -0.9877703933, -0.9824541388,
  -0.9748561217, -0.9640275801, -0.9486568273, -0.9269625051, -0.8965880154, -0.8545351057, -0.7972097087, -0.7206956332,
  -0.6213939966, -0.4971057414, -0.3484130125, -0.1798408185, 0.0, 0.1798408185, 0.3484130125, 0.4971057414,
  0.6213939966, 0.7206956332, 0.7972097087, 0.8545351057, 0.8965880154, 0.9269625051, 0.9486568273, 0.9640275801,
  0.9748561217, 0.9824541388, 0.9877703933, 0.9914827859, 0.9940716137, 0.9958751909, 0.9971308601, 0.9980046622,
  0.998612531, 0.9990353053, 0.9993292997, 0.9995337191, 0.9996758446, 0.9997746542, 0.9998433469, 0.9998911009,
  0.9999242982, 0.9999473758, 0.9999634183, 0.9999745703, 0.9999823226, 0.9999877117, 0.9999914578, 0.9999940619,
  0.9999958722, 0.9999971306, 0.9999980053, 0.9999986134, 0.9999990361, 0.99999933, 0.9999995342, 0.9999996762,
  0.9999997749,
];
/** tanh_test.cc's 177-entry int16 vectors: -20..20 in steps of 40/176 and their tanh, to 10 decimals. */
const INT16_INPUT = Array.from({ length: 177 }, (_, i) => Number((-20 + (40 * i) / 176).toFixed(10)));
const INT16_GOLDEN = INT16_INPUT.map((x) => Number(Math.tanh(x).toFixed(10)));

function tanhQuantized(
  dtype: DType,
  input: number[],
  inScale: number,
  golden: number[],
  outScale: number,
  tol: number,
) {
  const { outputs } = runKernel(tanh, {
    inputs: [
      { dtype, shape: [1, input.length], data: quantizeValues(input, inScale, 0, dtype), scale: inScale, zeroPoint: 0 },
    ],
    outputs: [{ dtype, shape: [1, input.length], scale: outScale, zeroPoint: 0 }],
  });
  const expected = quantizeValues(golden, outScale, 0, dtype);
  Array.from(outputs[0] as Float32Array).forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tol, `element ${i}: ${v} vs ${expected[i]}`);
  });
  return Array.from(outputs[0] as Float32Array);
}

test("SimpleTestTanhFloat", () => {
  const { outputs } = runKernel(tanh, {
    inputs: [{ dtype: "float32", shape: [1, TANH_INPUT.length], data: TANH_INPUT }],
    outputs: [{ dtype: "float32", shape: [1, TANH_INPUT.length] }],
  });
  Array.from(outputs[0] as Float32Array).forEach((v, i) => {
    assert.ok(Math.abs(v - TANH_OUTPUT[i]!) <= 1e-7, `element ${i}`);
  });
});

test("SimpleTestTanhInt8", () => {
  const out = tanhQuantized("int8", TANH_INPUT, 16 / 256, TANH_OUTPUT, 1.99999955 / 256, 2);
  // Around zero: round(128 · tanh(x)) of the quantized inputs ±0.5625, ±0.375, ±0.1875, 0 (Q0.7 output).
  assert.deepEqual(out.slice(41, 48), [-65, -46, -24, 0, 24, 46, 65]);
});

test("TestTanhInt16WideRange", () => {
  tanhQuantized("int16", INT16_INPUT, 32 / 65536, INT16_GOLDEN, 2 / 65536, 16);
});

test("int16 TANH requires an output scale of 2^-15", () => {
  assert.throws(
    () =>
      runKernel(tanh, {
        inputs: [{ dtype: "int16", shape: [1], data: [0], scale: 1 / 4096, zeroPoint: 0 }],
        outputs: [{ dtype: "int16", shape: [1], scale: 1 / 1000, zeroPoint: 0 }],
      }),
    /2\^-15/,
  );
});
