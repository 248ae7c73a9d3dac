/**
 * TRANSPOSE_CONV goldens from TFLM kernels/transpose_conv_test.cc (test names kept). The "...Compressed"
 * cases of that file are run here uncompressed (compression only changes how weights are stored); their
 * tolerances are kept: 0 for the int8 single-channel case, 81 for the 16x8 multi-channel ones.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { roundHalfAway } from "../../../src/kernels/fixed-point.js";
import { transposeConv } from "../../../src/kernels/transpose-conv.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";

const f = Math.fround;

const INPUT_SHAPE = [1, 4, 4, 2];
const INPUT_DATA = Array.from({ length: 32 }, (_, i) => i + 1);
const FILTER_SHAPE = [1, 3, 3, 2];
const FILTER_DATA = Array.from({ length: 18 }, (_, i) => i + 1);
const OUTPUT_SHAPE = [1, 4, 4, 1];
const GOLDEN = [184, 412, 568, 528, 678, 1347, 1689, 1434, 1494, 2715, 3057, 2442, 1968, 3352, 3652, 2760];

interface Conv {
  padding: "SAME" | "VALID";
  stride: number;
  activation: string;
}
const SAME_1: Conv = { padding: "SAME", stride: 1, activation: "NONE" };

function run(conv: Conv, input: TensorSpec, filter: TensorSpec, bias: TensorSpec | null, output: TensorSpec) {
  const { outputs } = runKernel(transposeConv, {
    opName: "TRANSPOSE_CONV",
    options: {
      padding: conv.padding,
      strideH: conv.stride,
      strideW: conv.stride,
      fusedActivationFunction: conv.activation,
    },
    inputs: [
      { dtype: "int32", shape: [4], data: output.shape, constant: true },
      { ...filter, constant: true },
      input,
      bias ? { ...bias, constant: true } : null,
    ],
    outputs: [output],
  });
  return Array.from(outputs[0] as Float32Array, Number);
}

function floatRun(conv: Conv, shapes: number[][], input: number[], filter: number[], bias: number[], golden: number[]) {
  const [inputShape, filterShape, biasShape, outputShape] = shapes as [number[], number[], number[], number[]];
  const out = run(
    conv,
    { dtype: "float32", shape: inputShape, data: input },
    { dtype: "float32", shape: filterShape, data: filter },
    { dtype: "float32", shape: biasShape, data: bias },
    { dtype: "float32", shape: outputShape },
  );
  assertNear(out, golden, 1e-5);
}

function assertNear(actual: number[], expected: number[], tolerance: number) {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]!) <= tolerance, `element ${i}: ${a} vs ${expected[i]} (±${tolerance})`);
  });
}

/** test_helpers quantization: round(value / scale) + zero point, clamped (symmetric types drop the minimum). */
function quantize(values: number[], scale: number, zeroPoint: number, dtype: DType, symmetric = false): number[] {
  const [min, max] =
    dtype === "int8"
      ? [-128, 127]
      : dtype === "int16"
        ? [-32768, 32767]
        : [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
  return values.map((v) =>
    Math.min(max, Math.max(symmetric ? min + 1 : min, roundHalfAway(f(v / f(scale))) + zeroPoint)),
  );
}

/** Per-channel symmetric int8 weights along dimension 0, with the given or derived (max |w| / 127) scales. */
function perChannelWeights(values: number[], shape: number[], scales?: number[]): TensorSpec {
  const channels = shape[0]!;
  const per = values.length / channels;
  const channelScales: number[] = [];
  const data: number[] = [];
  for (let c = 0; c < channels; c++) {
    const slice = values.slice(c * per, (c + 1) * per);
    const scale = scales?.[c] ?? f(Math.max(...slice.map(Math.abs)) / 127);
    channelScales.push(scale);
    data.push(...quantize(slice, scale, 0, "int8", true));
  }
  return { dtype: "int8", shape, data, scale: channelScales, zeroPoint: 0, quantizedDimension: 0 };
}

test("SimpleTestFloat", () => {
  floatRun(SAME_1, [INPUT_SHAPE, FILTER_SHAPE, [1], OUTPUT_SHAPE], INPUT_DATA, FILTER_DATA, [0], GOLDEN);
});

test("fusedRELUTest", () => {
  const input = [1, 2, -3, -4, 5, 6, -7, -8, 9, 10, -11, -12, 13, 14, 15, 16];
  const golden = [29, 24, 0, 0, 99, 72, 0, 0, 207, 186, 0, 0, 263, 292, 141, 0];
  const conv: Conv = { padding: "SAME", stride: 1, activation: "RELU" };
  floatRun(conv, [[1, 4, 4, 1], [1, 3, 3, 1], [1], OUTPUT_SHAPE], input, [1, 2, 3, 4, 5, 6, 7, 8, 9], [0], golden);
});

test("AccuracyWithFusedActivationTest", () => {
  const golden = [1615, 1938, 0, 0, 2584, 1615, 0, 0, 323, 1292, 0, 0];
  const conv: Conv = { padding: "SAME", stride: 3, activation: "RELU" };
  floatRun(
    conv,
    [[1, 1, 2, 1], [1, 3, 3, 1], [1], [1, 3, 4, 1]],
    [323, -521],
    [9, 5, 6, 9, 8, 5, 3, 1, 4],
    [0],
    golden,
  );
});

test("MultiChannelBiasWithFusedActivationTest", () => {
  // prettier-ignore
  const golden = [
    4, 6, 6, 8, 10, 14, 9, 12, 13, 16, 10, 12, 12, 14, 28, 32, 21, 24, 25, 28, 13, 12, 9, 8, 35, 40, 45, 52, 57, 64, 0,
    0, 0, 0, 0, 0, 39, 44, 47, 52, 0, 0, 0, 0, 4, 6, 63, 68, 71, 76,
  ];
  const filter = [1, 3, 5, 7, 9, 11, 13, 15, 17, 2, 4, 6, 8, 10, 12, 14, 16, 18];
  const conv: Conv = { padding: "VALID", stride: 2, activation: "RELU" };
  floatRun(conv, [[1, 2, 2, 1], [2, 3, 3, 1], [2], [1, 5, 5, 2]], [1, 2, -3, 4], filter, [3, 4], golden);
});

test("SimpleTestQuantizedPerChannel", () => {
  const out = run(
    SAME_1,
    { dtype: "int8", shape: INPUT_SHAPE, data: quantize(INPUT_DATA, 0.5, 0, "int8"), scale: 0.5, zeroPoint: 0 },
    perChannelWeights(FILTER_DATA, FILTER_SHAPE),
    { dtype: "int32", shape: [1], data: [0] },
    { dtype: "int8", shape: OUTPUT_SHAPE, scale: 30, zeroPoint: 0 },
  );
  assertNear(out, quantize(GOLDEN, 30, 0, "int8"), 1);
});

for (const biasType of ["int64", "int16"] as const) {
  const name =
    biasType === "int64" ? "SimpleTestQuantized16x8PerChannel" : "SimpleTestQuantized16x8PerChannelWithInt16Bias";
  test(name, () => {
    const out = run(
      SAME_1,
      { dtype: "int16", shape: INPUT_SHAPE, data: INPUT_DATA, scale: 1, zeroPoint: 0 },
      perChannelWeights(FILTER_DATA, FILTER_SHAPE),
      { dtype: biasType, shape: [1], data: [0] },
      { dtype: "int16", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
    );
    assertNear(out, quantize(GOLDEN, 1, 0, "int16"), 4);
  });
}

test("SimpleTestQuantizedPerChannelSingleChannel (from ...Compressed, exact)", () => {
  const inputScale = f(16 / 255);
  const filterScale = f(9 / 127);
  const input = Array.from({ length: 16 }, (_, i) => i + 1);
  const golden = [30, 62, 84, 76, 100, 194, 238, 200, 208, 372, 418, 330, 264, 446, 486, 366];
  const out = run(
    SAME_1,
    {
      dtype: "int8",
      shape: [1, 4, 4, 1],
      data: quantize(input, inputScale, -128, "int8"),
      scale: inputScale,
      zeroPoint: -128,
    },
    perChannelWeights([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1], [filterScale]),
    { dtype: "int32", shape: [1], data: quantize([1], f(inputScale * filterScale), 0, "int32") },
    { dtype: "int8", shape: [1, 4, 4, 1], scale: 2, zeroPoint: -128 },
  );
  assert.deepEqual(out, quantize(golden, 2, -128, "int8"));
});

for (const biasType of ["int16", "int64"] as const) {
  const bits = biasType === "int16" ? 16 : 64;
  test(`SimpleBiasTestQuantizedPerChannelBias${bits}MultiChannel (from ...Compressed)`, () => {
    const inputScale = f(4 / 127);
    const filterScales = [f(7 / 127), f(8 / 127)];
    const input = [3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4];
    const filter = [1, 2, 3, 4, 3, 4, 5, 6, 7, 8, 5, 6, 3, 4, 1, 2];
    const bias = [3, -2].map((b, c) => quantize([b], f(inputScale * filterScales[c]!), 0, biasType, true)[0]!);
    const outputScale = f(128 / 65536);
    const golden = [10, 35, 19, 24, -6, -41, 30, 64, 51, 40, -29, -64];
    const out = run(
      SAME_1,
      {
        dtype: "int16",
        shape: [1, 2, 3, 2],
        data: quantize(input, inputScale, 0, "int16"),
        scale: inputScale,
        zeroPoint: 0,
      },
      perChannelWeights(filter, [2, 2, 2, 2], filterScales),
      { dtype: biasType, shape: [2], data: bias },
      { dtype: "int16", shape: [1, 2, 3, 2], scale: outputScale, zeroPoint: 0 },
    );
    assertNear(out, quantize(golden, outputScale, 0, "int16"), 81);
  });
}

test("InputOutputDifferentTypeIsError", () => {
  assert.throws(
    () =>
      run(
        SAME_1,
        { dtype: "float32", shape: FILTER_SHAPE, data: FILTER_DATA },
        { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
        { dtype: "float32", shape: [1], data: [0] },
        { dtype: "int8", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
      ),
    /TRANSPOSE_CONV: output type int8 differs from input float32/,
  );
});

test("HybridModeIsError", () => {
  assert.throws(
    () =>
      run(
        SAME_1,
        { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
        { dtype: "int8", shape: FILTER_SHAPE, data: new Array(18).fill(0), scale: 1, zeroPoint: 0 },
        { dtype: "float32", shape: [1], data: [0] },
        { dtype: "float32", shape: OUTPUT_SHAPE },
      ),
    /weights of type int8 with float32 input are not supported/,
  );
});

test("works without the optional bias", () => {
  const out = run(
    SAME_1,
    { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
    { dtype: "float32", shape: FILTER_SHAPE, data: FILTER_DATA },
    null,
    { dtype: "float32", shape: OUTPUT_SHAPE },
  );
  assertNear(out, GOLDEN, 1e-5);
});

test("macs counts only the taps that land inside the output", () => {
  const tensor = (shape: number[]) =>
    ({
      dtype: "float32",
      shape,
      elementCount: shape.reduce((a, b) => a * b, 1),
      data: null,
      quantization: null,
    }) as never;
  const ctx = {
    node: { opName: "TRANSPOSE_CONV", options: { padding: "SAME", strideH: 3, strideW: 3 } },
    inputs: [tensor([4]), tensor([1, 3, 3, 1]), tensor([1, 1, 2, 1])],
    outputs: [tensor([1, 3, 4, 1])],
    intermediates: [],
    requestScratch: () => 0,
  } as never;
  // AccuracyWithFusedActivationTest's geometry: stride 3 = filter size, so each output gets one product.
  assert.equal(transposeConv.macs!(ctx), 12);
});
