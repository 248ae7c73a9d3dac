/**
 * CONV_2D goldens from TFLM kernels/conv_test.cc (test names kept). Tolerances: 1e-5 for float, 1 (TFLM's) for
 * the cases whose data TFLM quantizes from floats, exact for the int8 goldens of conv_test_data.cc (TFLM allows
 * 1 there too). Also the prepare-time rejections of that file, and the int8 1x1 fast path compared byte for
 * byte with the reference loops.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { conv2d } from "../../../src/kernels/conv-2d.js";
import { endTap, firstTap, requantizeFast, requantizeTables } from "../../../src/kernels/conv-common.js";
import {
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
} from "../../../src/kernels/fixed-point.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";
import {
  CONV_BIAS_QUANTIZED_8,
  CONV_FILTER_8X3X3X3,
  CONV_GOLDEN_OUTPUT_1X16X16X8,
  CONV_INPUT_1X32X32X3,
} from "./conv-golden-data.js";
import {
  assertNear,
  perChannelQuantize,
  quantizeBias,
  type Random,
  randomInt8Around,
  randomOutputScale,
  randomScale,
  seededRandom,
} from "./conv-test-support.js";

// conv_test.cc common data: 2x2x4x1 input, 3 filters of 2x2x1, stride 2, VALID.
const INPUT_SHAPE = [2, 2, 4, 1];
const INPUT_DATA = [1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4];
const FILTER_SHAPE = [3, 2, 2, 1];
const FILTER_DATA = [1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1];
const BIAS_SHAPE = [3];
const BIAS_DATA = [1, 2, 3];
const OUTPUT_SHAPE = [2, 1, 2, 3];
const GOLDEN = [18, 2, 5, 18, 2, 5, 17, 4, 3, 37, 4, 3];

interface ConvParams {
  padding?: "SAME" | "VALID";
  stride?: number;
  dilationW?: number;
  dilationH?: number;
  activation?: string;
}
const COMMON: ConvParams = { padding: "VALID", stride: 2 };

function options(p: ConvParams): Record<string, unknown> {
  return {
    padding: p.padding ?? "VALID",
    strideW: p.stride ?? 1,
    strideH: p.stride ?? 1,
    dilationWFactor: p.dilationW ?? 1,
    dilationHFactor: p.dilationH ?? 1,
    fusedActivationFunction: p.activation ?? "NONE",
  };
}

function runConv(p: ConvParams, input: TensorSpec, filter: TensorSpec, bias: TensorSpec | null, output: TensorSpec) {
  const { outputs } = runKernel(conv2d, {
    opName: "CONV_2D",
    options: options(p),
    inputs: [input, { constant: true, ...filter }, bias ? { constant: true, ...bias } : null],
    outputs: [output],
  });
  return outputs[0]!;
}

function floatTest(p: ConvParams, shapes: number[][], data: number[][], golden: number[]) {
  const [inShape, fShape, bShape, outShape] = shapes as [number[], number[], number[], number[]];
  const [inData, fData, bData] = data as [number[], number[], number[]];
  const out = runConv(
    p,
    { dtype: "float32", shape: inShape, data: inData },
    { dtype: "float32", shape: fShape, data: fData },
    { dtype: "float32", shape: bShape, data: bData },
    { dtype: "float32", shape: outShape },
  );
  assertNear(out as Float32Array, golden, 1e-5);
}

interface QuantizedCase {
  params: ConvParams;
  dtype: "int8" | "int16";
  biasType: "int32" | "int64";
  inputShape: number[];
  input: number[];
  inputScale: number;
  inputZeroPoint: number;
  filterShape: number[];
  filter: number[];
  bias: number[];
  outputShape: number[];
  golden: number[];
  outputScale: number;
  outputZeroPoint: number;
}

/** TFLM's TestConvQuantizedPerChannel: float data quantized by the test helpers, golden compared within 1. */
function quantizedPerChannelTest(c: QuantizedCase) {
  const filter = perChannelQuantize(c.filter, c.filterShape, 0);
  const out = runConv(
    c.params,
    {
      dtype: c.dtype,
      shape: c.inputShape,
      data: quantizeValues(c.input, c.inputScale, c.inputZeroPoint, c.dtype),
      scale: c.inputScale,
      zeroPoint: c.inputZeroPoint,
    },
    { dtype: "int8", shape: c.filterShape, data: filter.quantized, scale: filter.scales, zeroPoint: 0 },
    { dtype: c.biasType, shape: [c.bias.length], data: quantizeBias(c.bias, c.inputScale, filter.scales) },
    { dtype: c.dtype, shape: c.outputShape, scale: c.outputScale, zeroPoint: c.outputZeroPoint },
  );
  assertNear(out, quantizeValues(c.golden, c.outputScale, c.outputZeroPoint, c.dtype), 1);
}

const SIMPLE: Omit<QuantizedCase, "dtype" | "biasType"> = {
  params: COMMON,
  inputShape: INPUT_SHAPE,
  input: INPUT_DATA,
  inputScale: 0.5,
  inputZeroPoint: 0,
  filterShape: FILTER_SHAPE,
  filter: FILTER_DATA,
  bias: BIAS_DATA,
  outputShape: OUTPUT_SHAPE,
  golden: GOLDEN,
  outputScale: 1,
  outputZeroPoint: 0,
};

const RELU6: Omit<QuantizedCase, "dtype" | "biasType"> = {
  ...SIMPLE,
  params: { ...COMMON, activation: "RELU6" },
  bias: [1, 2, -3],
  golden: [6, 2, 0, 6, 2, 0, 6, 4, 0, 6, 4, 0],
  inputScale: 0.023529,
  outputScale: 0.023529,
};

const KERNEL_1X1: Omit<QuantizedCase, "dtype" | "biasType"> = {
  params: { padding: "VALID", stride: 1 },
  inputShape: [1, 2, 2, 4],
  input: [1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4],
  inputScale: 0.5,
  inputZeroPoint: 0,
  filterShape: [3, 1, 1, 4],
  filter: [1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1],
  bias: [1, 2, 3],
  outputShape: [1, 2, 2, 3],
  golden: [11, 2, 3, 21, 2, 3, 31, 4, 7, 31, 4, 7],
  outputScale: 1,
  outputZeroPoint: 0,
};

const KERNEL_1X1_RELU6: Omit<QuantizedCase, "dtype" | "biasType"> = {
  ...KERNEL_1X1,
  params: { padding: "VALID", stride: 1, activation: "RELU6" },
  bias: [1, 2, -3],
  golden: [6, 2, 0, 6, 2, 0, 6, 4, 1, 6, 4, 1],
  inputScale: 0.023529,
  outputScale: 0.023529,
};

test("SimpleTestFloat", () => {
  floatTest(
    COMMON,
    [INPUT_SHAPE, FILTER_SHAPE, BIAS_SHAPE, OUTPUT_SHAPE],
    [INPUT_DATA, FILTER_DATA, BIAS_DATA],
    GOLDEN,
  );
});

test("InputAndFilterSameWidthHeight", () => {
  floatTest(
    COMMON,
    [INPUT_SHAPE, [1, 2, 4, 1], [1], [2, 1, 1, 1]],
    [INPUT_DATA, [1, 2, 3, 4, -1, -1, 1, 1], [0]],
    [10, 34],
  );
});

test("SimpleTestQuantizedPerChannel", () => {
  quantizedPerChannelTest({ ...SIMPLE, dtype: "int8", biasType: "int32" });
});

test("SimpleTestQuantized16x8PerChannel64bBias", () => {
  quantizedPerChannelTest({ ...SIMPLE, dtype: "int16", biasType: "int64" });
});

test("SimpleTestQuantized16x8PerChannel32bBias", () => {
  quantizedPerChannelTest({ ...SIMPLE, dtype: "int16", biasType: "int32" });
});

test("SimpleTestDilatedQuantizedPerChannel", () => {
  quantizedPerChannelTest({
    ...SIMPLE,
    dtype: "int8",
    biasType: "int32",
    params: { ...COMMON, dilationW: 3, dilationH: 2 },
    inputShape: [2, 4, 6, 1],
    input: [
      1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 1, 2, 3, 4, 5, 6, 2, 6, 2, 4, 4, 2, 3, 2,
      6, 5, 1, 4, 1, 2, 1, 4, 6, 3,
    ],
    outputShape: [2, 2, 2, 3],
    golden: [25, 2, 7, 25, 2, 7, 10, 2, -3, 10, 2, -3, 39, 7, 6, 50, 3, 4, 14, 4, -5, 15, 0, -7],
  });
});

test("SimpleTestQuantizedPerChannelRelu6", () => {
  quantizedPerChannelTest({ ...RELU6, dtype: "int8", biasType: "int32", inputZeroPoint: -128, outputZeroPoint: -128 });
});

test("SimpleTestQuantized16x8PerChannelRelu664bBias", () => {
  quantizedPerChannelTest({ ...RELU6, dtype: "int16", biasType: "int64" });
});

test("SimpleTestQuantized16x8PerChannelRelu632bBias", () => {
  quantizedPerChannelTest({ ...RELU6, dtype: "int16", biasType: "int32" });
});

test("Kernel1x1QuantizedPerChannel", () => {
  quantizedPerChannelTest({ ...KERNEL_1X1, dtype: "int8", biasType: "int32" });
});

test("Kernel1x1QuantizedPerChannelRelu6", () => {
  quantizedPerChannelTest({
    ...KERNEL_1X1_RELU6,
    dtype: "int8",
    biasType: "int32",
    inputZeroPoint: -128,
    outputZeroPoint: -128,
  });
});

test("Kernel1x1Quantized16x8PerChannelRelu6", () => {
  quantizedPerChannelTest({ ...KERNEL_1X1_RELU6, dtype: "int16", biasType: "int64" });
});

test("16x8: int32 bias accumulates in int32 with 32-bit requantization; zero points are ignored", () => {
  // Not in conv_test.cc. TFLM's ConvPerChannel<int32> requantizes with the 32-bit MultiplyByQuantizedMultiplier,
  // ConvPerChannel<int64> with the 16-bit reduced multiplier; neither adds input or output zero points. The data
  // is chosen so the two accumulators round differently, and the expected values are computed here.
  const input = Array.from({ length: 20 }, (_, i) => ((i * 7919) % 60001) - 30000);
  const weights = Array.from({ length: 30 }, (_, i) => ((i * 37) % 255) - 127);
  const bias = [123456, -654321, 7];
  const [inputScale, filterScale, outputScale] = [0.0001, 0.01, 0.0007].map(Math.fround) as [number, number, number];
  const { multiplier, shift } = quantizeMultiplier((inputScale * filterScale) / outputScale);
  const expected32: number[] = [];
  const expected64: number[] = [];
  for (let p = 0; p < 2; p++) {
    for (let c = 0; c < 3; c++) {
      let acc = bias[c]!;
      for (let k = 0; k < 10; k++) acc += weights[c * 10 + k]! * input[p * 10 + k]!;
      expected32.push(Math.min(32767, Math.max(-32768, multiplyByQuantizedMultiplier(acc | 0, multiplier, shift))));
      expected64.push(Math.min(32767, Math.max(-32768, multiplyByQuantizedMultiplierInt64(acc, multiplier, shift))));
    }
  }
  assert.notDeepEqual(expected32, expected64, "test data must tell the two accumulators apart");
  const run = (biasType: "int32" | "int64") =>
    Array.from(
      runConv(
        { padding: "VALID", stride: 1 },
        { dtype: "int16", shape: [1, 1, 2, 10], data: input, scale: inputScale, zeroPoint: 5 },
        { dtype: "int8", shape: [3, 1, 1, 10], data: weights, scale: filterScale, zeroPoint: 0 },
        { dtype: biasType, shape: [3], data: bias },
        { dtype: "int16", shape: [1, 1, 2, 3], scale: outputScale, zeroPoint: 3 },
      ),
      Number,
    );
  assert.deepEqual(run("int32"), expected32);
  assert.deepEqual(run("int64"), expected64);
});

test("BroadcastPerLayerQuantizationToPerChannelShouldMatchGolden", () => {
  // Per-tensor scales of 1 broadcast over the three channels; TFLM compares exactly.
  const out = runConv(
    COMMON,
    { dtype: "int8", shape: INPUT_SHAPE, data: INPUT_DATA, scale: 1, zeroPoint: 0 },
    { dtype: "int8", shape: FILTER_SHAPE, data: FILTER_DATA, scale: 1, zeroPoint: 0 },
    { dtype: "int32", shape: BIAS_SHAPE, data: BIAS_DATA, scale: 1, zeroPoint: 0 },
    { dtype: "int8", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
  );
  assert.deepEqual(Array.from(out as Int8Array), GOLDEN);
});

// kConvFilter1x3x3x1 and its inputs, conv_test_data.cc.
const FILTER_1X3X3X1 = [22, -98, 78, -127, 101, 47, 87, 12, -15];
const INPUT_1X4X4X1 = [-127, -111, -95, -79, -63, -47, -31, -15, 1, 17, 33, 49, 65, 81, 97, 113];
const INPUT_1X5X5X1 = [
  -128, -111, -95, -79, -63, -47, -31, -15, 1, 17, 33, 49, 65, 81, 97, 113, 127, 100, 80, 60, 40, 20, 0, -20, -40,
];

function filter1x3x3x1Test(size: number, input: number[], outSize: number, golden: number[]) {
  const out = runConv(
    { padding: "SAME", stride: 2 },
    { dtype: "int8", shape: [1, size, size, 1], data: input, scale: 0.00392120517, zeroPoint: -128 },
    { dtype: "int8", shape: [1, 3, 3, 1], data: FILTER_1X3X3X1, scale: [0.00448552053], zeroPoint: 0 },
    { dtype: "int32", shape: [1], data: [0], scale: [0.00001758864], zeroPoint: 0 },
    { dtype: "int8", shape: [1, outSize, outSize, 1], scale: 0.00627814838, zeroPoint: -7 },
  );
  // TFLM allows 1; these bytes came from its reference kernel, and we match them exactly.
  assertNear(out, golden, 0);
}

test("Int8Filter1x3x3x1ShouldMatchGoldenEvenInputPaddingSame", () => {
  filter1x3x3x1Test(4, INPUT_1X4X4X1, 2, [38, 24, 16, -58]);
});

test("Int8Filter1x3x3x1ShouldMatchGoldenOddInputPaddingSame", () => {
  filter1x3x3x1Test(5, INPUT_1X5X5X1, 3, [-6, 25, 30, 58, 76, 7, 50, -11, -59]);
});

test("Int8Input32x1Filter32x32ShouldMatchGolden", () => {
  // A 1x1 convolution of depth 32: the packed GEMM fast path.
  const input = Array.from({ length: 32 }, (_, i) => i - 16);
  const filter = Array.from({ length: 32 * 32 }, (_, i) => ((i * 25) % 256) - 128);
  // TFLM quantizes the bias with input_scale * output_scale (= 50) although its declared scale is 1.
  const bias = Array.from({ length: 32 }, (_, i) => Math.round(i / 50));
  const expected = [
    5168, 3377, 306, -4045, -4556, -1227, 822, 1591, 5176, 3385, 314, -4037, -4548, -1219, 830, 1599, 5184, 3393, 322,
    -4029, -4540, -1211, 838, 1607, 5192, 3401, 330, -4021, -4532, -1203, 846, 1615,
  ];
  const out = runConv(
    { padding: "VALID", stride: 1 },
    { dtype: "int8", shape: [1, 1, 1, 32], data: input, scale: 1, zeroPoint: 0 },
    { dtype: "int8", shape: [32, 1, 1, 32], data: filter, scale: 1, zeroPoint: 0 },
    { dtype: "int32", shape: [32], data: bias, scale: 1, zeroPoint: 0 },
    { dtype: "int8", shape: [1, 1, 1, 32], scale: 50, zeroPoint: 0 },
  );
  assertNear(out, quantizeValues(expected, 50, 0, "int8"), 1);
});

test("Int8Filter8x3x3x3PerChannelScaleRelu6ShouldMatchGolden", () => {
  const filterScales = [
    2.18926089e-5, 0.00453596329, 0.000504297379, 0.00184638216, 0.00596635276, 0.000199135626, 0.0047677448,
    0.00193942268,
  ];
  const biasScales = [
    1.71706745e-7, 3.5576184e-5, 3.95527377e-6, 1.44814294e-5, 4.67949249e-5, 1.56184819e-6, 3.73940784e-5,
    1.52111588e-5,
  ];
  const out = runConv(
    { ...COMMON, activation: "RELU6" },
    { dtype: "int8", shape: [1, 32, 32, 3], data: CONV_INPUT_1X32X32X3, scale: 0.00784313772, zeroPoint: -1 },
    { dtype: "int8", shape: [8, 3, 3, 3], data: CONV_FILTER_8X3X3X3, scale: filterScales, zeroPoint: 0 },
    { dtype: "int32", shape: [8], data: CONV_BIAS_QUANTIZED_8, scale: biasScales, zeroPoint: 0 },
    { dtype: "int8", shape: [1, 16, 16, 8], scale: 0.0235294122, zeroPoint: -128 },
  );
  // TFLM allows 1; these bytes came from its reference kernel, and we match them exactly.
  assertNear(out, CONV_GOLDEN_OUTPUT_1X16X16X8 as number[], 0);
});

function prepareFails(run: () => unknown, pattern: RegExp) {
  assert.throws(run, (err: unknown) => err instanceof KernelError && pattern.test(err.message));
}

test("InputOutputDifferentTypeIsError", () => {
  prepareFails(
    () =>
      runConv(
        COMMON,
        { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
        { dtype: "float32", shape: FILTER_SHAPE, data: FILTER_DATA },
        { dtype: "float32", shape: BIAS_SHAPE, data: BIAS_DATA },
        { dtype: "int8", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
      ),
    /input type float32 differs from output type int8/,
  );
});

test("HybridModeIsError", () => {
  prepareFails(
    () =>
      runConv(
        COMMON,
        { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
        { dtype: "int8", shape: FILTER_SHAPE, data: new Array(12).fill(0), scale: 1, zeroPoint: 0 },
        { dtype: "float32", shape: BIAS_SHAPE, data: BIAS_DATA },
        { dtype: "float32", shape: OUTPUT_SHAPE },
      ),
    /hybrid models are not supported/,
  );
});

test("FilterDimsNotMatchingAffineQuantization", () => {
  const run = (scales: number[], zeroPoints: number[]) =>
    runConv(
      COMMON,
      { dtype: "int8", shape: INPUT_SHAPE, data: INPUT_DATA, scale: 0.5, zeroPoint: 0 },
      { dtype: "int8", shape: FILTER_SHAPE, data: FILTER_DATA, scale: scales, zeroPoint: zeroPoints },
      { dtype: "int32", shape: BIAS_SHAPE, data: BIAS_DATA },
      { dtype: "int8", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
    );
  prepareFails(() => run([1, 1], [0, 0]), /2 scales for 3 output channels/);
  prepareFails(() => run([1, 1, 1], [0, 0]), /3 scales but 2 zero points/);
});

test("rejects unknown activations and zero strides", () => {
  const float = (outShape: number[], params: ConvParams = COMMON) =>
    runConv(
      params,
      { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
      { dtype: "float32", shape: FILTER_SHAPE, data: FILTER_DATA },
      null,
      { dtype: "float32", shape: outShape },
    );
  prepareFails(() => float(OUTPUT_SHAPE, { ...COMMON, activation: "TANH" }), /fused activation TANH is not supported/);
  prepareFails(() => float(OUTPUT_SHAPE, { ...COMMON, stride: 0 }), /strides must be >= 1/);
});

test("a missing bias (input index -1) is no bias", () => {
  const out = runConv(
    COMMON,
    { dtype: "float32", shape: INPUT_SHAPE, data: INPUT_DATA },
    { dtype: "float32", shape: FILTER_SHAPE, data: FILTER_DATA },
    null,
    { dtype: "float32", shape: OUTPUT_SHAPE },
  );
  assertNear(
    out,
    GOLDEN.map((g, i) => g - BIAS_DATA[i % 3]!),
    1e-5,
  );
});

test("firstTap/endTap clip a window to exactly the taps the reference's per-tap test keeps", () => {
  for (let origin = -12; origin <= 12; origin++) {
    for (let dilation = 1; dilation <= 3; dilation++) {
      for (let taps = 1; taps <= 5; taps++) {
        for (let size = 0; size <= 9; size++) {
          const kept = [];
          for (let t = 0; t < taps; t++) {
            const x = origin + t * dilation;
            if (x >= 0 && x < size) kept.push(t);
          }
          const clipped = [];
          for (let t = firstTap(origin, dilation); t < endTap(origin, dilation, taps, size); t++) clipped.push(t);
          assert.deepEqual(clipped, kept, JSON.stringify({ origin, dilation, taps, size }));
        }
      }
    }
  }
});

test("requantizeFast equals MultiplyByQuantizedMultiplier for every shift and extreme accumulators", () => {
  const r = seededRandom(7);
  const accumulators = [0, 1, -1, 2 ** 21 - 1, -(2 ** 21) + 1, 2 ** 21, -(2 ** 21), 2 ** 31 - 1, -(2 ** 31)];
  for (let i = 0; i < 2000; i++) accumulators.push(r.int(-(2 ** 22), 2 ** 22), r.int(-(2 ** 31), 2 ** 31 - 1));
  let checked = 0;
  for (let shift = -31; shift <= 30; shift++) {
    for (const multiplier of [0, 2 ** 30, 2 ** 31 - 1, r.int(2 ** 30, 2 ** 31 - 1), r.int(2 ** 30, 2 ** 31 - 1)]) {
      const tables = requantizeTables({
        inputZeroPoint: 0,
        outputZeroPoint: 0,
        multipliers: Int32Array.of(multiplier),
        shifts: Int32Array.of(shift),
        activationMin: -128,
        activationMax: 127,
      });
      for (const acc of accumulators) {
        const expected = multiplyByQuantizedMultiplier(acc, multiplier, shift);
        const actual = requantizeFast(acc, 0, tables);
        if (actual !== expected)
          assert.fail(`acc ${acc}, multiplier ${multiplier}, shift ${shift}: ${actual} != ${expected}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 1_000_000);
});

/** One random int8 convolution run twice: constant weights (fast path when it applies) and live weights (reference). */
function compareFastAndReference(
  r: Random,
  shape: {
    batches: number;
    height: number;
    width: number;
    depth: number;
    channels: number;
    filter: number;
    stride: number;
    padding: "SAME" | "VALID";
  },
) {
  const { batches, height, width, depth, channels, filter, stride, padding } = shape;
  const outH = padding === "SAME" ? Math.ceil(height / stride) : Math.floor((height - filter) / stride) + 1;
  const outW = padding === "SAME" ? Math.ceil(width / stride) : Math.floor((width - filter) / stride) + 1;
  const inputScale = randomScale(r, 0.02);
  const filterScales = Array.from({ length: channels }, () => randomScale(r, 0.01));
  const hugeBias = r.next() < 0.2;
  const biasSpread = r.pick([0, 60, 1000]);
  const inputZeroPoint = r.int(-128, 127);
  const inputValues = randomInt8Around(r, inputZeroPoint, batches * height * width * depth);
  // Weights average |w| = 64; a sum of n such products grows like sqrt(n).
  const accumulator = 64 * inputValues.spread * Math.sqrt(filter * filter * depth);
  const input: TensorSpec = {
    dtype: "int8",
    shape: [batches, height, width, depth],
    data: inputValues.values,
    scale: inputScale,
    zeroPoint: inputZeroPoint,
  };
  const weights = Array.from({ length: channels * filter * filter * depth }, () => r.int(-127, 127));
  const bias: TensorSpec | null =
    r.next() < 0.15
      ? null
      : {
          dtype: "int32",
          shape: [channels],
          data: Array.from({ length: channels }, () =>
            hugeBias ? r.int(-(2 ** 31), 2 ** 31 - 1) : r.int(-biasSpread, biasSpread),
          ),
          constant: true,
        };
  const output: TensorSpec = {
    dtype: "int8",
    shape: [batches, outH, outW, channels],
    scale: randomOutputScale(r, inputScale, filterScales[0]!, accumulator),
    zeroPoint: r.int(-128, 127),
  };
  const params = { padding, stride, activation: r.pick(["NONE", "RELU", "RELU6", "RELU_N1_TO_1"]) };
  const filterSpec = (constant: boolean): TensorSpec => ({
    dtype: "int8",
    shape: [channels, filter, filter, depth],
    data: weights,
    scale: filterScales,
    zeroPoint: 0,
    constant,
  });
  const run = (constant: boolean) =>
    runKernel(conv2d, {
      opName: "CONV_2D",
      options: options(params),
      inputs: [input, filterSpec(constant), bias],
      outputs: [output],
    }).outputs[0]!;
  assert.deepEqual(run(true), run(false), JSON.stringify({ ...shape, ...params }));
}

test("the int8 1x1 fast path gives the reference's bytes on random layers", () => {
  const r = seededRandom(1234);
  for (let i = 0; i < 150; i++) {
    compareFastAndReference(r, {
      batches: r.int(1, 2),
      height: r.int(1, 7),
      width: r.int(1, 7),
      depth: r.pick([1, 2, 3, 5, 8, 16, 31, 64, 200, 511, 512]),
      channels: r.int(1, 21),
      filter: 1,
      stride: 1,
      padding: r.pick(["SAME", "VALID"] as const),
    });
  }
});

test("a 1x1 convolution over 96 pixels crosses the fast path's buffered runs", () => {
  const r = seededRandom(99);
  compareFastAndReference(r, {
    batches: 1,
    height: 13,
    width: 17,
    depth: 24,
    channels: 19,
    filter: 1,
    stride: 1,
    padding: "VALID",
  });
});
