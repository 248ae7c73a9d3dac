/** REDUCE_MAX goldens from TFLM kernels/reduce_test.cc (FloatMaxOpTest*, Int8MaxOpTest*). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { reduceMax } from "../../../src/kernels/reduce-max.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantize } from "./more-ops-test-support.js";

const INPUT = Array.from({ length: 24 }, (_, i) => i + 1);

function run(input: number[], shape: number[], axis: number[], outShape: number[], scale?: number): number[] {
  const dtype = scale ? "int8" : "float32";
  const { outputs } = runKernel(reduceMax, {
    inputs: [
      { dtype, shape, data: input, scale },
      { dtype: "int32", shape: [axis.length], data: axis, constant: true },
    ],
    outputs: [{ dtype, shape: outShape, scale }],
  });
  return [...(outputs[0] as Float32Array)];
}

test("FloatMaxOpTestNotKeepDims / FloatMaxOpTestKeepDims", () => {
  assert.deepEqual(run(INPUT, [4, 3, 2], [1, 0, -3, -3], [2]), [23, 24]);
  assert.deepEqual(run(INPUT, [4, 3, 2], [0, 2], [1, 3, 1]), [20, 22, 24]);
});

test("Int8MaxOpTestKeepDims / Int8MaxOpTestWithoutKeepDims", () => {
  const scale = Math.fround(2 / 255);
  const q = quantize([0.4, 0.2, 0.3, 0.4, 0.5, 0.6], scale, 0);
  assert.deepEqual(run(q, [1, 3, 2], [1], [1, 1, 2], scale), quantize([0.5, 0.6], scale, 0));
  assert.deepEqual(run(q, [1, 3, 2], [1], [1, 2], scale), quantize([0.5, 0.6], scale, 0));
});

test("REDUCE_MAX of all -inf is -FLT_MAX (TFLM starts from the lowest float)", () => {
  assert.deepEqual(run([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], [2], [0], [1]), [-3.4028234663852886e38]);
});

test("REDUCE_MAX rejects int8 with different output quantization", () => {
  assert.throws(
    () =>
      runKernel(reduceMax, {
        inputs: [
          { dtype: "int8", shape: [2], data: [1, 2], scale: 0.5 },
          { dtype: "int32", shape: [1], data: [0], constant: true },
        ],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.25 }],
      }),
    /REDUCE_MAX: int8 input and output must share scale and zero point/,
  );
});
