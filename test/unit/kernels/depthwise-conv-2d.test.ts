/**
 * DEPTHWISE_CONV_2D goldens from TFLM kernels/depthwise_conv_test.cc (test names kept; TFLM runs them all with
 * VALID padding and depth_multiplier = output depth / input depth; tolerances as there: 1e-5 for float, 1 for
 * quantized data quantized from floats), its prepare-time rejections, and the int8 fast path compared byte
 * for byte with the reference loops on random layers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { type DepthwisePrepared, depthwiseConv2d } from "../../../src/kernels/depthwise-conv-2d.js";
import type { Kernel } from "../../../src/runtime/kernel.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";
import {
  assertNear,
  perChannelQuantize,
  quantizeBias,
  randomInt8Around,
  randomOutputScale,
  randomScale,
  seededRandom,
} from "./conv-test-support.js";

interface Params {
  stride?: number;
  dilationW?: number;
  dilationH?: number;
  activation?: string;
  padding?: "SAME" | "VALID";
  depthMultiplier?: number;
}

function runDepthwise(p: Params, input: TensorSpec, filter: TensorSpec, bias: TensorSpec | null, output: TensorSpec) {
  const { outputs } = runKernel(depthwiseConv2d, {
    opName: "DEPTHWISE_CONV_2D",
    options: {
      padding: p.padding ?? "VALID",
      strideW: p.stride ?? 1,
      strideH: p.stride ?? 1,
      dilationWFactor: p.dilationW ?? 1,
      dilationHFactor: p.dilationH ?? 1,
      fusedActivationFunction: p.activation ?? "NONE",
      depthMultiplier: p.depthMultiplier ?? filter.shape[3]! / input.shape[3]!,
    },
    inputs: [input, { constant: true, ...filter }, bias ? { constant: true, ...bias } : null],
    outputs: [output],
  });
  return outputs[0]!;
}

// The common 1x3x2x2 input and 1x2x2x4 filter (depth multiplier 2).
const INPUT_SHAPE = [1, 3, 2, 2];
const INPUT = [1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12];
const FILTER_SHAPE = [1, 2, 2, 4];
const FILTER = [1, 2, 3, 4, -9, 10, -11, 12, 5, 6, 7, 8, 13, -14, 15, -16];
const BIAS = [1, 2, 3, 4];
const OUTPUT_SHAPE = [1, 2, 1, 4];
const GOLDEN = [71, -34, 99, -20, 91, -26, 127, -4];

function floatTest(p: Params, golden: number[]) {
  const out = runDepthwise(
    p,
    { dtype: "float32", shape: INPUT_SHAPE, data: INPUT },
    { dtype: "float32", shape: FILTER_SHAPE, data: FILTER },
    { dtype: "float32", shape: [1, 1, 1, 4], data: BIAS },
    { dtype: "float32", shape: OUTPUT_SHAPE },
  );
  assertNear(out, golden, 1e-5);
}

interface QuantizedCase {
  params: Params;
  dtype: "int8" | "int16";
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

/** TFLM's TestDepthwiseConvQuantizedPerChannel: per-channel int8 filter along axis 3, golden within 1. */
function quantizedPerChannelTest(c: QuantizedCase) {
  const filter = perChannelQuantize(c.filter, c.filterShape, 3);
  const inputCount = c.inputShape.reduce((a, b) => a * b, 1);
  const out = runDepthwise(
    c.params,
    {
      dtype: c.dtype,
      shape: c.inputShape,
      data: quantizeValues(c.input.slice(0, inputCount), c.inputScale, c.inputZeroPoint, c.dtype),
      scale: c.inputScale,
      zeroPoint: c.inputZeroPoint,
    },
    {
      dtype: "int8",
      shape: c.filterShape,
      data: filter.quantized,
      scale: filter.scales,
      zeroPoint: 0,
      quantizedDimension: 3,
    },
    {
      dtype: c.dtype === "int8" ? "int32" : "int64",
      shape: [1, 1, 1, c.bias.length],
      data: quantizeBias(c.bias, c.inputScale, filter.scales),
    },
    { dtype: c.dtype, shape: c.outputShape, scale: c.outputScale, zeroPoint: c.outputZeroPoint },
  );
  assertNear(out, quantizeValues(c.golden, c.outputScale, c.outputZeroPoint, c.dtype), 1);
}

const SIMPLE: QuantizedCase = {
  params: {},
  dtype: "int8",
  inputShape: INPUT_SHAPE,
  input: INPUT,
  inputScale: 0.5,
  inputZeroPoint: 0,
  filterShape: FILTER_SHAPE,
  filter: FILTER,
  bias: BIAS,
  outputShape: OUTPUT_SHAPE,
  golden: GOLDEN,
  outputScale: 1,
  outputZeroPoint: 0,
};

test("SimpleTest", () => {
  floatTest({}, GOLDEN);
});

test("SimpleTestRelu", () => {
  floatTest({ activation: "RELU" }, [71, 0, 99, 0, 91, 0, 127, 0]);
});

test("SimpleTestQuantizedPerChannel", () => {
  quantizedPerChannelTest(SIMPLE);
});

test("SimpleTestQuantizedPerChannelDepthMultiplier1", () => {
  quantizedPerChannelTest({
    ...SIMPLE,
    inputScale: 1,
    filterShape: [1, 2, 2, 2],
    filter: [1, 2, 3, 4, -9, 10, -11, 12],
    bias: [1, 2],
    outputShape: [1, 2, 1, 2],
    golden: [-103, 127, -128, 127],
  });
});

test("TestQuantizedPerChannelDepthMultiplier1Relu6", () => {
  quantizedPerChannelTest({
    ...SIMPLE,
    params: { activation: "RELU6" },
    inputShape: [1, 3, 2, 4],
    input: new Array(24).fill(1),
    inputScale: 0.023529,
    inputZeroPoint: -128,
    filter: [0, 1, 8, -2, -1, 2, -10, 0, -1, 3, -18, 0, 0, 4, 20, -3],
    outputShape: [1, 2, 1, 4],
    golden: [0, 6, 3, 0, 0, 6, 3, 0],
    outputScale: 0.023529,
    outputZeroPoint: -128,
  });
});

test("SimpleTestDilatedQuantizedPerChannel", () => {
  quantizedPerChannelTest({
    ...SIMPLE,
    params: { dilationW: 3, dilationH: 2 },
    inputShape: [1, 4, 6, 2],
    input: [
      1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 1, 2, 3, 4, 5, 6, 2, 6, 2, 4, 4, 2, 3, 2,
      6, 5, 1, 4, 1, 2, 1, 4, 6, 3,
    ],
    outputShape: [1, 2, 3, 4],
    golden: [15, 2, 88, -48, 25, 14, 72, 0, 61, -2, 56, 48, -4, 52, 12, 48, 11, 70, 63, 40, 51, -30, 41, 48],
  });
});

test("TestQuantizedPerChannelCompareWithFloat", () => {
  const input = [3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4];
  const filter = [1, 2, 3, 4, 3, 4, 5, 6, 7, 8, 5, 6, 3, 4, 1, 2];
  const bias = [3, -2, 4, 6];
  const golden = [43, 48, 18, 22, 3, -4, -28, -36];
  quantizedPerChannelTest({
    ...SIMPLE,
    inputShape: [1, 2, 3, 2],
    input,
    filter,
    bias,
    outputShape: [1, 1, 2, 4],
    golden,
  });
  const out = runDepthwise(
    {},
    { dtype: "float32", shape: [1, 2, 3, 2], data: input },
    { dtype: "float32", shape: FILTER_SHAPE, data: filter },
    { dtype: "float32", shape: [1, 1, 1, 4], data: bias },
    { dtype: "float32", shape: [1, 1, 2, 4] },
  );
  assertNear(out, golden, 1e-5);
});

test("PerChannelBroadcastQuantizationParams", () => {
  // Per-tensor scales of 1 broadcast over four channels; TFLM compares with tolerance 1e-5, i.e. exactly.
  const out = runDepthwise(
    {},
    { dtype: "int8", shape: INPUT_SHAPE, data: INPUT, scale: 1, zeroPoint: 0 },
    { dtype: "int8", shape: FILTER_SHAPE, data: FILTER, scale: 1, zeroPoint: 0 },
    { dtype: "int32", shape: [1, 1, 1, 4], data: BIAS, scale: 1, zeroPoint: 0 },
    { dtype: "int8", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
  );
  assert.deepEqual(Array.from(out as Int8Array), GOLDEN);
});

function perTensorGoldenTest(
  stride: number,
  inputShape: number[],
  input: number[],
  filterShape: number[],
  filter: number[],
  golden: number[],
) {
  const [inputScale, filterScale, outputScale] = [0.058824, 0.003301, 0.092596];
  const out = runDepthwise(
    { stride },
    {
      dtype: "int8",
      shape: inputShape,
      data: quantizeValues(input, inputScale, -128, "int8"),
      scale: inputScale,
      zeroPoint: -128,
    },
    { dtype: "int8", shape: filterShape, data: quantizeValues(filter, filterScale, 0, "int8"), scale: filterScale },
    { dtype: "int32", shape: [32], data: new Array(32).fill(0), scale: Math.fround(inputScale * filterScale) },
    { dtype: "int8", shape: [1, 1, 1, 32], scale: outputScale, zeroPoint: 0 },
  );
  assertNear(out, quantizeValues(golden, outputScale, 0, "int8"), 1);
}

test("Int8Input32x4Filter32x4ShouldMatchGolden", () => {
  const input = [
    11.0589, 10.8824, 11.1766, 11.5295, 10.8236, 9.5295, 9.5295, 10.0001, 11.2354, 10.8824, 9.1765, 9.0589, 9.6471,
    8.9412, 7.9412, 9.0001, 9.353, 7.5295, 9.2354, 9.5883, 7.5883, 8.1765, 7.5883, 9.2942, 9.1177, 8.5883, 8.2354,
    8.6471, 8.0589, 8.0001, 7.4118, 7.353, 11.0001, 11.1177, 11.0589, 11.2354, 10.5883, 9.2942, 9.2942, 10.1177,
    11.2354, 10.8824, 8.9412, 8.8236, 9.2354, 8.8824, 7.0001, 9.1177, 9.5883, 8.2354, 9.1765, 9.5295, 7.4118, 8.5883,
    8.1177, 9.1765, 9.0001, 9.0589, 8.9412, 8.2942, 7.8824, 8.4118, 7.2942, 7.2354, 10.4118, 10.8824, 11.1177, 11.0001,
    10.0001, 9.706, 9.7648, 10.1766, 11.1766, 10.6471, 8.6471, 8.5295, 9.5295, 9.0001, 7.0001, 9.4118, 9.8236, 8.0001,
    9.2354, 9.5883, 7.5295, 9.0001, 8.5295, 9.0589, 8.9412, 9.1177, 8.9412, 8.0001, 8.0589, 8.8824, 7.0589, 7.353,
    11.353, 11.0589, 10.706, 10.7648, 9.9413, 9.1177, 9.1177, 9.7648, 10.706, 10.2354, 8.5883, 8.8236, 9.7648, 9.2942,
    7.5295, 9.2354, 9.706, 8.1177, 9.2942, 9.5883, 7.7648, 9.6471, 9.1177, 9.4707, 9.353, 8.8236, 8.5295, 8.0589,
    8.6471, 9.5883, 7.4118, 7.5883,
  ];
  const filter = [
    -0.1617, -0.1948, 0.1419, -0.2311, -0.0891, 0.1551, 0.0033, 0.3037, -0.1683, 0.1353, 0.1518, -0.1683, -0.1386,
    0.1452, 0.1816, 0.1716, -0.1948, 0.208, 0.2245, -0.1981, -0.241, 0.1849, 0.1981, 0.1584, 0.2509, 0.1783, -0.2146,
    -0.1518, 0.208, -0.2872, 0.2014, 0.2476, -0.4126, -0.0561, -0.3235, -0.0594, -0.0957, 0.2014, -0.1056, 0.1386,
    -0.2542, -0.1617, 0.1287, -0.1816, -0.0363, 0.1419, -0.0594, 0.2344, -0.0099, 0.4192, 0.1287, -0.2311, -0.2212,
    -0.0528, -0.208, 0.1816, -0.1452, 0.1221, 0.1254, -0.1056, -0.0759, 0.1221, 0.1023, 0.1485, 0.2707, 0.1716, -0.1882,
    -0.1783, 0.165, -0.274, 0.1915, 0.208, -0.2971, -0.2575, -0.3169, 0.0198, -0.0231, 0.241, -0.0429, 0.066, -0.1816,
    0.1981, 0.2014, -0.1386, -0.1915, 0.1716, 0.132, 0.1419, 0.132, 0.1353, -0.1386, -0.1716, 0.132, -0.165, 0.1386,
    0.0825, -0.1419, -0.1023, 0.1783, 0.0462, 0.2047, -0.2179, -0.1518, -0.1551, 0.1518, 0.3334, 0.3103, -0.2047,
    -0.2047, -0.0957, -0.165, 0.1221, 0.099, 0.1353, -0.1617, -0.1485, 0.165, -0.1816, 0.1518, 0.1254, -0.0363, -0.1254,
    0.1386, 0.0429, 0.2113, -0.2839, -0.1056, -0.2278,
  ];
  const golden = [
    -5.1194, -2.0075, -2.1751, -4.7958, 1.7073, -1.2963, -0.4641, 5.0416, -6.4424, 0.3836, 2.4684, -4.7643, -3.8913,
    3.8382, -0.5164, 5.4304, -2.74, 7.7016, 3.6115, -6.8545, -3.629, 0.8509, 2.3247, 5.6117, 1.8215, 2.7645, -0.7032,
    -3.2156, 3.9689, -5.4583, 2.4346, 1.7731,
  ];
  perTensorGoldenTest(1, [1, 4, 1, 32], input, [1, 4, 1, 32], filter, golden);
});

test("Int8Input32x1Filter32x1ShouldMatchGolden", () => {
  const input = [
    11.0589, 10.8824, 11.1766, 11.5295, 10.8236, 9.5295, 9.5295, 10.0001, 11.2354, 10.8824, 9.1765, 9.0589, 9.6471,
    8.9412, 7.9412, 9.0001, 9.353, 7.5295, 9.2354, 9.5883, 7.5883, 8.1765, 7.5883, 9.2942, 9.353, 8.8236, 8.5295,
    8.0589, 8.6471, 9.5883, 7.4118, 7.5883,
  ];
  const filter = [
    -0.1419, -0.1023, 0.1783, 0.0462, 0.2047, -0.2179, -0.1518, -0.1551, 0.1518, 0.3334, 0.3103, -0.2047, -0.2047,
    -0.0957, -0.165, 0.1221, 0.099, 0.1353, -0.1617, -0.1485, 0.165, -0.1816, 0.1518, 0.1254, -0.0363, -0.1254, 0.1386,
    0.0429, 0.2113, -0.2839, -0.1056, -0.2278,
  ];
  const golden = [
    -1.5741, -1.1112, 2.0371, 0.5556, 2.2223, -2.0371, -1.4815, -1.5741, 1.6667, 3.6112, 2.8705, -1.8519, -1.9445,
    -0.8334, -1.2963, 1.1112, 0.926, 1.0186, -1.4815, -1.3889, 1.2963, -1.4815, 1.1112, 1.2037, -0.3704, -1.1112,
    1.2037, 0.3704, 1.8519, -2.6853, -0.7408, -1.7593,
  ];
  perTensorGoldenTest(2, [1, 1, 1, 32], input, [1, 1, 1, 32], filter, golden);
});

test("SimpleTestQuantizedPerChannelInt16InputInt8Filter", () => {
  quantizedPerChannelTest({
    ...SIMPLE,
    dtype: "int16",
    input: [-547, 108, -682, 540, -161, -539, 9, -482, -859, 84, 153, -726, 523, 702, -172, -936],
    golden: [4894, -9009, -16596, 10268, -2564, -7483, -6599, 4356],
  });
});

function prepareFails(run: () => unknown, pattern: RegExp) {
  assert.throws(run, (err: unknown) => err instanceof KernelError && pattern.test(err.message));
}

test("FilterDimsNotMatchingAffineQuantization", () => {
  const run = (scales: number[], zeroPoints: number[]) =>
    runDepthwise(
      {},
      { dtype: "int8", shape: [1, 2, 3, 2], data: new Array(12).fill(1), scale: 0.5, zeroPoint: 0 },
      { dtype: "int8", shape: FILTER_SHAPE, data: FILTER, scale: scales, zeroPoint: zeroPoints, quantizedDimension: 3 },
      { dtype: "int32", shape: [1, 1, 1, 4], data: BIAS },
      { dtype: "int8", shape: [1, 1, 2, 4], scale: 1, zeroPoint: 0 },
    );
  prepareFails(() => run([1, 1], [0, 0]), /2 scales for 4 output channels/);
  prepareFails(() => run([1, 1, 1, 1], [0, 0]), /4 scales but 2 zero points/);
});

test("rejects a depth multiplier that does not match, int32 bias for 16x8 and hybrid types", () => {
  const floatRun = (depthMultiplier: number) =>
    runDepthwise(
      { depthMultiplier },
      { dtype: "float32", shape: INPUT_SHAPE, data: INPUT },
      { dtype: "float32", shape: FILTER_SHAPE, data: FILTER },
      null,
      { dtype: "float32", shape: OUTPUT_SHAPE },
    );
  prepareFails(() => floatRun(1), /output depth 4 is not input depth 2 x depth multiplier 1/);
  prepareFails(
    () =>
      runDepthwise(
        {},
        { dtype: "int16", shape: INPUT_SHAPE, data: INPUT, scale: 1, zeroPoint: 0 },
        { dtype: "int8", shape: FILTER_SHAPE, data: FILTER, scale: 1, zeroPoint: 0 },
        { dtype: "int32", shape: [4], data: BIAS },
        { dtype: "int16", shape: OUTPUT_SHAPE, scale: 1, zeroPoint: 0 },
      ),
    /bias type int32 is not supported here \(int64\)/,
  );
  prepareFails(
    () =>
      runDepthwise(
        {},
        { dtype: "float32", shape: INPUT_SHAPE, data: INPUT },
        { dtype: "int8", shape: FILTER_SHAPE, data: FILTER, scale: 1, zeroPoint: 0 },
        null,
        { dtype: "float32", shape: OUTPUT_SHAPE },
      ),
    /hybrid models are not supported/,
  );
});

/** The choices a random layer is drawn from. */
interface LayerChoices {
  filterH: readonly number[];
  filterW: readonly number[];
  stride: readonly number[];
  dilation: readonly number[];
  multiplier: readonly number[];
  maxSize: number;
  /** One output channel per TFLM exponent -31..30 (the layer's channel count becomes 62) when set. */
  everyShift?: boolean;
}

/** Records the prepared object of each layer, so a test can tell which fast path ran. */
function recordingDepthwise(seen: DepthwisePrepared[]): Kernel<DepthwisePrepared, unknown> {
  const kernel = depthwiseConv2d as Kernel<DepthwisePrepared, unknown>;
  return {
    ...kernel,
    prepare(ctx) {
      const prepared = kernel.prepare(ctx);
      seen.push(prepared);
      return prepared;
    },
  };
}

/**
 * Random int8 layers (odd sizes, non-zero zero points, large biases, every activation) run with constant weights
 * (the fast path) and with weights known only at eval (the reference); returns the fast paths' prepared objects.
 */
function compareRandomLayers(seed: number, count: number, choices: LayerChoices): DepthwisePrepared[] {
  const r = seededRandom(seed);
  const seen: DepthwisePrepared[] = [];
  const recorded = recordingDepthwise(seen);
  for (let i = 0; i < count; i++) {
    const filterH = r.pick(choices.filterH);
    const filterW = r.pick(choices.filterW);
    const stride = r.pick(choices.stride);
    const dilation = r.pick(choices.dilation);
    const padding = r.pick(["SAME", "VALID"] as const);
    const multiplier = choices.everyShift ? r.pick([1, 2]) : r.pick(choices.multiplier);
    const depth = choices.everyShift ? 62 / multiplier : r.int(1, 5);
    const channels = depth * multiplier;
    const height = r.int(1, choices.maxSize);
    const width = r.int(1, choices.maxSize);
    const batches = r.int(1, 2);
    const effH = (filterH - 1) * dilation + 1;
    const effW = (filterW - 1) * dilation + 1;
    let outH = padding === "SAME" ? Math.ceil(height / stride) : Math.floor((height - effH + stride) / stride);
    let outW = padding === "SAME" ? Math.ceil(width / stride) : Math.floor((width - effW + stride) / stride);
    // TFLM computes whatever output extent the tensor declares; exercise a few that differ from the padding's.
    if (r.next() < 0.15) outH += r.pick([-1, 1]);
    if (r.next() < 0.15) outW += r.pick([-1, 1]);
    if (outH < 1 || outW < 1) continue;
    const hugeBias = r.next() < 0.15;
    const biasSpread = r.pick([0, 60, 1000]);
    const inputScale = randomScale(r, 0.02);
    const inputZeroPoint = r.int(-128, 127);
    const inputValues = randomInt8Around(r, inputZeroPoint, batches * height * width * depth);
    // Weights average |w| = 64; a sum of n such products grows like sqrt(n).
    const accumulator = 64 * inputValues.spread * Math.sqrt(filterH * filterW);
    const input: TensorSpec = {
      dtype: "int8",
      shape: [batches, height, width, depth],
      data: inputValues.values,
      scale: inputScale,
      zeroPoint: inputZeroPoint,
    };
    // Mostly -127..127 as TFLM's converter makes them, sometimes the full int8 range (the pairing's worst case).
    const lowest = r.next() < 0.2 ? -128 : -127;
    const weights = Array.from({ length: filterH * filterW * channels }, () => r.int(lowest, 127));
    const bias: TensorSpec | null =
      r.next() < 0.15
        ? null
        : {
            dtype: "int32",
            shape: [channels],
            data: Array.from({ length: channels }, () =>
              hugeBias ? r.int(-(2 ** 31), 2 ** 31 - 1) : r.int(-biasSpread, biasSpread),
            ),
          };
    const outputScale = randomOutputScale(r, inputScale, randomScale(r, 0.01), accumulator);
    // For every shift: filter scale = output scale * 0.75 * 2^shift / input scale, so the multiplier is 0.75 * 2^shift.
    const filterScales = Array.from({ length: channels }, (_, c) =>
      choices.everyShift ? Math.fround((outputScale * 0.75 * 2 ** (c - 31)) / inputScale) : randomScale(r, 0.01),
    );
    const output: TensorSpec = {
      dtype: "int8",
      shape: [batches, outH, outW, channels],
      scale: choices.everyShift ? outputScale : randomOutputScale(r, inputScale, filterScales[0]!, accumulator),
      zeroPoint: r.int(-128, 127),
    };
    const params: Params = {
      stride,
      padding,
      dilationW: dilation,
      dilationH: dilation,
      depthMultiplier: multiplier,
      activation: r.pick(["NONE", "RELU", "RELU6", "RELU_N1_TO_1"]),
    };
    const run = (kernel: Kernel<DepthwisePrepared, unknown>, constant: boolean) =>
      runKernel(kernel, {
        opName: "DEPTHWISE_CONV_2D",
        options: {
          padding,
          strideW: stride,
          strideH: stride,
          dilationWFactor: dilation,
          dilationHFactor: dilation,
          fusedActivationFunction: params.activation,
          depthMultiplier: multiplier,
        },
        inputs: [
          input,
          {
            dtype: "int8",
            shape: [1, filterH, filterW, channels],
            data: weights,
            scale: filterScales,
            zeroPoint: 0,
            quantizedDimension: 3,
            constant,
          },
          bias ? { ...bias, constant: true } : null,
        ],
        outputs: [output],
      }).outputs[0]!;
    const label = JSON.stringify({ filterH, filterW, height, width, outH, outW, depth, batches, ...params });
    const fast = run(recorded, true);
    if (choices.everyShift) {
      const shifts = Array.from({ length: 62 }, (_, c) => c - 31);
      assert.deepEqual(
        [...seen[seen.length - 1]!.quant!.shifts],
        shifts,
        `the shifts the layer was made for: ${label}`,
      );
    }
    assert.deepEqual(fast, run(depthwiseConv2d as Kernel<DepthwisePrepared, unknown>, false), label);
  }
  return seen;
}

test("the int8 fast path gives the reference's bytes on random layers", () => {
  compareRandomLayers(4321, 250, {
    filterH: [1, 2, 3, 3, 3, 5],
    filterW: [1, 3, 3, 3, 4],
    stride: [1, 1, 2, 3],
    dilation: [1, 1, 1, 2],
    multiplier: [1, 1, 2, 3],
    maxSize: 12,
  });
});

test("general-size int8 filters take the strip path, single and paired, with the reference's bytes", () => {
  const general = {
    filterH: [1, 2, 4, 5, 7, 10],
    filterW: [1, 2, 3, 5, 8],
    stride: [1, 2, 2, 3],
    dilation: [1, 1, 2],
    multiplier: [1, 2, 3, 8],
    maxSize: 23,
  };
  const seen = [
    ...compareRandomLayers(99, 200, general),
    ...compareRandomLayers(100, 12, { ...general, everyShift: true }),
  ];
  const strips = seen.filter((p) => (p.fast?.stripIndex ?? -1) >= 0);
  const paired = strips.filter((p) => p.fast!.pairedTaps.length > 0);
  assert.ok(
    strips.length - paired.length >= 30,
    `only ${strips.length - paired.length} layers took the single strip path`,
  );
  assert.ok(paired.length >= 30, `only ${paired.length} layers took the paired strip path`);
});
