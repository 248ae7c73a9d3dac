/** SLICE goldens from TFLM kernels/slice_test.cc (test names kept), plus the checks a hostile model meets. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { slice } from "../../../src/kernels/slice.js";
import { runKernel } from "../../support/kernel-harness.js";

function runSlice(
  dtype: DType,
  inputShape: number[],
  input: number[],
  begin: number[],
  size: number[],
  outputShape: number[],
  options: { indexType?: DType; constant?: boolean } = {},
): number[] {
  const indexType = options.indexType ?? "int32";
  const constant = options.constant ?? true;
  const { outputs } = runKernel(slice, {
    inputs: [
      { dtype, shape: inputShape, data: input },
      { dtype: indexType, shape: [begin.length], data: begin, constant },
      { dtype: indexType, shape: [size.length], data: size, constant },
    ],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const INTEGERS = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6];

test("In1D / In2D / In3D", () => {
  assert.deepEqual(runSlice("float32", [4], [1, 2, 3, 4], [1], [2], [2]), [2, 3]);
  assert.deepEqual(runSlice("float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, 0], [1, 2], [2]), [4, 5]);
  const twelve = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  assert.deepEqual(runSlice("float32", [2, 3, 2], twelve, [0, 0, 0], [2, 3, 2], [2, 3, 2]), twelve);
});

test("In5D / InputFloat / IndexInt64", () => {
  assert.deepEqual(
    runSlice("float32", [5, 1, 1, 1, 1], [1, 2, 3, 4, 5], [1, 0, 0, 0, 0], [3, 1, 1, 1, 1], [3, 1, 1, 1, 1]),
    [2, 3, 4],
  );
  assert.deepEqual(
    runSlice("float32", [4, 1, 1, 1], [1, 2, 3, 4], [1, 0, 0, 0], [3, 1, 1, 1], [3, 1, 1, 1]),
    [2, 3, 4],
  );
  assert.deepEqual(
    runSlice("float32", [4, 1, 1, 1], [1, 2, 3, 4], [1, 0, 0, 0], [3, 1, 1, 1], [3, 1, 1, 1], { indexType: "int64" }),
    [2, 3, 4],
  );
});

test("InputInteger1 / InputInteger2 / InputInteger3", () => {
  assert.deepEqual(runSlice("int32", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [1, 1, 3, 1], [1, 1, 3, 1]), [3, 3, 3]);
  assert.deepEqual(
    runSlice("int32", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [1, 2, 3, 1], [1, 2, 3, 1]),
    [3, 3, 3, 4, 4, 4],
  );
  assert.deepEqual(
    runSlice("int32", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [2, 1, 3, 1], [2, 1, 3, 1]),
    [3, 3, 3, 5, 5, 5],
  );
});

test("SizeMinus1 / BeginNonZeroSizeMinus1Axis1..3", () => {
  assert.deepEqual(
    runSlice("int32", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [2, 1, -1, 1], [2, 1, 3, 1]),
    [3, 3, 3, 5, 5, 5],
  );
  const pairs = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9];
  assert.deepEqual(runSlice("int32", [3, 3, 2, 1], pairs, [1, 1, 0, 0], [2, -1, 1, 1], [2, 2, 1, 1]), [5, 6, 8, 9]);
  assert.deepEqual(runSlice("int32", [3, 2, 3, 1], INTEGERS, [1, 0, 1, 0], [2, 1, -1, 1], [2, 1, 2, 1]), [3, 3, 5, 5]);
  assert.deepEqual(runSlice("int32", [3, 1, 2, 3], INTEGERS, [1, 0, 0, 1], [2, 1, 1, -1], [2, 1, 1, 2]), [3, 3, 5, 5]);
});

test("SliceInt8 / SliceInt16 / SliceBool", () => {
  assert.deepEqual(
    runSlice("int8", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [2, 1, -1, 1], [2, 1, 3, 1]),
    [3, 3, 3, 5, 5, 5],
  );
  assert.deepEqual(
    runSlice("int16", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [2, 1, -1, 1], [2, 1, 3, 1]),
    [3, 3, 3, 5, 5, 5],
  );
  const bools = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0];
  assert.deepEqual(
    runSlice("bool", [3, 2, 3, 1], bools, [1, 0, 0, 0], [2, 1, -1, 1], [2, 1, 3, 1]),
    [1, 0, 1, 0, 0, 1],
  );
});

test("begin and size computed by the model are read per invocation", () => {
  const out = runSlice("int32", [3, 2, 3, 1], INTEGERS, [1, 0, 0, 0], [2, 1, -1, 1], [2, 1, 3, 1], { constant: false });
  assert.deepEqual(out, [3, 3, 3, 5, 5, 5]);
  assert.throws(
    () => runSlice("int32", [3, 2, 3, 1], INTEGERS, [2, 0, 0, 0], [2, 1, -1, 1], [2, 1, 3, 1], { constant: false }),
    /SLICE: begin 2 with size 2/,
  );
});

test("hostile slices are rejected in prepare", () => {
  assert.throws(() => runSlice("float32", [4], [1, 2, 3, 4], [3], [2], [2]), /outside dimension/);
  assert.throws(() => runSlice("float32", [4], [1, 2, 3, 4], [-1], [2], [2]), /outside dimension/);
  assert.throws(() => runSlice("float32", [4], [1, 2, 3, 4], [0], [2], [3]), /output 3/);
  assert.throws(() => runSlice("float32", [2, 2], [1, 2, 3, 4], [0], [2], [2]), /need 2 values/);
  assert.throws(() => runSlice("uint8", [4], [1, 2, 3, 4], [0], [2], [2]), /not supported/);
});
