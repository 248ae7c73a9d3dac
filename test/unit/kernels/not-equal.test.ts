/** NOT_EQUAL goldens from TFLM kernels/comparisons_test.cc (test names below). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { notEqual } from "../../../src/kernels/not-equal.js";
import { COMPARISON_TEST_SHAPES, runComparison } from "./more-ops-test-support.js";

const S4 = [1, 1, 1, 4];

test("NotEqualBool / NotEqualFloat / NotEqualInt", () => {
  assert.deepEqual(runComparison(notEqual, "bool", S4, [1, 0, 1, 0], S4, [1, 1, 0, 0]), [0, 1, 1, 0]);
  assert.deepEqual(
    runComparison(notEqual, "float32", S4, [0.1, 0.9, 0.7, 0.3], S4, [0.1, 0.2, 0.6, 0.5]),
    [0, 1, 1, 1],
  );
  assert.deepEqual(runComparison(notEqual, "int32", S4, [-1, 9, 7, 3], S4, [1, 2, 7, 5]), [1, 1, 0, 1]);
});

test("NotEqualBroadcast / NotEqualBroadcastTwoD", () => {
  assert.deepEqual(runComparison(notEqual, "int32", S4, [-1, 9, 7, 3], [1, 1, 1, 1], [7]), [1, 1, 0, 1]);
  const out = runComparison(notEqual, "int32", [1, 1, 2, 4], [-1, 9, 7, 3, 2, 4, 2, 8], S4, [7, 1, 2, 4]);
  assert.deepEqual(out, [1, 1, 1, 1, 1, 1, 0, 1]);
});

test("NotEqualQuantizedInt8", () => {
  const q = { scaleA: 0.5, zeroPointA: -5, scaleB: 0.25, zeroPointB: 5 };
  const s = [1, 2, 2, 1];
  assert.deepEqual(runComparison(notEqual, "int8", s, [1, -9, 7, 3], s, [1, 2, 7, 5], q), [0, 1, 0, 1]);
});

test("NotEqualQuantizedInt8WithBroadcast", () => {
  const q = { scaleA: 0.5, zeroPointA: -9, scaleB: 0.5, zeroPointB: -9 };
  for (const s of COMPARISON_TEST_SHAPES) {
    assert.deepEqual(runComparison(notEqual, "int8", s, [20, -2, -71, 8, 11, 20], [1], [8], q), [1, 1, 1, 0, 1, 1]);
  }
});
