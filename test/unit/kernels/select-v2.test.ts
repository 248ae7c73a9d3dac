/** SELECT_V2 goldens from TFLM kernels/select_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { selectV2 } from "../../../src/kernels/select-v2.js";
import { runKernel } from "../../support/kernel-harness.js";

function select(
  dtype: DType,
  condShape: number[],
  cond: boolean[],
  xShape: number[],
  x: number[],
  yShape: number[],
  y: number[],
  outShape: number[],
): number[] {
  const { outputs } = runKernel(selectV2, {
    inputs: [
      { dtype: "bool", shape: condShape, data: cond.map(Number) },
      { dtype, shape: xShape, data: x },
      { dtype, shape: yShape, data: y },
    ],
    outputs: [{ dtype, shape: outShape }],
  });
  return [...(outputs[0] as Float32Array)];
}

const f = Math.fround;
const S4 = [1, 1, 1, 4];

test("SelectFloat", () => {
  const out = select("float32", S4, [true, false, true, false], S4, [0.1, 0.2, 0.3, 0.4], S4, [0.5, 0.6, 0.7, 0.8], S4);
  assert.deepEqual(out, [f(0.1), f(0.6), f(0.3), f(0.8)]);
});

test("SelectInt8 / SelectInt16", () => {
  assert.deepEqual(
    select("int8", S4, [false, true, false, false], S4, [1, -2, 3, 4], S4, [5, 6, 7, -8], S4),
    [5, -2, 7, -8],
  );
  assert.deepEqual(
    select("int16", S4, [false, true, false, false], S4, [1, 2, 3, 4], S4, [5, 6, 7, 8], S4),
    [5, 2, 7, 8],
  );
});

test("BroadcastSelectInt16OneDimensionConditionWithSingleValue", () => {
  const out = select(
    "int16",
    [1],
    [false],
    [1, 2, 2, 2, 1],
    [1, 2, 3, 4, 5, 6, 7, 8],
    [1, 2, 2, 1],
    [9, 10, 11, 12],
    [1, 2, 2, 2, 1],
  );
  assert.deepEqual(out, [9, 10, 11, 12, 9, 10, 11, 12]);
});

test("BroadcastSelectInt16LesserThan4D / OnFalseValue / BroadcastSelectInt16", () => {
  const s = [1, 2, 2];
  assert.deepEqual(select("int16", [1, 2], [false, true], s, [1, 2, 3, 4], s, [5, 6, 7, 8], s), [5, 2, 7, 4]);
  assert.deepEqual(select("int16", [1], [false], s, [1, 2, 3, 4], s, [5, 6, 7, 8], s), [5, 6, 7, 8]);
  assert.deepEqual(select("int16", [1, 2], [false, true], s, [1, 2, 3, 4], s, [5, 6, 7, 7], s), [5, 2, 7, 4]);
});

test("BroadcastSelectInt16OneDimensionConditionWithTwoValues", () => {
  const out = select("int16", [2], [false, true], [2, 1, 2, 1], [1, 2, 3, 4], [2, 1, 2, 1], [5, 6, 7, 8], [2, 1, 2, 2]);
  assert.deepEqual(out, [5, 1, 6, 2, 7, 3, 8, 4]);
});

test("MixedFlatSizeOneInputsWith{Condition,X,Y}ScalarTensor", () => {
  assert.deepEqual(select("int16", [], [false], [1], [1], [1], [5], []), [5]);
  assert.deepEqual(select("int16", [1], [true], [], [1], [1], [5], []), [1]);
  assert.deepEqual(select("int16", [1], [false], [1], [1], [], [5], []), [5]);
});

test("SELECT_V2 rejects shapes that do not broadcast and int32 values", () => {
  assert.throws(() => select("int16", [3], [true, false, true], [2], [1, 2], [2], [3, 4], [2]), /does not broadcast/);
  assert.throws(
    () => select("int32", [1], [true], [1], [1], [1], [2], [1]),
    /SELECT_V2: input type int32 is not supported/,
  );
});
