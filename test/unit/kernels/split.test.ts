/** SPLIT goldens from TFLM kernels/split_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { split } from "../../../src/kernels/split.js";
import { runKernel } from "../../support/kernel-harness.js";

const DATA = Array.from({ length: 16 }, (_, i) => i + 1);

function run(dtype: DType, shape: number[], data: number[], axis: number, outputShapes: number[][]): number[][] {
  const { outputs } = runKernel(split, {
    options: { numSplits: outputShapes.length },
    inputs: [
      { dtype: "int32", shape: [1], data: [axis], constant: true },
      { dtype, shape, data },
    ],
    outputs: outputShapes.map((s) => ({ dtype, shape: s })),
  });
  return outputs.map((o) => Array.from(o as Float32Array));
}

test("TwoSplitFourDimensionalAxisZero / NegativeAxis", () => {
  const expected = [
    [1, 2, 3, 4, 5, 6, 7, 8],
    [9, 10, 11, 12, 13, 14, 15, 16],
  ];
  assert.deepEqual(
    run("float32", [2, 2, 2, 2], DATA, 0, [
      [1, 2, 2, 2],
      [1, 2, 2, 2],
    ]),
    expected,
  );
  assert.deepEqual(
    run("float32", [2, 2, 2, 2], DATA, -4, [
      [1, 2, 2, 2],
      [1, 2, 2, 2],
    ]),
    expected,
  );
});

test("TwoSplitFourDimensionalAxisOne / Two / Three", () => {
  assert.deepEqual(
    run("float32", [2, 2, 2, 2], DATA, 1, [
      [2, 1, 2, 2],
      [2, 1, 2, 2],
    ]),
    [
      [1, 2, 3, 4, 9, 10, 11, 12],
      [5, 6, 7, 8, 13, 14, 15, 16],
    ],
  );
  assert.deepEqual(
    run("float32", [2, 2, 2, 2], DATA, 2, [
      [2, 2, 1, 2],
      [2, 2, 1, 2],
    ]),
    [
      [1, 2, 5, 6, 9, 10, 13, 14],
      [3, 4, 7, 8, 11, 12, 15, 16],
    ],
  );
  assert.deepEqual(
    run("float32", [2, 2, 2, 2], DATA, 3, [
      [2, 2, 2, 1],
      [2, 2, 2, 1],
    ]),
    [
      [1, 3, 5, 7, 9, 11, 13, 15],
      [2, 4, 6, 8, 10, 12, 14, 16],
    ],
  );
});

test("FourSplit / TwoSplitOneDimensional", () => {
  assert.deepEqual(run("float32", [4], [1, 2, 3, 4], 0, [[1], [1], [1], [1]]), [[1], [2], [3], [4]]);
  assert.deepEqual(run("float32", [2], [1, 2], 0, [[1], [1]]), [[1], [2]]);
});

test("TwoSplitFourDimensionalQuantized / Quantized32 (int8, int32)", () => {
  for (const dtype of ["int8", "int32", "int16"] as const) {
    assert.deepEqual(
      run(dtype, [2, 2, 2, 2], DATA, 1, [
        [2, 1, 2, 2],
        [2, 1, 2, 2],
      ]),
      [
        [1, 2, 3, 4, 9, 10, 11, 12],
        [5, 6, 7, 8, 13, 14, 15, 16],
      ],
      dtype,
    );
  }
});

test("rejects a dimension that does not divide evenly", () => {
  assert.throws(() => run("float32", [3], [1, 2, 3], 0, [[1], [1]]), /not divisible/);
});
