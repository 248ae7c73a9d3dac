/** PACK goldens from TFLM kernels/pack_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { pack } from "../../../src/kernels/pack.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(dtype: DType, shape: number[], values: number[][], axis: number, outputShape: number[]): number[] {
  const { outputs } = runKernel(pack, {
    options: { valuesCount: values.length, axis },
    inputs: values.map((data) => ({ dtype, shape, data })),
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const THREE = [
  [1, 4],
  [2, 5],
  [3, 6],
];

test("PackFloatThreeInputs / DifferentAxis / NegativeAxis", () => {
  assert.deepEqual(run("float32", [2], THREE, 0, [3, 2]), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(run("float32", [2], THREE, 1, [2, 3]), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(run("float32", [2], THREE, -1, [2, 3]), [1, 2, 3, 4, 5, 6]);
});

test("PackFloat/Int8/Int16/Int32MultiDimensions", () => {
  for (const dtype of ["float32", "int8", "int16", "int32"] as const) {
    const out = run(
      dtype,
      [2, 3],
      [
        [1, 2, 3, 4, 5, 6],
        [7, 8, 9, 10, 11, 12],
      ],
      1,
      [2, 2, 3],
    );
    assert.deepEqual(out, [1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12], dtype);
  }
});

test("int64 values are stacked too", () => {
  const { outputs } = runKernel(pack, {
    options: { valuesCount: 2, axis: 0 },
    inputs: [
      { dtype: "int64", shape: [1], data: [2n ** 40n] },
      { dtype: "int64", shape: [1], data: [-3n] },
    ],
    outputs: [{ dtype: "int64", shape: [2, 1] }],
  });
  assert.deepEqual(Array.from(outputs[0] as BigInt64Array), [2n ** 40n, -3n]);
});

test("rejects inputs of different shapes", () => {
  assert.throws(
    () =>
      runKernel(pack, {
        options: { valuesCount: 2, axis: 0 },
        inputs: [
          { dtype: "float32", shape: [2], data: [1, 2] },
          { dtype: "float32", shape: [1], data: [1] },
        ],
        outputs: [{ dtype: "float32", shape: [2, 2] }],
      }),
    /differs from input 0/,
  );
});
