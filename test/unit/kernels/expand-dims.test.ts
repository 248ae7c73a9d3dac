/** EXPAND_DIMS goldens from TFLM kernels/expand_dims_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { expandDims } from "../../../src/kernels/expand-dims.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shape: number[], data: number[], axis: number, outputShape: number[]): number[] {
  const { outputs } = runKernel(expandDims, {
    inputs: [
      { dtype, shape, data },
      { dtype: "int32", shape: [1], data: [axis], constant: true },
    ],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("ExpandDimsPositiveAxisTest0..3", () => {
  assert.deepEqual(run("int8", [2, 2], [-1, 1, -2, 2], 0, [1, 2, 2]), [-1, 1, -2, 2]);
  const floats = [-1.1, 1.2, -2.1, 2.2].map(Math.fround);
  assert.deepEqual(run("float32", [2, 2], floats, 1, [2, 1, 2]), floats);
  assert.deepEqual(run("int8", [2, 2], [-1, 1, -2, 2], 2, [2, 2, 1]), [-1, 1, -2, 2]);
  assert.deepEqual(run("int16", [3, 1, 2], [-1, 1, 2, -2, 0, 3], 3, [3, 1, 2, 1]), [-1, 1, 2, -2, 0, 3]);
});

test("ExpandDimsNegativeAxisTest4..2", () => {
  assert.deepEqual(run("int8", [3, 1, 2], [-1, 1, 2, -2, 0, 3], -4, [1, 3, 1, 2]), [-1, 1, 2, -2, 0, 3]);
  const floats = [0.1, -0.8, -1.2, -0.5, 0.9, 1.3].map(Math.fround);
  assert.deepEqual(run("float32", [3, 1, 2], floats, -3, [3, 1, 1, 2]), floats);
  assert.deepEqual(run("int8", [1, 2, 3], [-1, 1, 2, -2, 0, 3], -2, [1, 2, 1, 3]), [-1, 1, 2, -2, 0, 3]);
});

test("ExpandDimsInputOutputDimsMismatchShallFail / ExpandDimsAxisOutOfRangeShallFail", () => {
  const data = [-1, 1, 2, -2, 0, 3];
  assert.throws(() => run("int8", [1, 3, 2], data, -1, [1, 3, 1, 2]), /should be \[1,3,2,1\]/);
  assert.throws(() => run("int8", [1, 3, 2], data, 4, [1, 3, 2, 1]), /axis 4 is out of range/);
});
