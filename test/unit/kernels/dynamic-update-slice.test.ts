/** DYNAMIC_UPDATE_SLICE goldens from TFLM kernels/dynamic_update_slice_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { dynamicUpdateSlice } from "../../../src/kernels/dynamic-update-slice.js";
import { runKernel } from "../../support/kernel-harness.js";

const OPERAND = [1, 2, 3, 4, 5, 6, 7, 8, 9];

function run(
  dtype: DType,
  updateShape: number[],
  update: number[],
  start: number[],
  indexType: DType = "int32",
  operandShape = [3, 3],
  operand = OPERAND,
): number[] {
  const { outputs } = runKernel(dynamicUpdateSlice, {
    inputs: [
      { dtype, shape: operandShape, data: operand },
      { dtype, shape: updateShape, data: update },
      { dtype: indexType, shape: [start.length], data: indexType === "int64" ? start.map(BigInt) : start },
    ],
    outputs: [{ dtype, shape: operandShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const SIMPLE = [1, 2, 3, 4, -1, 6, 7, -2, 9];

test("DynamicUpdateSliceOpTestSimpleFloat / Int8 / Int16 / Int32 / Int8IndicesI64", () => {
  assert.deepEqual(run("float32", [2, 1], [-1, -2], [1, 1]), SIMPLE);
  assert.deepEqual(run("int8", [2, 1], [-1, -2], [1, 1]), SIMPLE);
  assert.deepEqual(run("int16", [2, 1], [-1, -2], [1, 1]), SIMPLE);
  assert.deepEqual(run("int32", [2, 1], [-1, -2], [1, 1]), SIMPLE);
  assert.deepEqual(run("int8", [2, 1], [-1, -2], [1, 1], "int64"), SIMPLE);
});

test("DynamicUpdateSliceOpTestBoundaryTest (start indices clamped)", () => {
  assert.deepEqual(run("float32", [2, 2], [-1, -2, -3, -4], [2, 2]), [1, 2, 3, 4, -1, -2, 7, -3, -4]);
  assert.deepEqual(run("float32", [2, 2], [-1, -2, -3, -4], [-5, -1]), [-1, -2, 3, -3, -4, 6, 7, 8, 9]);
});

test("an update as large as the operand replaces it; a 3-D update walks its rows", () => {
  assert.deepEqual(
    run(
      "float32",
      [3, 3],
      OPERAND.map((v) => -v),
      [1, 1],
    ),
    OPERAND.map((v) => -v),
  );
  const operand = Array.from({ length: 24 }, (_, i) => i);
  const out = run("int32", [2, 1, 2], [-1, -2, -3, -4], [0, 1, 1], "int32", [2, 3, 4], operand);
  const expected = [...operand];
  expected[5] = -1;
  expected[6] = -2;
  expected[17] = -3;
  expected[18] = -4;
  assert.deepEqual(out, expected);
});

test("shape and type mismatches are rejected", () => {
  assert.throws(() => run("float32", [4, 1], [1, 2, 3, 4], [0, 0]), /does not fit/);
  assert.throws(() => run("float32", [2, 1], [-1, -2], [1, 1, 1]), /must be \[2\]/);
  assert.throws(() => run("uint8", [2, 1], [1, 2], [1, 1]), /not supported/);
});
