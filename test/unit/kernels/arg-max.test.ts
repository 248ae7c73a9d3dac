/** ARG_MAX goldens from TFLM kernels/arg_min_max_test.cc (GetMaxArgFloat, GetMaxArgInt8, GetMaxArgMulDimensions). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { argMax } from "../../../src/kernels/arg-max.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shape: number[], values: number[], axis: number, constantAxis = true): number[] {
  const { outputs } = runKernel(argMax, {
    inputs: [
      { dtype, shape, data: values, scale: dtype === "int8" ? 1 : undefined },
      { dtype: "int32", shape: [1], data: [axis], constant: constantAxis },
    ],
    outputs: [{ dtype: "int32", shape: shape.slice(0, -1) }],
  });
  return [...(outputs[0] as Int32Array)];
}

test("GetMaxArgFloat", () => {
  assert.deepEqual(run("float32", [1, 1, 1, 4], [0.1, 0.9, 0.7, 0.3], 3), [1]);
});

test("GetMaxArgInt8", () => {
  assert.deepEqual(run("int8", [1, 1, 1, 4], [1, 9, 7, 3], 3), [1]);
});

test("GetMaxArgMulDimensions (axis also given at run time and negative)", () => {
  assert.deepEqual(run("float32", [1, 1, 2, 4], [1, 2, 7, 8, 1, 9, 7, 3], 3), [3, 1]);
  assert.deepEqual(run("float32", [1, 1, 2, 4], [1, 2, 7, 8, 1, 9, 7, 3], -1, false), [3, 1]);
});

test("ARG_MAX rejects an axis out of range and int16 input", () => {
  assert.throws(() => run("float32", [1, 4], [1, 2, 3, 4], 2), /ARG_MAX: axis 2 is out of range for rank 2/);
  assert.throws(() => run("int16", [1, 4], [1, 2, 3, 4], 1), /ARG_MAX: input type int16 is not supported/);
});
