/** LESS goldens from TFLM kernels/comparisons_test.cc (test names below). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { less } from "../../../src/kernels/less.js";
import { COMPARISON_TEST_SHAPES, runComparison } from "./more-ops-test-support.js";

const S4 = [1, 1, 1, 4];

test("LessFloat / LessInt", () => {
  assert.deepEqual(runComparison(less, "float32", S4, [0.1, 0.9, 0.7, 0.3], S4, [0.1, 0.2, 0.6, 0.5]), [0, 0, 0, 1]);
  assert.deepEqual(runComparison(less, "int32", S4, [-1, 9, 7, 3], S4, [1, 2, 6, 5]), [1, 0, 0, 1]);
});

test("LessBroadcast / LessBroadcastTwoD", () => {
  assert.deepEqual(runComparison(less, "int32", S4, [-1, 9, 7, 3], [1, 1, 1, 1], [7]), [1, 0, 0, 1]);
  const out = runComparison(less, "int32", [1, 1, 2, 4], [-1, 9, 7, 3, 2, 4, 6, 8], S4, [7, 1, 2, 4]);
  assert.deepEqual(out, [1, 0, 0, 1, 1, 0, 0, 0]);
});

test("LessQuantizedInt8WithBroadcast", () => {
  const q = { scaleA: 0.5, zeroPointA: -9, scaleB: 0.5, zeroPointB: -9 };
  for (const s of COMPARISON_TEST_SHAPES) {
    assert.deepEqual(runComparison(less, "int8", s, [20, -2, -71, 8, 11, 20], [1], [8], q), [0, 1, 1, 0, 0, 0]);
  }
});
