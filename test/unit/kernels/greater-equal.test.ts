/** GREATER_EQUAL goldens from TFLM kernels/comparisons_test.cc (test names below). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { greaterEqual } from "../../../src/kernels/greater-equal.js";
import { COMPARISON_TEST_SHAPES, runComparison } from "./more-ops-test-support.js";

const S4 = [1, 1, 1, 4];

test("GreaterEqualFloat / GreaterEqualInt", () => {
  assert.deepEqual(
    runComparison(greaterEqual, "float32", S4, [0.1, 0.9, 0.7, 0.3], S4, [0.1, 0.2, 0.6, 0.5]),
    [1, 1, 1, 0],
  );
  assert.deepEqual(runComparison(greaterEqual, "int32", S4, [-1, 9, 7, 3], S4, [1, 2, 7, 5]), [0, 1, 1, 0]);
});

test("GreaterEqualBroadcast / GreaterEqualBroadcastTwoD", () => {
  assert.deepEqual(runComparison(greaterEqual, "int32", S4, [-1, 9, 7, 3], [1, 1, 1, 1], [7]), [0, 1, 1, 0]);
  const out = runComparison(greaterEqual, "int32", [1, 1, 2, 4], [-1, 9, 7, 3, 2, 4, 2, 8], S4, [7, 1, 2, 4]);
  assert.deepEqual(out, [0, 1, 1, 0, 0, 1, 1, 1]);
});

test("GreaterEqualQuantizedInt8WithBroadcast", () => {
  const q = { scaleA: 0.5, zeroPointA: -9, scaleB: 0.5, zeroPointB: -9 };
  for (const s of COMPARISON_TEST_SHAPES) {
    assert.deepEqual(runComparison(greaterEqual, "int8", s, [20, -2, -71, 8, 11, 20], [1], [8], q), [1, 0, 0, 1, 1, 1]);
  }
});
