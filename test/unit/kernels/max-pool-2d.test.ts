/** MAX_POOL_2D goldens from TFLM kernels/pooling_test.cc (test names kept), float and int8/int16. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { maxPool2d } from "../../../src/kernels/max-pool-2d.js";
import { runKernel } from "../../support/kernel-harness.js";

/** Input [1, 2, 4, 1] with a 2×2 filter, as in every pooling_test.cc max-pool case. */
function pool(
  dtype: DType,
  input: number[],
  outputShape: number[],
  stride: number,
  padding: "SAME" | "VALID",
  activation: string,
  scale = 1,
): number[] {
  const quantized = dtype !== "float32" ? { scale, zeroPoint: 0 } : {};
  const { outputs } = runKernel(maxPool2d, {
    opName: "MAX_POOL_2D",
    options: {
      padding,
      filterHeight: 2,
      filterWidth: 2,
      strideH: stride,
      strideW: stride,
      fusedActivationFunction: activation,
    },
    inputs: [{ dtype, shape: [1, 2, 4, 1], data: input, ...quantized }],
    outputs: [{ dtype, shape: outputShape, ...quantized }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const PAIR = [1, 1, 2, 1];

test("SimpleMaxPoolTestFloat", () => {
  assert.deepEqual(pool("float32", [0, 6, 2, 4, 3, 2, 10, 7], PAIR, 2, "VALID", "NONE"), [6, 10]);
});

test("SimpleMaxPoolTestFloatRelu", () => {
  assert.deepEqual(pool("float32", [-1, -6, 2, 4, -3, -2, 10.5, 7], PAIR, 2, "VALID", "RELU"), [0, 10.5]);
});

test("SimpleMaxPoolTestFloatReluN1To1", () => {
  const first = pool("float32", [-2.75, -6, 0.2, 0.4, -3, -2, -0.3, 0.7], PAIR, 2, "VALID", "RELU_N1_TO_1");
  assert.deepEqual(first, [-1, Math.fround(0.7)]);
  assert.deepEqual(pool("float32", [-2.75, -6, -2, -4, -3, -2, 10, -7], PAIR, 2, "VALID", "RELU_N1_TO_1"), [-1, 1]);
});

test("SimpleMaxPoolTestFloatRelu6", () => {
  assert.deepEqual(pool("float32", [-1.5, -6, 12, 4, -3, -2, 10, 7], PAIR, 2, "VALID", "RELU6"), [0, 6]);
  assert.deepEqual(pool("float32", [0, 4.5, 12, 4, 3, 2, 10, 7], PAIR, 2, "VALID", "RELU6"), [4.5, 6]);
});

test("SimpleMaxPoolTestPaddingSameStride1", () => {
  const out = pool("float32", [0, 6, 2, 4, 3, 2, 10, 7], [1, 2, 4, 1], 1, "SAME", "NONE");
  assert.deepEqual(out, [6, 10, 10, 7, 3, 10, 10, 7]);
});

test("SimpleMaxPoolTestPaddingValidStride1", () => {
  assert.deepEqual(pool("float32", [0, 6, 2, 4, 3, 2, 10, 7], [1, 1, 3, 1], 1, "VALID", "NONE"), [6, 10, 10]);
});

for (const dtype of ["int8", "int16"] as const) {
  const name = dtype === "int8" ? "Int8" : "Int16";
  test(`SimpleMaxPoolTest${name}ActNone`, () => {
    assert.deepEqual(pool(dtype, [0, 6, 2, 4, 3, 2, 10, 7], PAIR, 2, "VALID", "NONE"), [6, 10]);
  });
  test(`MaxPoolTest${name}ActRelu`, () => {
    assert.deepEqual(pool(dtype, [-3, -12, 4, 8, -6, -4, 20, 14], PAIR, 2, "VALID", "RELU", 0.5), [0, 20]);
  });
  test(`MaxPoolTest${name}ActReluN1To1`, () => {
    assert.deepEqual(pool(dtype, [-2, -6, -2, -4, -3, -2, 10, 7], PAIR, 2, "VALID", "RELU_N1_TO_1"), [-1, 1]);
  });
  test(`MaxPoolTest${name}ActRelu6`, () => {
    assert.deepEqual(pool(dtype, [0, -6, 12, 4, -3, -2, 10, 7], PAIR, 2, "VALID", "RELU6"), [0, 6]);
  });
}

test("rejects non-positive strides", () => {
  assert.throws(() => pool("float32", [0, 0, 0, 0, 0, 0, 0, 0], PAIR, 0, "VALID", "NONE"), /MAX_POOL_2D: strides/);
});
