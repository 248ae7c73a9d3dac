/** ARG_MIN goldens from TFLM kernels/arg_min_max_test.cc (GetMinArgFloat, GetMinArgInt8, GetMinArgMulDimensions). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { argMin } from "../../../src/kernels/arg-min.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shape: number[], values: number[], axis: number, constantAxis = true): number[] {
  const { outputs } = runKernel(argMin, {
    inputs: [
      { dtype, shape, data: values, scale: dtype === "int8" ? 1 : undefined },
      { dtype: "int32", shape: [1], data: [axis], constant: constantAxis },
    ],
    outputs: [{ dtype: "int32", shape: shape.slice(0, -1) }],
  });
  return [...(outputs[0] as Int32Array)];
}

test("GetMinArgFloat", () => {
  assert.deepEqual(run("float32", [1, 1, 1, 4], [0.1, 0.9, 0.7, 0.3], 3), [0]);
});

test("GetMinArgInt8", () => {
  assert.deepEqual(run("int8", [1, 1, 1, 4], [1, 9, 7, 3], 3), [0]);
});

test("GetMinArgMulDimensions (axis also given at run time and negative)", () => {
  assert.deepEqual(run("float32", [1, 1, 2, 4], [1, 2, 7, 8, 1, 9, 7, 3], 3), [0, 0]);
  assert.deepEqual(run("float32", [1, 1, 2, 4], [1, 2, 7, 8, 1, 9, 7, 3], -1, false), [0, 0]);
});

test("ARG_MIN rejects an axis out of range and int16 input", () => {
  assert.throws(() => run("float32", [1, 4], [1, 2, 3, 4], 2), /ARG_MIN: axis 2 is out of range for rank 2/);
  assert.throws(() => run("int16", [1, 4], [1, 2, 3, 4], 1), /ARG_MIN: input type int16 is not supported/);
});
