/** GREATER goldens from TFLM kernels/comparisons_test.cc (test names below). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { greater } from "../../../src/kernels/greater.js";
import { COMPARISON_TEST_SHAPES, runComparison } from "./more-ops-test-support.js";

const S4 = [1, 1, 1, 4];

test("GreaterFloat / GreaterInt", () => {
  assert.deepEqual(runComparison(greater, "float32", S4, [0.1, 0.9, 0.7, 0.3], S4, [0.1, 0.2, 0.6, 0.5]), [0, 1, 1, 0]);
  assert.deepEqual(runComparison(greater, "int32", S4, [-1, 9, 7, 3], S4, [1, 2, 7, 5]), [0, 1, 0, 0]);
});

test("GreaterBroadcast / GreaterBroadcastTwoD", () => {
  assert.deepEqual(runComparison(greater, "int32", S4, [-1, 9, 7, 3], [1, 1, 1, 1], [7]), [0, 1, 0, 0]);
  const out = runComparison(greater, "int32", [1, 1, 2, 4], [-1, 9, 7, 3, 2, 4, 2, 8], S4, [7, 1, 2, 4]);
  assert.deepEqual(out, [0, 1, 1, 0, 0, 1, 0, 1]);
});

test("GreaterQuantizedInt8WithBroadcast / GreaterQuantizedInt16WithBroadcast", () => {
  const q = { scaleA: 0.5, zeroPointA: -9, scaleB: 0.5, zeroPointB: -9 };
  for (const s of COMPARISON_TEST_SHAPES) {
    assert.deepEqual(runComparison(greater, "int8", s, [20, -2, -71, 8, 11, 20], [1], [8], q), [1, 0, 0, 0, 1, 1]);
    assert.deepEqual(runComparison(greater, "int16", s, [20, -2, -71, 8, 11, 20], [1], [8], q), [1, 0, 0, 0, 1, 1]);
  }
});

test("GREATER rejects a quantized scale of 1 or more (TFLM CHECK-fails) and bool", () => {
  const q = { scaleA: 1, zeroPointA: 0, scaleB: 0.5, zeroPointB: 0 };
  assert.throws(() => runComparison(greater, "int8", [1], [1], [1], [1], q), /outside \(0, 1\)/);
  assert.throws(() => runComparison(greater, "bool", [1], [1], [1], [1]), /GREATER: input type bool is not supported/);
});
