/** CONCATENATION goldens from TFLM kernels/concatenation_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { concatenation } from "../../../src/kernels/concatenation.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";

function concat(axis: number, inputs: TensorSpec[], output: TensorSpec): number[] {
  const { outputs } = runKernel(concatenation, {
    options: { axis, fusedActivationFunction: "NONE" },
    inputs,
    outputs: [output],
  });
  return Array.from(outputs[0] as Float32Array);
}

const f = (shape: number[], data: number[], dtype: DType = "float32"): TensorSpec => ({ dtype, shape, data });

test("TwoInputsAllAxesCombinations", () => {
  const a = f([2, 3], [1, 2, 3, 4, 5, 6]);
  const b = f([2, 3], [7, 8, 9, 10, 11, 12]);
  const axis0 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const axis1 = [1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12];
  assert.deepEqual(concat(0, [a, b], f([4, 3], [])), axis0);
  assert.deepEqual(concat(-2, [a, b], f([4, 3], [])), axis0);
  assert.deepEqual(concat(1, [a, b], f([2, 6], [])), axis1);
  assert.deepEqual(concat(-1, [a, b], f([2, 6], [])), axis1);
});

test("ThreeDimensionalTwoInputsDifferentShapes", () => {
  const out = concat(1, [f([2, 1, 2], [1, 3, 4, 7]), f([2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])], {
    dtype: "float32",
    shape: [2, 4, 2],
  });
  assert.deepEqual(out, [1, 3, 1, 2, 3, 4, 5, 6, 4, 7, 7, 8, 9, 10, 11, 12]);
});

test("TwoInputsFiveDimensionsAllAxesCombinations (axis 4)", () => {
  const a = f([2, 1, 2, 1, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const b = f([2, 1, 2, 1, 3], [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  const expected = [1, 2, 3, 13, 14, 15, 4, 5, 6, 16, 17, 18, 7, 8, 9, 19, 20, 21, 10, 11, 12, 22, 23, 24];
  assert.deepEqual(concat(4, [a, b], { dtype: "float32", shape: [2, 1, 2, 1, 6] }), expected);
  assert.deepEqual(concat(-2, [a, b], { dtype: "float32", shape: [2, 1, 2, 2, 3] }), expected);
});

test("TwoInputsQuantizedInt8 / TwoInputsQuantizedInt16", () => {
  for (const dtype of ["int8", "int16"] as const) {
    const q = { scale: 0.1, zeroPoint: 0 };
    const out = concat(
      2,
      [
        { dtype, shape: [2, 1, 2], data: [1, 2, 3, 4], ...q },
        { dtype, shape: [2, 1, 2], data: [5, 6, 7, 8], ...q },
      ],
      { dtype, shape: [2, 1, 4], ...q },
    );
    assert.deepEqual(out, [1, 2, 5, 6, 3, 4, 7, 8], dtype);
  }
});

test("TwoInputsQuantizedInt8FiveDimensions", () => {
  const q = { scale: 0.1, zeroPoint: 0 };
  const out = concat(
    2,
    [
      { dtype: "int8", shape: [2, 1, 2, 1, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], ...q },
      { dtype: "int8", shape: [2, 1, 2, 1, 3], data: [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], ...q },
    ],
    { dtype: "int8", shape: [2, 1, 4, 1, 3], ...q },
  );
  assert.deepEqual(out, [1, 2, 3, 4, 5, 6, 13, 14, 15, 16, 17, 18, 7, 8, 9, 10, 11, 12, 19, 20, 21, 22, 23, 24]);
});

test("BoolTypeTwoInputs", () => {
  const out = concat(1, [f([2, 1, 2], [0, 0, 0, 0], "bool"), f([2, 3, 2], new Array(12).fill(1), "bool")], {
    dtype: "bool",
    shape: [2, 4, 2],
  });
  assert.deepEqual(out, [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1]);
});

test("int32 with constant inputs (the audio preprocessor's zero padding)", () => {
  // Not a TFLM golden: constant int32 blocks around an activation, as audio_preprocessor_* uses.
  const out = concat(
    0,
    [
      { dtype: "int32", shape: [2], data: [0, 0], constant: true },
      f([3], [7, -8, 2147483647], "int32"),
      { dtype: "int32", shape: [1], data: [0], constant: true },
    ],
    { dtype: "int32", shape: [6] },
  );
  assert.deepEqual(out, [0, 0, 7, -8, 2147483647, 0]);
});

test("int8 inputs with a different scale are rejected (TFLM does not rescale)", () => {
  assert.throws(
    () =>
      concat(
        0,
        [
          { dtype: "int8", shape: [1], data: [1], scale: 0.1, zeroPoint: 0 },
          { dtype: "int8", shape: [1], data: [1], scale: 0.2, zeroPoint: 0 },
        ],
        { dtype: "int8", shape: [2], scale: 0.1, zeroPoint: 0 },
      ),
    /share the output's scale/,
  );
});
