/**
 * STRIDED_SLICE goldens from TFLM kernels/strided_slice_test.cc, one row per TEST (inputs trimmed to the
 * declared shape, goldens to the output size). Masks are [begin, end, ellipsis, new_axis, shrink_axis].
 * A null golden means TFLM only checks that the case prepares; UnsupportedInputSize must fail to prepare.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { stridedSlice } from "../../../src/kernels/strided-slice.js";
import { runKernel } from "../../support/kernel-harness.js";

type Case = [string, DType, number[], number[], number[], number[], number[], number[], number[], number[] | null];

// biome-ignore format: one TFLM test per line
const CASES: Case[] = [
  ["UnsupportedInputSize", "float32", [2, 2, 2, 2, 2], [0.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0], [0], [0], [0, 0, 0, 0, 0], [], null],
  ["In1D", "float32", [4], [1, 2, 3, 4], [1], [3], [1], [0, 0, 0, 0, 0], [2], [2, 3]],
  ["In1D_EmptyOutput", "float32", [4], [1, 2, 3, 4], [10], [3], [1], [0, 0, 0, 0, 0], [0], []],
  ["In1D_NegativeBegin", "float32", [4], [1, 2, 3, 4], [-3], [3], [1], [0, 0, 0, 0, 0], [2], [2, 3]],
  ["In1D_OutOfRangeBegin", "float32", [4], [1, 2, 3, 4], [-5], [3], [1], [0, 0, 0, 0, 0], [3], [1, 2, 3]],
  ["In1D_NegativeEnd", "float32", [4], [1, 2, 3, 4], [1], [-2], [1], [0, 0, 0, 0, 0], [1], [2]],
  ["In1D_OutOfRangeEnd", "float32", [4], [1, 2, 3, 4], [-3], [5], [1], [0, 0, 0, 0, 0], [3], [2, 3, 4]],
  ["In1D_BeginMask", "float32", [4], [1, 2, 3, 4], [1], [3], [1], [1, 0, 0, 0, 0], [3], [1, 2, 3]],
  ["In1D_NegativeBeginNegativeStride", "float32", [4], [1, 2, 3, 4], [-2], [-3], [-1], [0, 0, 0, 0, 0], [1], [3]],
  ["In1D_OutOfRangeBeginNegativeStride", "float32", [4], [1, 2, 3, 4], [5], [2], [-1], [0, 0, 0, 0, 0], [1], [4]],
  ["In1D_NegativeEndNegativeStride", "float32", [4], [1, 2, 3, 4], [2], [-4], [-1], [0, 0, 0, 0, 0], [2], [3, 2]],
  ["In1D_OutOfRangeEndNegativeStride", "float32", [4], [1, 2, 3, 4], [-3], [-5], [-1], [0, 0, 0, 0, 0], [2], [2, 1]],
  ["In1D_EndMask", "float32", [4], [1, 2, 3, 4], [1], [3], [1], [0, 1, 0, 0, 0], [3], [2, 3, 4]],
  ["In1D_NegStride", "float32", [3], [1, 2, 3], [-1], [-4], [-1], [0, 0, 0, 0, 0], [3], [3, 2, 1]],
  ["In1D_EvenLenStride2", "float32", [2], [1, 2], [0], [4], [2], [0, 0, 0, 0, 0], [1], [1]],
  ["In1D_OddLenStride2", "float32", [3], [1, 2, 3], [0], [3], [2], [0, 0, 0, 0, 0], [2], [1, 3]],
  ["In2D_Identity", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [0, 0], [2, 3], [1, 1], [0, 0, 0, 0, 0], [2, 3], [1, 2, 3, 4, 5, 6]],
  ["In2D", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, 0], [2, 2], [1, 1], [0, 0, 0, 0, 0], [1, 2], [4, 5]],
  ["In2D_Stride2", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [0, 0], [2, 3], [2, 2], [0, 0, 0, 0, 0], [1, 2], [1, 3]],
  ["In2D_NegStride", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, -1], [2, -4], [2, -1], [0, 0, 0, 0, 0], [1, 3], [6, 5, 4]],
  ["In2D_BeginMask", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, 0], [2, 2], [1, 1], [1, 0, 0, 0, 0], [2, 2], [1, 2, 4, 5]],
  ["In2D_EndMask", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, 0], [2, 2], [1, 1], [0, 2, 0, 0, 0], [1, 3], [4, 5, 6]],
  ["In2D_NegStrideBeginMask", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, -2], [2, -4], [1, -1], [2, 0, 0, 0, 0], [1, 3], [6, 5, 4]],
  ["In2D_NegStrideEndMask", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, -2], [2, -3], [1, -1], [0, 2, 0, 0, 0], [1, 2], [5, 4]],
  ["In3D_Identity", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 3, 2], [1, 1, 1], [0, 0, 0, 0, 0], [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
  ["In3D_NegStride", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 3, 2], [1, 1, 1], [0, 0, 0, 0, 0], [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
  ["In3D_Strided2", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 3, 2], [2, 2, 2], [0, 0, 0, 0, 0], [1, 2, 1], [1, 5]],
  ["In1D_ShrinkAxisMask1", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 3, 2], [1, 1, 1], [0, 0, 0, 0, 0], [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]],
  ["In1D_ShrinkAxisMask1_NegativeSlice", "float32", [4], [0, 1, 2, 3], [-1], [0], [1], [0, 0, 0, 0, 1], [], [3]],
  ["In2D_ShrinkAxis3_NegativeSlice", "float32", [4, 1], [0, 1, 2, 3], [-2, -1], [-1, 0], [1, 1], [0, 0, 0, 0, 3], [], [2]],
  ["In2D_ShrinkAxis2_BeginEndAxis1_NegativeSlice", "float32", [4, 1], [0, 1, 2, 3], [0, -1], [0, 0], [1, 1], [1, 1, 0, 0, 2], [4], [0, 1, 2, 3]],
  ["In1D_BeginMaskShrinkAxisMask1", "float32", [4], [1, 2, 3, 4], [1], [1], [1], [1, 0, 0, 0, 1], [], [1]],
  ["In2D_ShrinkAxisMask1", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [0, 0], [1, 3], [1, 1], [0, 0, 0, 0, 1], [3], [1, 2, 3]],
  ["In2D_ShrinkAxisMask2", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [0, 0], [2, 1], [1, 1], [0, 0, 0, 0, 2], [2], [1, 4]],
  ["In2D_ShrinkAxisMask3", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [0, 0], [1, 1], [1, 1], [0, 0, 0, 0, 3], [], [1]],
  ["In3D_IdentityShrinkAxis1", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 3, 2], [1, 1, 1], [0, 0, 0, 0, 1], [3, 2], [1, 2, 3, 4, 5, 6]],
  ["In3D_IdentityShrinkAxis2", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 1, 2], [1, 1, 1], [0, 0, 0, 0, 2], [2, 2], [1, 2, 7, 8]],
  ["In3D_IdentityShrinkAxis3", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 1, 2], [1, 1, 1], [0, 0, 0, 0, 3], [2], [1, 2]],
  ["In3D_IdentityShrinkAxis4", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 3, 2], [1, 1, 1], [0, 0, 0, 0, 4], [2, 3], [1, 3, 5, 7, 9, 11]],
  ["In3D_IdentityShrinkAxis5", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 3, 1], [1, 1, 1], [0, 0, 0, 0, 5], [3], [1, 3, 5]],
  ["In3D_IdentityShrinkAxis6", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 1, 1], [1, 1, 1], [0, 0, 0, 0, 6], [2], [1, 7]],
  ["In3D_IdentityShrinkAxis7", "float32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 1, 1], [1, 1, 1], [0, 0, 0, 0, 7], [], [1]],
  ["RunTwice", "float32", [2, 3], [1, 2, 3, 4, 5, 6], [1, 0], [2, 2], [1, 1], [1, 0, 0, 0, 0], [2, 2], [1, 2, 4, 5]],
  ["In3D_IdentityShrinkAxis1int8", "int8", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 3, 2], [1, 1, 1], [0, 0, 0, 0, 1], [3, 2], [1, 2, 3, 4, 5, 6]],
  ["In3D_IdentityShrinkAxis1int16", "int16", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 3, 2], [1, 1, 1], [0, 0, 0, 0, 1], [3, 2], [1, 2, 3, 4, 5, 6]],
  ["In3D_IdentityShrinkAxis1int32", "int32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [1, 3, 2], [1, 1, 1], [0, 0, 0, 0, 1], [3, 2], [1, 2, 3, 4, 5, 6]],
  ["In3D_Strided2int32", "int32", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0, 0, 0], [2, 3, 2], [2, 2, 2], [0, 0, 0, 0, 0], [1, 2, 1], [1, 5]],
  ["In3D_Strided2bool", "bool", [2, 3, 2], [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0], [2, 3, 2], [2, 2, 2], [0, 0, 0, 0, 0], [1, 2, 1], [1, 1]],
  ["MinusThreeMinusFourMinusOne", "float32", [4], [1, 2, 3, 4], [-3], [-4], [-1], [0, 0, 0, 0, 0], [1], [2]],
  ["MinusFourMinusThreeOne", "float32", [4], [1, 2, 3, 4], [-4], [-3], [1], [0, 0, 0, 0, 0], [1], [1]],
  ["In3D_BackwardSmallBeginEndMask", "float32", [1], [1], [1], [0], [1], [0, 1, 0, 0, 0], [0], null],
  ["OneOneOne", "float32", [1], [1], [1], [1], [1], [0, 0, 0, 0, 0], [0], null],
  ["StrideOutOfBounds", "float32", [1], [0.0], [1], [4], [7], [0, 0, 0, 0, 1], [], null],
  ["OutOfBounds", "float32", [1], [0.0], [1], [2], [1], [0, 0, 0, 0, 1], [], null],
];

function run(c: Case, invocations = 1) {
  const [, dtype, shape, input, begin, end, strides, masks, outputShape] = c;
  const vector = (data: number[]) => ({ dtype: "int32" as const, shape: [data.length], data, constant: true });
  return runKernel(stridedSlice, {
    options: {
      beginMask: masks[0],
      endMask: masks[1],
      ellipsisMask: masks[2],
      newAxisMask: masks[3],
      shrinkAxisMask: masks[4],
      offset: false,
    },
    inputs: [{ dtype, shape, data: input }, vector(begin), vector(end), vector(strides)],
    outputs: [{ dtype, shape: outputShape }],
    invocations,
  });
}

for (const c of CASES) {
  test(c[0], () => {
    if (c[0] === "UnsupportedInputSize") {
      assert.throws(() => run(c), /rank 5 exceeds 4/);
      return;
    }
    const { outputs, history } = run(c, c[0] === "RunTwice" ? 2 : 1);
    if (c[9]) {
      assert.deepEqual(Array.from(outputs[0] as Float32Array).slice(0, c[9].length), c[9]);
      for (const h of history) assert.deepEqual(Array.from(h[0] as Float32Array).slice(0, c[9].length), c[9]);
    }
  });
}

test("a slice whose output shape disagrees with the converter's is rejected", () => {
  const c: Case = ["bad", "float32", [4], [1, 2, 3, 4], [1], [3], [1], [0, 0, 0, 0, 0], [3], null];
  assert.throws(() => run(c), /output shape \[3\] differs from the slice's \[2\]/);
});

test("seanet-style 4-D int16 slice with begin/end masks and a negative begin", () => {
  // Not a TFLM golden: the shape of the seanet_strided_slice models (begin [0,-6,0,0], masks 13/15).
  const input = Array.from({ length: 1 * 8 * 3 * 2 }, (_, i) => i - 20);
  const { outputs } = runKernel(stridedSlice, {
    options: { beginMask: 13, endMask: 15, shrinkAxisMask: 0 },
    inputs: [
      { dtype: "int16", shape: [1, 8, 3, 2], data: input },
      { dtype: "int32", shape: [4], data: [0, -6, 0, 0], constant: true },
      { dtype: "int32", shape: [4], data: [0, 0, 0, 2], constant: true },
      { dtype: "int32", shape: [4], data: [1, 1, 1, 1], constant: true },
    ],
    outputs: [{ dtype: "int16", shape: [1, 6, 3, 2] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Int16Array), input.slice(12));
});
