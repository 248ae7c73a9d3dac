/** AVERAGE_POOL_2D goldens from TFLM kernels/pooling_test.cc (test names kept), float and int8/int16. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { averagePool2d } from "../../../src/kernels/average-pool-2d.js";
import { runKernel } from "../../support/kernel-harness.js";

interface PoolCase {
  dtype: DType;
  input: number[];
  outputShape: number[];
  filter: [number, number];
  stride: [number, number];
  padding: "SAME" | "VALID";
  activation: string;
}

/** Input [1, 2, 4, 1] as in every pooling_test.cc case; quantized cases use scale 0.25 and zero point 0. */
function pool(c: PoolCase): number[] {
  const quantized = c.dtype !== "float32" ? { scale: 0.25, zeroPoint: 0 } : {};
  const { outputs } = runKernel(averagePool2d, {
    opName: "AVERAGE_POOL_2D",
    options: {
      padding: c.padding,
      filterHeight: c.filter[0],
      filterWidth: c.filter[1],
      strideH: c.stride[0],
      strideW: c.stride[1],
      fusedActivationFunction: c.activation,
    },
    inputs: [{ dtype: c.dtype, shape: [1, 2, 4, 1], data: c.input, ...quantized }],
    outputs: [{ dtype: c.dtype, shape: c.outputShape, ...quantized }],
  });
  return Array.from(outputs[0] as Float32Array);
}

test("SimpleAveragePoolTestFloat", () => {
  const out = pool({
    dtype: "float32",
    input: [0, 6, 2, 4, 3, 2, 10, 7],
    outputShape: [1, 1, 2, 1],
    filter: [2, 2],
    stride: [2, 2],
    padding: "VALID",
    activation: "NONE",
  });
  assert.deepEqual(out, [2.75, 5.75]);
});

for (const dtype of ["int8", "int16"] as const) {
  const name = dtype === "int8" ? "Int8" : "Int16";
  const base = { dtype, filter: [2, 2] as [number, number], padding: "VALID" as const };

  test(`SimpleAveragePoolTest${name}PaddingValidStride2ActNone`, () => {
    const input = [0, -24, 8, 16, 12, 8, -40, 28];
    const out = pool({ ...base, input, outputShape: [1, 1, 2, 1], stride: [2, 2], activation: "NONE" });
    assert.deepEqual(out, [-1, 3]);
  });

  test(`SimpleAveragePoolTest${name}PaddingValidStride1Stride2Relu`, () => {
    const input = [0, -24, 8, 16, 12, 8, -40, 28];
    const out = pool({ ...base, input, outputShape: [1, 1, 3, 1], stride: [2, 1], activation: "RELU" });
    assert.deepEqual(out, [0, 0, 3]);
  });

  test(`SimpleAveragePoolTest${name}PaddingValidStride2Stride1ReluN1To1`, () => {
    const input = [0, -24, 8, 16, 12, 8, -40, 28];
    const out = pool({ ...base, input, outputShape: [1, 1, 2, 1], stride: [1, 2], activation: "RELU_N1_TO_1" });
    assert.deepEqual(out, [-1, 3]);
  });

  test(`SimpleAveragePoolTest${name}PaddingValidStride2Relu6`, () => {
    const input = [12, -24, 32, 16, 12, 8, 40, 28];
    const out = pool({ ...base, input, outputShape: [1, 1, 2, 1], stride: [2, 2], activation: "RELU6" });
    assert.deepEqual(out, [2, 24]);
  });

  test(`SimpleAveragePoolTest${name}PaddingSameStride1ActNone`, () => {
    // TFLM's test declares VALID padding with a 2×4 output: padding comes from the options (0 here) and eval
    // walks the output tensor, averaging windows clipped at the bottom and right edges.
    const input = [12, -24, 32, 16, 12, 8, 40, 28];
    const out = pool({ ...base, input, outputShape: [1, 2, 4, 1], stride: [1, 1], activation: "NONE" });
    assert.deepEqual(out, [2, 14, 29, 22, 10, 24, 34, 28]);
  });
}

test("integer means round half away from zero, windows clipped by SAME padding count only real inputs", () => {
  // 3×3 window, SAME, stride 1 over a 2×4 image: corner windows hold 4 values, edge ones 6.
  const out = pool({
    dtype: "int8",
    input: [1, 2, 3, 4, -5, -6, -7, -9],
    outputShape: [1, 2, 4, 1],
    filter: [3, 3],
    stride: [1, 1],
    padding: "SAME",
    activation: "NONE",
  });
  // (1+2-5-6)/4 = -2, (1+2+3-5-6-7)/6 = -2, (2+3+4-6-7-9)/6 = -13/6 → -2, (3+4-7-9)/4 = -9/4 → -2
  assert.deepEqual(out, [-2, -2, -2, -2, -2, -2, -2, -2]);
  const halves = pool({
    dtype: "int16",
    input: [1, 2, 0, 0, 0, 0, -1, -2],
    outputShape: [1, 1, 2, 1],
    filter: [2, 2],
    stride: [2, 2],
    padding: "VALID",
    activation: "NONE",
  });
  // 3/4 → 1 and -3/4 → -1: (acc ± count/2) / count with C truncation.
  assert.deepEqual(halves, [1, -1]);
});

test("rejects mismatched input and output quantization, and unsupported types", () => {
  const options = { padding: "VALID", filterHeight: 1, filterWidth: 1, strideH: 1, strideW: 1 };
  assert.throws(
    () =>
      runKernel(averagePool2d, {
        opName: "AVERAGE_POOL_2D",
        options,
        inputs: [{ dtype: "int8", shape: [1, 1, 1, 1], data: [0], scale: 0.5, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1, 1, 1, 1], scale: 0.25, zeroPoint: 0 }],
      }),
    /AVERAGE_POOL_2D: input and output quantization must match/,
  );
  assert.throws(
    () =>
      runKernel(averagePool2d, {
        opName: "AVERAGE_POOL_2D",
        options,
        inputs: [{ dtype: "uint8", shape: [1, 1, 1, 1], data: [0] }],
        outputs: [{ dtype: "uint8", shape: [1, 1, 1, 1] }],
      }),
    /input type uint8 is not supported/,
  );
});
