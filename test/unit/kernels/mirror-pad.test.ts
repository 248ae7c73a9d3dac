/** MIRROR_PAD goldens from TFLM kernels/mirror_pad_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { mirrorPad } from "../../../src/kernels/mirror-pad.js";
import { runKernel } from "../../support/kernel-harness.js";

const INPUT = [1, 2, 3, 4, 5, 6];

function run(
  mode: "REFLECT" | "SYMMETRIC",
  inputShape: number[],
  input: number[],
  pads: number[],
  outputShape: number[],
  options: { dtype?: DType; constant?: boolean; padType?: DType } = {},
): number[] {
  const dtype = options.dtype ?? "int8";
  const { outputs } = runKernel(mirrorPad, {
    options: { mode },
    inputs: [
      { dtype, shape: inputShape, data: input },
      { dtype: options.padType ?? "int32", shape: [inputShape.length, 2], data: pads, constant: options.constant },
    ],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Int8Array);
}

test("EmptyPad / PadOneSide_right_Reflect / PadOneSide_left_Reflect", () => {
  assert.deepEqual(run("REFLECT", [2, 3], INPUT, [0, 0, 0, 0], [2, 3]), INPUT);
  assert.deepEqual(run("REFLECT", [2, 3], INPUT, [0, 1, 0, 1], [3, 4]), [1, 2, 3, 2, 4, 5, 6, 5, 1, 2, 3, 2]);
  assert.deepEqual(run("REFLECT", [2, 3], INPUT, [1, 0, 1, 0], [3, 4]), [5, 4, 5, 6, 2, 1, 2, 3, 5, 4, 5, 6]);
});

test("PadOneSide_right_Symmetric / PadOneSide_left_Symmetric", () => {
  assert.deepEqual(run("SYMMETRIC", [2, 3], INPUT, [0, 1, 0, 1], [3, 4]), [1, 2, 3, 3, 4, 5, 6, 6, 4, 5, 6, 6]);
  assert.deepEqual(run("SYMMETRIC", [2, 3], INPUT, [1, 0, 1, 0], [3, 4]), [1, 1, 2, 3, 1, 1, 2, 3, 4, 4, 5, 6]);
});

test("PadBothSides_Symmetric / PadBothSides_Reflect", () => {
  assert.deepEqual(
    run("SYMMETRIC", [2, 3], INPUT, [1, 1, 1, 1], [4, 5]),
    [1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 4, 4, 5, 6, 6],
  );
  assert.deepEqual(
    run("REFLECT", [2, 3], INPUT, [1, 1, 1, 1], [4, 5], { constant: true }),
    [5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2],
  );
});

test("PadBothSides_Symmetric_Whole / PadBothSides_Reflect_Whole / Pad_Symmetric", () => {
  assert.deepEqual(
    run("SYMMETRIC", [2, 3], INPUT, [2, 2, 3, 3], [6, 9], { constant: true, padType: "int64" }),
    [
      6, 5, 4, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1, 2, 3, 3, 2, 1, 3, 2, 1, 1, 2, 3, 3, 2, 1, 6, 5, 4, 4, 5, 6, 6, 5, 4, 6, 5,
      4, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1, 2, 3, 3, 2, 1,
    ],
  );
  assert.deepEqual(
    run("REFLECT", [2, 3], INPUT, [1, 1, 2, 2], [4, 7]),
    [6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1],
  );
  assert.deepEqual(
    run("SYMMETRIC", [2, 3], INPUT, [1, 1, 2, 2], [4, 7], { dtype: "float32" }),
    [2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2, 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5],
  );
});

test("Pad_1D_Reflect / Pad_1D_Symmetric", () => {
  assert.deepEqual(run("REFLECT", [3], [1, 2, 3], [0, 2], [5]), [1, 2, 3, 2, 1]);
  assert.deepEqual(run("SYMMETRIC", [3], [1, 2, 3], [0, 2], [5]), [1, 2, 3, 3, 2]);
});

test("a left padding past the mirror is rejected; paddings must be [rank, 2]", () => {
  assert.throws(() => run("REFLECT", [3], [1, 2, 3], [3, 0], [6], { constant: true }), /left padding 3 is too large/);
  assert.throws(() => run("REFLECT", [3], [1, 2, 3], [3, 0], [6]), /left padding 3 is too large/);
  assert.throws(
    () =>
      runKernel(mirrorPad, {
        inputs: [
          { dtype: "int8", shape: [3], data: [1, 2, 3] },
          { dtype: "int32", shape: [2], data: [0, 2], constant: true },
        ],
        outputs: [{ dtype: "int8", shape: [5] }],
      }),
    /must be \[1, 2\]/,
  );
});
