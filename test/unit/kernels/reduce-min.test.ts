/** REDUCE_MIN goldens from TFLM kernels/reduce_test.cc (FloatMinOpTest*, Int8MinOpTest*). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { reduceMin } from "../../../src/kernels/reduce-min.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantize } from "./more-ops-test-support.js";

const INPUT = Array.from({ length: 24 }, (_, i) => i + 1);

function run(input: number[], shape: number[], axis: number[], outShape: number[], scale?: number): number[] {
  const dtype = scale ? "int8" : "float32";
  const { outputs } = runKernel(reduceMin, {
    inputs: [
      { dtype, shape, data: input, scale },
      { dtype: "int32", shape: [axis.length], data: axis, constant: true },
    ],
    outputs: [{ dtype, shape: outShape, scale }],
  });
  return [...(outputs[0] as Float32Array)];
}

test("FloatMinOpTestNotKeepDims / FloatMinOpTestKeepDims", () => {
  assert.deepEqual(run(INPUT, [4, 3, 2], [1, 0, -3, -3], [2]), [1, 2]);
  assert.deepEqual(run(INPUT, [4, 3, 2], [0, 2], [1, 3, 1]), [1, 3, 5]);
});

test("Int8MinOpTestKeepDims / Int8MinOpTestWithoutKeepDims", () => {
  const scale = Math.fround(2 / 255);
  const q = quantize([0.4, 0.2, 0.3, 0.4, 0.5, 0.6], scale, 0);
  assert.deepEqual(run(q, [1, 3, 2], [1], [1, 1, 2], scale), quantize([0.3, 0.2], scale, 0));
  assert.deepEqual(run(q, [1, 3, 2], [1], [1, 2], scale), quantize([0.3, 0.2], scale, 0));
});

test("REDUCE_MIN rejects a non-constant axis", () => {
  assert.throws(
    () =>
      runKernel(reduceMin, {
        inputs: [
          { dtype: "float32", shape: [2], data: [1, 2] },
          { dtype: "int32", shape: [1], data: [0] },
        ],
        outputs: [{ dtype: "float32", shape: [1] }],
      }),
    /REDUCE_MIN: non-constant axis tensor is not supported/,
  );
});
