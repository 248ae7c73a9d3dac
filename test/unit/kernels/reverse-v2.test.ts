/** REVERSE_V2 goldens from TFLM kernels/reverse_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { reverseV2 } from "../../../src/kernels/reverse-v2.js";
import { runKernel } from "../../support/kernel-harness.js";

const R24 = Array.from({ length: 24 }, (_, i) => i + 1);
const R27 = Array.from({ length: 27 }, (_, i) => i + 1);

function run(dtype: DType, shape: number[], input: number[], axes: number[], constant = true): number[] {
  const { outputs } = runKernel(reverseV2, {
    inputs: [
      { dtype, shape, data: dtype === "int64" ? input.map(BigInt) : input },
      { dtype: "int32", shape: [axes.length], data: axes, constant },
    ],
    outputs: [{ dtype, shape }],
  });
  return Array.from(outputs[0] as Float32Array, Number);
}

test("ReverseOpTestFloatOneDimension / FloatMultiDimensions", () => {
  assert.deepEqual(run("float32", [4], [1, 2, 3, 4], [0]), [4, 3, 2, 1]);
  assert.deepEqual(
    run("float32", [4, 3, 2], R24, [1]),
    [5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8, 17, 18, 15, 16, 13, 14, 23, 24, 21, 22, 19, 20],
  );
});

test("ReverseOpTestInt32OneDimension / Int32MultiDimensions", () => {
  assert.deepEqual(run("int32", [4], [1, 2, 3, 4], [0]), [4, 3, 2, 1]);
  assert.deepEqual(
    run("int32", [4, 3, 2], R24, [1], false),
    [5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8, 17, 18, 15, 16, 13, 14, 23, 24, 21, 22, 19, 20],
  );
});

test("ReverseOpTestInt32MultiDimensionsFirst / Second / Third", () => {
  assert.deepEqual(run("int32", [3, 3, 3], R27, [0]), [...R27.slice(18), ...R27.slice(9, 18), ...R27.slice(0, 9)]);
  assert.deepEqual(
    run("int32", [3, 3, 3], R27, [1]),
    [7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12, 25, 26, 27, 22, 23, 24, 19, 20, 21],
  );
  assert.deepEqual(
    run("int32", [3, 3, 3], R27, [2]),
    [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10, 15, 14, 13, 18, 17, 16, 21, 20, 19, 24, 23, 22, 27, 26, 25],
  );
});

test("ReverseOpTestInt32MultiDimensionsFirstSecond / SecondThird / SecondFirst", () => {
  assert.deepEqual(
    run("int32", [3, 3, 3], R27, [0, 1]),
    [25, 26, 27, 22, 23, 24, 19, 20, 21, 16, 17, 18, 13, 14, 15, 10, 11, 12, 7, 8, 9, 4, 5, 6, 1, 2, 3],
  );
  const secondThird = [
    9, 8, 7, 6, 5, 4, 3, 2, 1, 18, 17, 16, 15, 14, 13, 12, 11, 10, 27, 26, 25, 24, 23, 22, 21, 20, 19,
  ];
  assert.deepEqual(run("int32", [3, 3, 3], R27, [1, 2]), secondThird);
  assert.deepEqual(run("int32", [3, 3, 3], R27, [2, 1]), secondThird);
});

test("other element types: int8, int16, int64, bool", () => {
  assert.deepEqual(run("int8", [4], [1, -2, 3, -4], [-1]), [-4, 3, -2, 1]);
  assert.deepEqual(run("int16", [2, 2], [1, 2, 3, 4], [0]), [3, 4, 1, 2]);
  assert.deepEqual(run("int64", [3], [1, 2, 3], [0]), [3, 2, 1]);
  assert.deepEqual(run("bool", [3], [1, 0, 0], [0]), [0, 0, 1]);
});

test("non-contiguous, out-of-range and empty axes are rejected", () => {
  assert.throws(() => run("int32", [3, 3, 3], R27, [0, 2]), /not contiguous/);
  assert.throws(() => run("int32", [3, 3, 3], R27, [0, 2], false), /not contiguous/);
  assert.throws(() => run("int32", [3, 3, 3], R27, [3]), /out of range/);
  assert.throws(() => run("int32", [4], [1, 2, 3, 4], []), /0 axes/);
});
