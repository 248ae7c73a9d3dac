/** EQUAL goldens from TFLM kernels/comparisons_test.cc (test names below). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { equal } from "../../../src/kernels/equal.js";
import { runComparison } from "./more-ops-test-support.js";

const S4 = [1, 1, 1, 4];

test("EqualBool / EqualFloat / EqualInt", () => {
  assert.deepEqual(runComparison(equal, "bool", S4, [1, 0, 1, 0], S4, [1, 1, 0, 0]), [1, 0, 0, 1]);
  assert.deepEqual(runComparison(equal, "float32", S4, [0.1, 0.9, 0.7, 0.3], S4, [0.1, 0.2, 0.6, 0.5]), [1, 0, 0, 0]);
  assert.deepEqual(runComparison(equal, "int32", S4, [-1, 9, 7, 3], S4, [1, 2, 7, 5]), [0, 0, 1, 0]);
});

test("EqualBroadcast / EqualBroadcastTwoD", () => {
  assert.deepEqual(runComparison(equal, "int32", S4, [-1, 9, 7, 3], [1, 1, 1, 1], [7]), [0, 0, 1, 0]);
  const out = runComparison(equal, "int32", [1, 1, 2, 4], [-1, 9, 7, 3, 2, 4, 2, 8], S4, [7, 1, 2, 4]);
  assert.deepEqual(out, [0, 0, 0, 0, 0, 0, 1, 0]);
});

test("EqualQuantizedInt8 (inputs with different scales compare in real units)", () => {
  const q = { scaleA: 0.5, zeroPointA: -5, scaleB: 0.25, zeroPointB: 5 };
  const s = [1, 2, 2, 1];
  assert.deepEqual(runComparison(equal, "int8", s, [1, -9, 7, 3], s, [-1, 2, 7, 5], q), [0, 0, 1, 0]);
});

test("EQUAL: int64 compares bigints; int16 is rejected as in TFLM", () => {
  assert.deepEqual(runComparison(equal, "int64", [3], [1, 2, 3], [1], [2]), [0, 1, 0]);
  assert.throws(() => runComparison(equal, "int16", [1], [1], [1], [1]), /EQUAL: input type int16 is not supported/);
});
