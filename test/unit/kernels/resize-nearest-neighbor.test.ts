/** RESIZE_NEAREST_NEIGHBOR goldens from TFLM kernels/resize_nearest_neighbor_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { resizeNearestNeighbor } from "../../../src/kernels/resize-nearest-neighbor.js";
import { runKernel } from "../../support/kernel-harness.js";

function run(
  dtype: DType,
  shape: number[],
  data: number[],
  size: [number, number],
  options: { alignCorners?: boolean; halfPixelCenters?: boolean } = {},
): number[] {
  const { outputs } = runKernel(resizeNearestNeighbor, {
    options,
    inputs: [
      { dtype, shape, data },
      { dtype: "int32", shape: [2], data: size, constant: true },
    ],
    outputs: [{ dtype, shape: [shape[0]!, size[0], size[1], shape[3]!] }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("HorizontalResize / VerticalResize (float32, int8, int16)", () => {
  assert.deepEqual(run("float32", [1, 1, 2, 1], [3, 6], [1, 3]), [3, 3, 6]);
  assert.deepEqual(run("int8", [1, 1, 2, 1], [-3, 6], [1, 3]), [-3, -3, 6]);
  assert.deepEqual(run("int16", [1, 1, 2, 1], [-3, 6], [1, 3]), [-3, -3, 6]);
  assert.deepEqual(run("float32", [1, 2, 1, 1], [3, 9], [3, 1]), [3, 3, 9]);
  assert.deepEqual(run("int8", [1, 2, 1, 1], [3, -9], [3, 1]), [3, 3, -9]);
});

test("TwoDimensionalResize / WithTwoBatches", () => {
  assert.deepEqual(run("int8", [1, 2, 2, 1], [3, -6, 9, 12], [3, 3]), [3, 3, -6, 3, 3, -6, 9, 9, 12]);
  // biome-ignore format: rows of the output
  const twoBatches = [3, 3, 6, 3, 3, 6, 9, 9, 12, 4, 4, 10, 4, 4, 10, 10, 10, 16];
  assert.deepEqual(run("float32", [2, 2, 2, 1], [3, 6, 9, 12, 4, 10, 10, 16], [3, 3]), twoBatches);
});

test("ThreeDimensionalResize (two channels, int16)", () => {
  // biome-ignore format: rows of the output
  const expected = [3, 4, 3, 4, -6, 10, 3, 4, 3, 4, -6, 10, 10, 12, 10, 12, -14, 16];
  assert.deepEqual(run("int16", [1, 2, 2, 2], [3, 4, -6, 10, 10, 12, -14, 16], [3, 3]), expected);
});

test("align_corners rounds, half_pixel_centers floors from the pixel centre", () => {
  // Not TFLM goldens (TFLM's tests use the defaults): 3 → 4 columns by GetNearestNeighbor's formula.
  assert.deepEqual(run("float32", [1, 1, 3, 1], [1, 2, 3], [1, 4]), [1, 1, 2, 3]);
  assert.deepEqual(run("float32", [1, 1, 3, 1], [1, 2, 3], [1, 4], { alignCorners: true }), [1, 2, 2, 3]);
  assert.deepEqual(run("float32", [1, 1, 3, 1], [1, 2, 3], [1, 4], { halfPixelCenters: true }), [1, 2, 2, 3]);
  assert.deepEqual(run("float32", [1, 1, 4, 1], [1, 2, 3, 4], [1, 2], { halfPixelCenters: true }), [2, 4]);
});
