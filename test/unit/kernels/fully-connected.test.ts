/**
 * FULLY_CONNECTED goldens from TFLM kernels/fully_connected_test.cc (test names kept; tolerances as there: 1e-4
 * for float, exact for per-tensor quantized, 1 for per-channel), plus the prepare-time checks: the shuffled
 * weights format, the bias-scale check of GetQuantizedConvolutionMultipler, and shape consistency; and the int8
 * fast path compared byte for byte with the reference loops on random layers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import {
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
} from "../../../src/kernels/fixed-point.js";
import { type FullyConnectedPrepared, fullyConnected } from "../../../src/kernels/fully-connected.js";
import type { Kernel } from "../../../src/runtime/kernel.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";
import {
  FC_REPRESENTATIVE_64X16_BIAS,
  FC_REPRESENTATIVE_64X16_GOLDEN,
  FC_REPRESENTATIVE_64X16_INPUT,
  FC_REPRESENTATIVE_64X16_WEIGHTS,
} from "./conv-golden-data.js";
import {
  assertNear,
  quantizeBias,
  randomInt8Around,
  randomOutputScale,
  randomScale,
  seededRandom,
} from "./conv-test-support.js";

const f = Math.fround;

// simple_*: 2x10 input, 3x10 weights.
const SIMPLE_INPUT = [1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10];
const SIMPLE_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const SIMPLE_BIAS = [1, 2, 3];
const SIMPLE_GOLDEN = [24, 25, 26, 58, 59, 60];
const SIMPLE_GOLDEN_NULL_BIAS = [23, 23, 23, 57, 57, 57];

// relu_*: the same with negated middle unit.
const RELU_WEIGHTS = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
];
const RELU_BIAS = [1, -2, 3];
const RELU_GOLDEN = [24, 0, 26, 58, 0, 60];

function runFc(
  input: TensorSpec,
  weights: TensorSpec,
  bias: TensorSpec | null,
  output: TensorSpec,
  options: Record<string, unknown> = {},
) {
  const { outputs } = runKernel(fullyConnected, {
    opName: "FULLY_CONNECTED",
    options: { fusedActivationFunction: "NONE", weightsFormat: "DEFAULT", keepNumDims: false, ...options },
    inputs: [input, { constant: true, ...weights }, bias ? { constant: true, ...bias } : null],
    outputs: [output],
  });
  return outputs[0]!;
}

function floatTest(inputShape: number[], bias: number[] | null, golden: number[]) {
  const out = runFc(
    { dtype: "float32", shape: inputShape, data: SIMPLE_INPUT },
    { dtype: "float32", shape: [3, 10], data: SIMPLE_WEIGHTS },
    bias ? { dtype: "float32", shape: [3], data: bias } : null,
    { dtype: "float32", shape: [2, 3] },
  );
  assertNear(out, golden, 1e-4);
}

interface PerTensorCase {
  dtype: "int8" | "int16";
  inputShape: number[];
  input: number[];
  inputScale: number;
  inputZeroPoint: number;
  weightsShape: number[];
  weights: number[];
  weightsScale: number;
  bias: number[] | null;
  golden: number[];
  outputShape: number[];
  outputScale: number;
  outputZeroPoint: number;
  activation?: string;
}

/** TFLM's TestFullyConnectedQuantized: per-tensor weights, bias scale input_scale * weights_scale, exact. */
function perTensorTest(c: PerTensorCase) {
  const biasScale = f(f(c.inputScale) * f(c.weightsScale));
  const out = runFc(
    {
      dtype: c.dtype,
      shape: c.inputShape,
      data: quantizeValues(c.input, c.inputScale, c.inputZeroPoint, c.dtype),
      scale: c.inputScale,
      zeroPoint: c.inputZeroPoint,
    },
    {
      dtype: "int8",
      shape: c.weightsShape,
      data: quantizeValues(c.weights, c.weightsScale, 0, "int8"),
      scale: c.weightsScale,
      zeroPoint: 0,
    },
    c.bias
      ? {
          dtype: c.dtype === "int8" ? "int32" : "int64",
          shape: [c.bias.length],
          data: quantizeBias(c.bias, c.inputScale, [c.weightsScale]),
          scale: biasScale,
          zeroPoint: 0,
        }
      : null,
    { dtype: c.dtype, shape: c.outputShape, scale: c.outputScale, zeroPoint: c.outputZeroPoint },
    { fusedActivationFunction: c.activation ?? "NONE" },
  );
  assert.deepEqual(Array.from(out, Number), quantizeValues(c.golden, c.outputScale, c.outputZeroPoint, c.dtype));
}

const SIMPLE_INT8: PerTensorCase = {
  dtype: "int8",
  inputShape: [2, 10],
  input: SIMPLE_INPUT,
  inputScale: 1,
  inputZeroPoint: -1,
  weightsShape: [3, 10],
  weights: SIMPLE_WEIGHTS,
  weightsScale: 1,
  bias: SIMPLE_BIAS,
  golden: SIMPLE_GOLDEN,
  outputShape: [2, 3],
  outputScale: 0.5,
  outputZeroPoint: -1,
};

/** TFLM's TestFullyConnectedQuantizedPerChannel: given per-unit weight scales, golden within 1. */
function perChannelTest(
  dtype: "int8" | "int16",
  inputScale: number,
  inputZeroPoint: number,
  outputScale: number,
  outputZeroPoint: number,
) {
  const scales = [0.2, 0.25, 0.5].map(f);
  const weights = SIMPLE_WEIGHTS.map((w, i) =>
    Math.min(127, Math.max(-127, Math.round(w / scales[Math.floor(i / 10)]!))),
  );
  const out = runFc(
    {
      dtype,
      shape: [2, 10],
      data: quantizeValues(SIMPLE_INPUT, inputScale, inputZeroPoint, dtype),
      scale: inputScale,
      zeroPoint: inputZeroPoint,
    },
    { dtype: "int8", shape: [3, 10], data: weights, scale: scales, zeroPoint: [0, 0, 0] },
    { dtype: dtype === "int8" ? "int32" : "int64", shape: [3], data: quantizeBias(SIMPLE_BIAS, inputScale, scales) },
    { dtype, shape: [2, 3], scale: outputScale, zeroPoint: outputZeroPoint },
  );
  assertNear(out, quantizeValues(SIMPLE_GOLDEN, outputScale, outputZeroPoint, dtype), 1);
}

test("SimpleTest", () => {
  floatTest([2, 10], SIMPLE_BIAS, SIMPLE_GOLDEN);
});

test("SimpleTestNullBias", () => {
  floatTest([2, 10], null, SIMPLE_GOLDEN_NULL_BIAS);
});

test("SimpleTest4DInput", () => {
  floatTest([1, 1, 2, 10], SIMPLE_BIAS, SIMPLE_GOLDEN);
});

test("SimpleTestQuantizedInt8", () => {
  perTensorTest(SIMPLE_INT8);
});

test("SimpleTestQuantizedPerChannelInt8", () => {
  perChannelTest("int8", 0.5, -1, 1, -1);
});

test("SimpleTestQuantizedInt16", () => {
  perTensorTest({
    ...SIMPLE_INT8,
    dtype: "int16",
    inputScale: 128 / 65536,
    inputZeroPoint: 0,
    outputScale: 128 / 65536,
    outputZeroPoint: 0,
  });
});

test("SimpleTestPerChannelQuantizedInt16", () => {
  perChannelTest("int16", 128 / 65536, 0, 128 / 65536, 0);
});

test("16x8 with an int32 bias uses TFLM's int32 accumulator and 32-bit requantization", () => {
  // Not in fully_connected_test.cc. TFLM's FullyConnected<int16, int8, int16, int32> requantizes with the 32-bit
  // MultiplyByQuantizedMultiplier; the int64 path rounds with a 16-bit reduced multiplier. The data is chosen so
  // the two differ, and the expected values are computed here with the 32-bit routine.
  const input = Array.from({ length: 20 }, (_, i) => ((i * 7919) % 60001) - 30000);
  const weights = Array.from({ length: 30 }, (_, i) => ((i * 37) % 255) - 127);
  const bias = [123456, -654321, 7];
  const [inputScale, weightsScale, outputScale] = [f(0.0001), f(0.01), f(0.0007)];
  const { multiplier, shift } = quantizeMultiplier(f(inputScale * weightsScale) / outputScale);
  const expected32: number[] = [];
  const expected64: number[] = [];
  for (let b = 0; b < 2; b++) {
    for (let u = 0; u < 3; u++) {
      let acc = bias[u]!;
      for (let d = 0; d < 10; d++) acc += weights[u * 10 + d]! * input[b * 10 + d]!;
      expected32.push(Math.min(32767, Math.max(-32768, multiplyByQuantizedMultiplier(acc | 0, multiplier, shift))));
      expected64.push(Math.min(32767, Math.max(-32768, multiplyByQuantizedMultiplierInt64(acc, multiplier, shift))));
    }
  }
  assert.notDeepEqual(expected32, expected64, "test data must tell the two accumulators apart");
  const run = (biasType: "int32" | "int64") =>
    Array.from(
      runFc(
        { dtype: "int16", shape: [2, 10], data: input, scale: inputScale, zeroPoint: 0 },
        { dtype: "int8", shape: [3, 10], data: weights, scale: weightsScale, zeroPoint: 0 },
        { dtype: biasType, shape: [3], data: bias, scale: f(inputScale * weightsScale), zeroPoint: 0 },
        { dtype: "int16", shape: [2, 3], scale: outputScale, zeroPoint: 0 },
      ),
      Number,
    );
  assert.deepEqual(run("int32"), expected32);
  assert.deepEqual(run("int64"), expected64);
});

test("SimpleTest4DInputQuantizedInt8", () => {
  perTensorTest({ ...SIMPLE_INT8, inputShape: [1, 1, 2, 10] });
});

test("SimpleTestQuantizedInt8Relu", () => {
  perTensorTest({
    ...SIMPLE_INT8,
    weights: RELU_WEIGHTS,
    bias: RELU_BIAS,
    golden: RELU_GOLDEN,
    outputZeroPoint: -128,
    activation: "RELU",
  });
});

test("SimpleTestQuantizedInt8NullBias", () => {
  perTensorTest({ ...SIMPLE_INT8, bias: null, golden: SIMPLE_GOLDEN_NULL_BIAS });
});

test("Representative1x64Input1x16Output", () => {
  const out = runFc(
    { dtype: "float32", shape: [1, 64], data: FC_REPRESENTATIVE_64X16_INPUT },
    { dtype: "float32", shape: [16, 64], data: FC_REPRESENTATIVE_64X16_WEIGHTS },
    { dtype: "float32", shape: [16], data: FC_REPRESENTATIVE_64X16_BIAS },
    { dtype: "float32", shape: [1, 16] },
  );
  assertNear(out, FC_REPRESENTATIVE_64X16_GOLDEN as number[], 1e-4);
});

test("Representative1x64Input1x16OutputQuantizedInt8", () => {
  perTensorTest({
    dtype: "int8",
    inputShape: [1, 64],
    input: FC_REPRESENTATIVE_64X16_INPUT as number[],
    inputScale: 0.051445,
    inputZeroPoint: -128,
    weightsShape: [16, 64],
    weights: FC_REPRESENTATIVE_64X16_WEIGHTS as number[],
    weightsScale: 0.00566,
    bias: FC_REPRESENTATIVE_64X16_BIAS as number[],
    golden: FC_REPRESENTATIVE_64X16_GOLDEN as number[],
    outputShape: [1, 16],
    outputScale: 0.069785,
    outputZeroPoint: -9,
  });
});

function prepareFails(run: () => unknown, pattern: RegExp) {
  assert.throws(run, (err: unknown) => err instanceof KernelError && pattern.test(err.message));
}

test("rejects the shuffled weights format, mismatched shapes and a bias scale far from input x weights", () => {
  const float = (options: Record<string, unknown>, inputShape = [2, 10], outputShape = [2, 3]) =>
    runFc(
      { dtype: "float32", shape: inputShape, data: new Array(inputShape.reduce((a, b) => a * b, 1)).fill(1) },
      { dtype: "float32", shape: [3, 10], data: SIMPLE_WEIGHTS },
      null,
      { dtype: "float32", shape: outputShape },
      options,
    );
  prepareFails(() => float({ weightsFormat: "SHUFFLED4x16INT8" }), /weights format SHUFFLED4x16INT8 is not supported/);
  prepareFails(() => float({}, [2, 9]), /input \[2,9\] has 18 values, expected 2 rows of 10/);
  prepareFails(() => float({}, [2, 10], [2, 4]), /output has 4 units but the weights \[3,10\] have 3/);
  prepareFails(
    () =>
      runFc(
        { dtype: "int8", shape: [2, 10], data: SIMPLE_INPUT, scale: 1, zeroPoint: 0 },
        { dtype: "int8", shape: [3, 10], data: SIMPLE_WEIGHTS, scale: 1, zeroPoint: 0 },
        { dtype: "int32", shape: [3], data: SIMPLE_BIAS, scale: 0.5, zeroPoint: 0 },
        { dtype: "int8", shape: [2, 3], scale: 1, zeroPoint: 0 },
      ),
    /bias scale 0.5 is not input scale x filter scale/,
  );
  prepareFails(
    () =>
      runFc(
        { dtype: "float32", shape: [2, 10], data: SIMPLE_INPUT },
        { dtype: "int8", shape: [3, 10], data: SIMPLE_WEIGHTS, scale: 1, zeroPoint: 0 },
        null,
        { dtype: "float32", shape: [2, 3] },
      ),
    /input float32 with weights int8 is not supported/,
  );
});

test("keepNumDims changes only the declared output shape", () => {
  const out = runFc(
    { dtype: "float32", shape: [1, 2, 10], data: SIMPLE_INPUT },
    { dtype: "float32", shape: [3, 10], data: SIMPLE_WEIGHTS },
    { dtype: "float32", shape: [3], data: SIMPLE_BIAS },
    { dtype: "float32", shape: [1, 2, 3] },
    { keepNumDims: true },
  );
  assertNear(out, SIMPLE_GOLDEN, 1e-4);
});

/**
 * Random int8 layers with constant weights (the packed fast path, which must be taken) against the same layers
 * with weights known only at eval (the reference): odd and long depths (several chunks), per-tensor weights with
 * a non-zero zero point, per-channel weights covering every shift, huge biases, every activation.
 */
test("the int8 fast path gives the reference's bytes on random layers", () => {
  const r = seededRandom(811);
  const seen: FullyConnectedPrepared[] = [];
  const recorded: Kernel<FullyConnectedPrepared> = {
    ...fullyConnected,
    prepare(ctx) {
      const prepared = fullyConnected.prepare(ctx);
      seen.push(prepared);
      return prepared;
    },
  };
  for (let i = 0; i < 160; i++) {
    const everyShift = i % 8 === 0;
    const units = everyShift ? 62 : r.int(1, 9);
    const depth = r.pick([1, 3, 17, 64, 255, 515, 516, 1031, 4000]);
    const batches = r.int(1, 3);
    const perChannel = everyShift || r.next() < 0.5;
    const inputScale = randomScale(r, 0.02);
    const inputZeroPoint = r.int(-128, 127);
    const inputValues = randomInt8Around(r, inputZeroPoint, batches * depth);
    const accumulator = 64 * inputValues.spread * Math.sqrt(depth);
    const weightScale = randomScale(r, 0.01);
    const outputScale = randomOutputScale(r, inputScale, weightScale, accumulator);
    // For every shift: unit u's multiplier is 0.75 * 2^(u - 31).
    const weightScales = perChannel
      ? Array.from({ length: units }, (_, u) =>
          everyShift ? Math.fround((outputScale * 0.75 * 2 ** (u - 31)) / inputScale) : randomScale(r, 0.01),
        )
      : [weightScale];
    const weightZeroPoint = perChannel ? 0 : r.pick([0, 0, 3, -50]);
    const lowest = r.next() < 0.3 ? -128 : -127;
    const weights = Array.from({ length: units * depth }, () => r.int(lowest, 127));
    const hugeBias = r.next() < 0.15;
    const biasSpread = r.pick([0, 100, 10000]);
    const bias: TensorSpec | null =
      r.next() < 0.15
        ? null
        : {
            dtype: "int32",
            shape: [units],
            data: Array.from({ length: units }, () =>
              hugeBias ? r.int(-(2 ** 31), 2 ** 31 - 1) : r.int(-biasSpread, biasSpread),
            ),
            scale: Math.fround(inputScale * weightScale),
            zeroPoint: 0,
            constant: true,
          };
    const activation = r.pick(["NONE", "RELU", "RELU6", "RELU_N1_TO_1"]);
    const outputZeroPoint = r.int(-128, 127);
    const run = (kernel: Kernel<FullyConnectedPrepared>, constant: boolean) =>
      runKernel(kernel, {
        opName: "FULLY_CONNECTED",
        options: { fusedActivationFunction: activation, weightsFormat: "DEFAULT", keepNumDims: false },
        inputs: [
          {
            dtype: "int8",
            shape: [batches, depth],
            data: inputValues.values,
            scale: inputScale,
            zeroPoint: inputZeroPoint,
          },
          {
            dtype: "int8",
            shape: [units, depth],
            data: weights,
            scale: weightScales,
            zeroPoint: perChannel ? new Array(units).fill(0) : weightZeroPoint,
            quantizedDimension: 0,
            constant,
          },
          bias,
        ],
        outputs: [{ dtype: "int8", shape: [batches, units], scale: outputScale, zeroPoint: outputZeroPoint }],
      }).outputs[0]!;
    const label = JSON.stringify({ units, depth, batches, perChannel, weightZeroPoint, activation, hugeBias });
    const fast = run(recorded, true);
    const prepared = seen[seen.length - 1]!;
    assert.ok(prepared.fast, `the fast path was not taken: ${label}`);
    if (everyShift) {
      assert.deepEqual(
        [...prepared.shifts],
        Array.from({ length: 62 }, (_, u) => u - 31),
        `shifts: ${label}`,
      );
    }
    assert.deepEqual(fast, run(fullyConnected, false), label);
  }
});
