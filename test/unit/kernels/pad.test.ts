/** PAD / PADV2 goldens from TFLM kernels/pad_test.cc. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { pad } from "../../../src/kernels/pad.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";

const PADDINGS: TensorSpec = { dtype: "int32", shape: [4, 2], data: [1, 1, 0, 0, 1, 1, 0, 0], constant: true };
const GOLDEN_ZERO = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const GOLDEN_42 = GOLDEN_ZERO.map((v) => (v === 0 ? 42 : v));

function run2d(dtype: DType, padValue?: number, quant?: { scale: number; zeroPoint: number }): number[] {
  const q = quant ?? (dtype === "float32" ? {} : { scale: 1, zeroPoint: 0 });
  const inputs: TensorSpec[] = [{ dtype, shape: [1, 2, 2, 1], data: [1, 2, 3, 4], ...q }, PADDINGS];
  if (padValue !== undefined) inputs.push({ dtype, shape: [1], data: [padValue], ...q });
  const { outputs } = runKernel(pad, { inputs, outputs: [{ dtype, shape: [3, 2, 4, 1], ...q }] });
  return Array.from(outputs[0] as Float32Array);
}

test("Test2DFloat / Test2DInt8 / Test2DInt16 / Test2DInt32", () => {
  for (const dtype of ["float32", "int8", "int16", "int32"] as const)
    assert.deepEqual(run2d(dtype), GOLDEN_ZERO, dtype);
});

test("Test2DFloatV2 / Test2DInt8V2 / Test2DInt16V2 / Test2DInt32V2: constant_values 42", () => {
  for (const dtype of ["float32", "int8", "int16", "int32"] as const)
    assert.deepEqual(run2d(dtype, 42), GOLDEN_42, dtype);
});

test("Test4DFloat: one value padded by 1 on every side", () => {
  const { outputs } = runKernel(pad, {
    inputs: [
      { dtype: "float32", shape: [1, 1, 1, 1], data: [42] },
      { dtype: "int32", shape: [4, 2], data: [1, 1, 1, 1, 1, 1, 1, 1], constant: true },
    ],
    outputs: [{ dtype: "float32", shape: [3, 3, 3, 3] }],
  });
  const golden = new Array<number>(81).fill(0);
  golden[40] = 42;
  assert.deepEqual(Array.from(outputs[0] as Float32Array), golden);
});

test("int8 PAD fills with the output zero point", () => {
  // Not a TFLM golden: int8 pads with the output zero point (zero point -5, scale 1, data shifted by it).
  const { outputs } = runKernel(pad, {
    inputs: [{ dtype: "int8", shape: [1, 2, 2, 1], data: [-4, -3, -2, -1], scale: 1, zeroPoint: -5 }, PADDINGS],
    outputs: [{ dtype: "int8", shape: [3, 2, 4, 1], scale: 1, zeroPoint: -5 }],
  });
  assert.deepEqual(
    Array.from(outputs[0] as Int8Array),
    GOLDEN_ZERO.map((v) => v - 5),
  );
});

test("Test2DInt8V2ExpectFailurePadValueQuantizationMismatch2", () => {
  assert.throws(
    () =>
      runKernel(pad, {
        inputs: [
          { dtype: "int8", shape: [1, 2, 2, 1], data: [1, 2, 3, 4], scale: 1, zeroPoint: 0 },
          PADDINGS,
          { dtype: "int8", shape: [1], data: [84], scale: 0.5, zeroPoint: 0 },
        ],
        outputs: [{ dtype: "int8", shape: [3, 2, 4, 1], scale: 1, zeroPoint: 0 }],
      }),
    /constant_values must share/,
  );
});

test("Test2DInt8ExpectFailureQuantizationRangeExcludesZero", () => {
  assert.throws(() => run2d("int8", undefined, { scale: 1, zeroPoint: 129 }), /outside the int8 range/);
});

test("rejects an output shape that disagrees with the paddings", () => {
  assert.throws(
    () =>
      runKernel(pad, {
        inputs: [{ dtype: "float32", shape: [1, 2, 2, 1], data: [1, 2, 3, 4] }, PADDINGS],
        outputs: [{ dtype: "float32", shape: [3, 2, 5, 1] }],
      }),
    /output dim 2 is 5/,
  );
});
