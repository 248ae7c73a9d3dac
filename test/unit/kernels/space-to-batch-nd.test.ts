/** SPACE_TO_BATCH_ND goldens from TFLM kernels/space_to_batch_nd_test.cc (test names kept), plus padding cases. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { spaceToBatchNd } from "../../../src/kernels/space-to-batch-nd.js";
import { runKernel } from "../../support/kernel-harness.js";

const BASIC_INPUT = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
const BASIC_GOLDEN = [1, 3, 9, 11, 2, 4, 10, 12, 5, 7, 13, 15, 6, 8, 14, 16];

function run(
  dtype: DType,
  inputShape: number[],
  input: number[],
  block: number[],
  paddings: number[],
  outputShape: number[],
  options: { constant?: boolean; zeroPoint?: number } = {},
): number[] {
  const quant = dtype === "int8" ? { scale: 1, zeroPoint: options.zeroPoint ?? 0 } : {};
  const { outputs } = runKernel(spaceToBatchNd, {
    inputs: [
      { dtype, shape: inputShape, data: input, ...quant },
      { dtype: "int32", shape: [block.length], data: block, constant: options.constant },
      { dtype: "int32", shape: [paddings.length], data: paddings, constant: options.constant },
    ],
    outputs: [{ dtype, shape: outputShape, ...quant }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("SpaceToBatchBasicFloat / SpaceToBatchBasicInt8", () => {
  // TFLM's test passes block shape and paddings as non-constant tensors (read at eval).
  assert.deepEqual(run("float32", [1, 4, 4, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [4, 2, 2, 1]), BASIC_GOLDEN);
  assert.deepEqual(run("int8", [1, 4, 4, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [4, 2, 2, 1]), BASIC_GOLDEN);
  assert.deepEqual(
    run("float32", [1, 4, 4, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [4, 2, 2, 1], { constant: true }),
    BASIC_GOLDEN,
  );
});

test("padding fills zero bytes, not the zero point (TFLM never sets its pad value)", () => {
  // Padded 4×4 grid: the 2×2 input sits in the middle; each batch takes one of the four 2×2-strided phases.
  const expected = [0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0];
  const paddings = [1, 1, 1, 1];
  assert.deepEqual(
    run("float32", [1, 2, 2, 1], [1, 2, 3, 4], [2, 2], paddings, [4, 2, 2, 1], { constant: true }),
    expected,
  );
  assert.deepEqual(
    run("int8", [1, 2, 2, 1], [1, 2, 3, 4], [2, 2], paddings, [4, 2, 2, 1], { constant: true, zeroPoint: -5 }),
    expected,
  );
});

test("3-D input uses one block dimension", () => {
  // [1, 4, 1] with block [2]: rows 0,2 then 1,3.
  assert.deepEqual(run("float32", [1, 4, 1], [1, 2, 3, 4], [2], [0, 0], [2, 2, 1], { constant: true }), [1, 3, 2, 4]);
});

test("bad blocks and shapes are rejected", () => {
  assert.throws(
    () => run("float32", [1, 4, 4, 1], BASIC_INPUT, [0, 2], [0, 0, 0, 0], [4, 2, 2, 1], { constant: true }),
    /must be positive/,
  );
  assert.throws(
    () => run("float32", [1, 4, 4, 1], BASIC_INPUT, [2, 0], [0, 0, 0, 0], [4, 2, 2, 1]),
    /must be positive/,
  );
  assert.throws(() => run("float32", [16], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [16]), /3-D or 4-D/);
  assert.throws(() => run("float32", [1, 4, 4, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [2, 2, 2, 2]), /depth/);
  assert.throws(() => run("int16", [1, 4, 4, 1], BASIC_INPUT, [2, 2], [0, 0, 0, 0], [4, 2, 2, 1]), /not supported/);
});
