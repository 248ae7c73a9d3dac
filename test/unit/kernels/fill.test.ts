/** FILL goldens from TFLM kernels/fill_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { fill } from "../../../src/kernels/fill.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dimsType: DType, dims: number[], valueType: DType, value: number, outShape: number[], constant = true) {
  const { outputs } = runKernel(fill, {
    inputs: [
      { dtype: dimsType, shape: [dims.length], data: dims, constant },
      { dtype: valueType, shape: [], data: [value] },
    ],
    outputs: [{ dtype: valueType, shape: outShape }],
  });
  return [...(outputs[0] as Float32Array)];
}

test("FillFloatInt64Dims / FillInt32Int64Dims / FillInt8Int32Dims / FillFloatInt32Dims", () => {
  assert.deepEqual(run("int64", [2, 2, 2], "float32", 4, [2, 2, 2]), new Array(8).fill(4));
  assert.deepEqual(run("int64", [2, 2, 2], "int32", 4, [2, 2, 2]), new Array(8).fill(4));
  assert.deepEqual(run("int32", [2, 2, 2], "int8", 4, [2, 2, 2]), new Array(8).fill(4));
  assert.deepEqual(run("int32", [2, 2, 2], "float32", 4, [2, 2, 2]), new Array(8).fill(4));
});

test("FillScalar", () => {
  assert.deepEqual(run("int64", [], "float32", 4, []), [4]);
});

test("FillInt8NonConstDimsTensorFail / FillInputDimsMismatchWithOutputShallFail", () => {
  assert.throws(() => run("int32", [2, 2, 2], "int8", 4, [2, 2, 2], false), /FILL: non-constant dims tensor/);
  assert.throws(() => run("int64", [2, 2, 2], "float32", 4, [2, 2, 1]), /FILL: dims \[2,2,2\] differ/);
});
