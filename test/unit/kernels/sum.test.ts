/** SUM goldens from TFLM kernels/reduce_test.cc (quantized cases as Quantize(golden), which TFLM checks ±1). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { sum } from "../../../src/kernels/sum.js";
import { runKernel } from "../../support/kernel-harness.js";

const DATA_4D = Array.from({ length: 24 }, (_, i) => i + 1);

function run(
  dtype: DType,
  shape: number[],
  data: number[],
  axis: number[],
  outputShape: number[],
  scales?: [number, number],
): number[] {
  const q = (scale: number) => (scales ? { scale, zeroPoint: 0 } : {});
  const { outputs } = runKernel(sum, {
    options: { keepDims: outputShape.length === shape.length },
    inputs: [
      { dtype, shape, data, ...q(scales?.[0] ?? 0) },
      { dtype: "int32", shape: [axis.length], data: axis, constant: true },
    ],
    outputs: [{ dtype, shape: outputShape, ...q(scales?.[1] ?? 0) }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("SumFloatFlatten2ReduceDims / Flatten2NonReduceDims / Flatten2MiddleDims", () => {
  assert.deepEqual(run("float32", [4, 3, 2], DATA_4D, [2, 1], [4]), [21, 57, 93, 129]);
  assert.deepEqual(run("float32", [4, 3, 2], DATA_4D, [2], [12]), [3, 7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47]);
  assert.deepEqual(run("float32", [2, 2, 3, 2], DATA_4D, [1, 2], [2, 2]), [36, 42, 108, 114]);
});

test("SumFloat2DKeepDims / SumFloatSize1 / SumFloat2DRedundantDims / SumFloatScalar", () => {
  assert.deepEqual(run("float32", [2, 4], [1, 2, 3, 4, 5, 6, 7, 8], [1], [2, 1]), [10, 26]);
  assert.deepEqual(run("float32", [1], [1], [0], [1]), [1]);
  assert.deepEqual(run("float32", [1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8], [1], [1, 4]), [6, 8, 10, 12]);
  assert.deepEqual(run("float32", [1], [1], [], [1]), [1]);
});

test("SumInt82DKeepDims / SumInt162DKeepDims (scale 0.5)", () => {
  const input = [1, 2, 3, 4, 5, 6, 7, 8].map((v) => v * 2);
  assert.deepEqual(run("int8", [2, 4], input, [1], [2, 1], [0.5, 0.5]), [20, 52]);
  assert.deepEqual(run("int16", [2, 4], input, [1], [2, 1], [0.5, 0.5]), [20, 52]);
});

test("SumInt84DWithoutKeepDims / SumInt164DWithoutKeepDims / DifferentScaleAndZeroPoint", () => {
  assert.deepEqual(run("int8", [2, 2, 3, 2], DATA_4D, [1, 2], [2, 2], [1, 1]), [36, 42, 108, 114]);
  const halves = DATA_4D.map((v) => v * 2);
  assert.deepEqual(run("int16", [2, 2, 3, 2], halves, [1, 2], [2, 2], [0.5, 0.5]), [72, 84, 216, 228]);
  // Quantize([36, 42, 108, 114], 0.7) = [51, 60, 154, 163]; TFLM allows ±1.
  const scaled = run("int16", [2, 2, 3, 2], halves, [1, 2], [2, 2], [0.5, 0.7]);
  [51, 60, 154, 163].forEach((g, i) => {
    assert.ok(Math.abs(scaled[i]! - g) <= 1, `${scaled[i]} vs ${g}`);
  });
});

test("int8 sums saturate at the output range", () => {
  // Not a TFLM golden: 4 × 100 at equal scales clamps to 127.
  assert.deepEqual(run("int8", [1, 4], [100, 100, 100, 100], [1], [1], [1, 1]), [127]);
});
