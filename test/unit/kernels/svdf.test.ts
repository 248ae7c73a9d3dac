/**
 * SVDF against TFLM's kernels/svdf_test.cc goldens (the 2x2 input, 2x4 output, memory 10, rank 2 case): ten
 * invocations of one prepared node, each with the next input frame, so every output after the first depends on the
 * activation state the kernel left in its variable tensor the time before.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import {
  multiplyByQuantizedMultiplier,
  REQUANTIZE_UNSPLIT_LIMIT,
  REQUANTIZE_UNSPLIT_MAX_RIGHT_SHIFT,
  requantize,
  requantizeConstants,
  requantizeFloor,
  requantizer,
} from "../../../src/kernels/fixed-point.js";
import { type SvdfPrepared, svdf } from "../../../src/kernels/svdf.js";
import type { AnyKernel } from "../../../src/runtime/kernel.js";
import type { TypedArray } from "../../../src/runtime/tensor.js";
import { type KernelRun, runKernel, type TensorSpec } from "../../support/kernel-harness.js";
import { randomScale, seededRandom } from "./conv-test-support.js";

const BATCH = 2;
const UNITS = 4;
const INPUT_SIZE = 2;
const MEMORY = 10;
const RANK = 2;
const FILTERS = UNITS * RANK;
const FRAMES = 10;

// svdf_test.cc input_data_2x2x10: ten frames of [batch 2, input 2].
const INPUT = [
  0.12609188, -0.46347019, 0.35867718, 0.36897406, 0.14278367, -1.64410412, -0.57290924, 0.12729003, 0.49837467,
  0.19278903, 0.17660543, 0.52949083, -0.11186574, 0.13164264, -0.72674477, -0.5683046, -0.68892461, 0.37783599,
  -0.63690937, 0.44483393, -0.81299269, -0.86831826, -0.95760226, 1.82078898, -1.45006323, -0.82251364, -1.65087092,
  -1.89238167, 0.03966608, -0.24936394, 2.06740379, -1.51439476, 0.11771342, -0.23761693, 0.31088525, -1.55601168,
  -0.89477462, 1.67204106, -0.6230064, 0.29819036,
];

// feature_weights_data_2x2x10: [filters 8, input 2].
const FEATURE_WEIGHTS = [
  -0.31930989, 0.0079667, 0.39296314, 0.37613347, 0.12416199, 0.15785322, 0.27901134, 0.3905206, 0.21931258,
  -0.36137494, -0.10640851, 0.31053296, -0.36118156, -0.0976817, -0.36916667, 0.22197971,
];

// time_weights_data_2x2x10: [filters 8, memory 10].
const TIME_WEIGHTS = [
  -0.31930989, 0.37613347, 0.27901134, -0.36137494, -0.36118156, 0.22197971, 0.27557442, -0.06634006, 0.0079667,
  0.12416199, 0.3905206, -0.10640851, -0.0976817, 0.15294972, 0.39635518, -0.02702999, 0.39296314, 0.15785322,
  0.21931258, 0.31053296, -0.36916667, 0.38031587, -0.21580373, 0.27072677, 0.23622236, 0.34936687, 0.18174365,
  0.35907319, -0.17493086, 0.324846, -0.10781813, 0.27201805, 0.14324132, -0.23681851, -0.27115166, -0.01580888,
  -0.14943552, 0.15465137, 0.09784451, -0.0337657, -0.14884081, 0.19931212, -0.36002168, 0.34663299, -0.11405486,
  0.12672701, 0.39463779, -0.07886535, -0.06384811, 0.08249187, -0.26816407, -0.19905911, 0.29211238, 0.31264046,
  -0.28664589, 0.05698794, 0.11613581, 0.14078894, 0.02187902, -0.21781836, -0.15567942, 0.08693647, -0.38256618,
  0.36580828, -0.22922277, -0.0226903, 0.12878349, -0.28122205, -0.10850525, -0.11955214, 0.27179423, -0.04710215,
  0.31069002, 0.22672787, 0.09580326, 0.08682203, 0.1258215, 0.1851041, 0.29228821, 0.12366763,
];

// golden_output_2x2x10: ten outputs of [batch 2, units 4].
const GOLDEN = [
  -0.044205, -0.013757, 0.050369, -0.018447, 0.07301, 0.025142, -0.021154, 0.013551, -0.209613, -0.062421, 0.150209,
  -0.108334, 0.028256, -0.00695, -0.030885, 0.009603, -0.0768, -0.037075, -0.087198, -0.155183, 0.091069, 0.098446,
  -0.016083, 0.106475, -0.082123, -0.162238, -0.084434, -0.141074, -0.02934, -0.090685, 0.053302, -0.030604, -0.20144,
  0.088424, 0.139877, 0.012416, -0.113212, 0.103893, -0.100842, 0.12278, -0.166632, -0.116705, 0.175298, -0.047163,
  0.313077, -0.166485, -0.28586, 0.129069, -0.625911, 0.046134, 0.138081, -0.129581, -0.521455, -0.061579, 0.230289,
  0.114963, -0.216693, -0.161643, -0.179177, -0.052599, -0.213239, 0.029502, 0.260858, 0.275045, -0.213689, -0.323608,
  -0.285635, -0.317687, -0.324092, -0.317972, -0.20845, -0.462504, -0.255126, -0.218576, -0.041528, 0.179421, -0.440583,
  0.072127, -0.284136, 0.24157,
];

/** Wraps a kernel so invocation k first copies frame k into input 0 (the harness reuses one input buffer). */
function feedingFrames(kernel: AnyKernel, frames: ArrayLike<number>[]): AnyKernel {
  let call = 0;
  return {
    prepare: (ctx) => kernel.prepare(ctx),
    eval(prepared, io, state) {
      (io.inputs[0] as TypedArray as Float32Array).set(frames[call++]!);
      kernel.eval(prepared, io, state);
    },
  };
}

function frames(values: number[], size: number): number[][] {
  return Array.from({ length: values.length / size }, (_, k) => values.slice(k * size, (k + 1) * size));
}

/** TFLM test_helpers Quantize: round(value / scale) in float32, half away from zero, plus zero point, clamped. */
function quantize(values: number[], scale: number, zeroPoint: number, min: number, max: number): number[] {
  return values.map((v) => {
    const q = Math.fround(v / scale);
    return Math.min(max, Math.max(min, (q < 0 ? -Math.round(-q) : Math.round(q)) + zeroPoint));
  });
}

describe("SVDF", () => {
  test("float32 2x2 input, 2x4 output, rank 2, memory 10: ten invocations match svdf_test.cc goldens", () => {
    const { history } = runKernel(feedingFrames(svdf, frames(INPUT, BATCH * INPUT_SIZE)), {
      options: { rank: RANK, fusedActivationFunction: "NONE" },
      inputs: [
        { dtype: "float32", shape: [BATCH, INPUT_SIZE] },
        { dtype: "float32", shape: [FILTERS, INPUT_SIZE], data: FEATURE_WEIGHTS, constant: true },
        { dtype: "float32", shape: [FILTERS, MEMORY], data: TIME_WEIGHTS, constant: true },
        { dtype: "float32", shape: [UNITS], data: new Array(UNITS).fill(0), constant: true },
        { dtype: "float32", shape: [BATCH, MEMORY * FILTERS], isVariable: true },
      ],
      outputs: [{ dtype: "float32", shape: [BATCH, UNITS] }],
      invocations: FRAMES,
    });
    history.forEach(([out], frame) => {
      out!.forEach((v, i) => {
        const expected = GOLDEN[frame * BATCH * UNITS + i]!;
        assert.ok(Math.abs(Number(v) - expected) <= 1e-5, `frame ${frame} output ${i}: ${v} vs ${expected}`);
      });
    });
  });

  test("the activation state persists: a fresh node fed frame 2 alone gives a different output", () => {
    const run = (kernel: AnyKernel, invocations: number) =>
      runKernel(kernel, {
        options: { rank: RANK, fusedActivationFunction: "NONE" },
        inputs: [
          { dtype: "float32", shape: [BATCH, INPUT_SIZE] },
          { dtype: "float32", shape: [FILTERS, INPUT_SIZE], data: FEATURE_WEIGHTS, constant: true },
          { dtype: "float32", shape: [FILTERS, MEMORY], data: TIME_WEIGHTS, constant: true },
          null,
          { dtype: "float32", shape: [BATCH, MEMORY * FILTERS], isVariable: true },
        ],
        outputs: [{ dtype: "float32", shape: [BATCH, UNITS] }],
        invocations,
      }).outputs[0] as Float32Array;
    const sequence = frames(INPUT, BATCH * INPUT_SIZE);
    const afterTwo = run(feedingFrames(svdf, sequence), 2);
    const alone = run(feedingFrames(svdf, [sequence[1]!]), 1);
    // Without a bias, the second golden frame is exactly what the remembered first frame produces.
    afterTwo.forEach((v, i) => {
      assert.ok(Math.abs(Number(v) - GOLDEN[8 + i]!) <= 1e-5);
    });
    assert.notDeepEqual(Array.from(alone), Array.from(afterTwo));
  });

  // SvdfQuantized2x2Input2x4OutputShouldMatchGolden<T>: int8 input and weights_feature, T weights_time and state.
  for (const stateType of ["int16", "int8"] as const) {
    test(`int8 with ${stateType} weights_time and state: ten invocations within 1 of the quantized goldens`, () => {
      const tMax = stateType === "int16" ? 32767 : 127;
      const tMin = -tMax - 1;
      const inputScale = Math.fround(2.5 / 127);
      const featureScale = Math.fround(1 / 127);
      const timeScale = Math.fround(1 / tMax);
      const stateScale = Math.fround(1.49 / tMax);
      const outputScale = Math.fround(1 / 127);
      const input = quantize(INPUT, inputScale, 0, -128, 127);
      const spec = (dtype: TensorSpec["dtype"], shape: number[], scale: number, extra: Partial<TensorSpec> = {}) => ({
        dtype,
        shape,
        scale,
        zeroPoint: 0,
        ...extra,
      });
      const { history } = runKernel(feedingFrames(svdf, frames(input, BATCH * INPUT_SIZE)), {
        options: { rank: RANK, fusedActivationFunction: "RELU" },
        inputs: [
          spec("int8", [BATCH, INPUT_SIZE], inputScale),
          spec("int8", [FILTERS, INPUT_SIZE], featureScale, {
            data: quantize(FEATURE_WEIGHTS, featureScale, 0, -128, 127),
            constant: true,
          }),
          spec(stateType, [FILTERS, MEMORY], timeScale, {
            data: quantize(TIME_WEIGHTS, timeScale, 0, tMin, tMax),
            constant: true,
          }),
          spec("int32", [UNITS], Math.fround(timeScale * stateScale), { data: [0, 0, 0, 0], constant: true }),
          spec(stateType, [BATCH, MEMORY * FILTERS], stateScale, { isVariable: true }),
        ],
        outputs: [spec("int8", [BATCH, UNITS], outputScale)],
        invocations: FRAMES,
      });
      const golden = quantize(GOLDEN, outputScale, 0, -128, 127);
      history.forEach(([out], frame) => {
        out!.forEach((v, i) => {
          const expected = golden[frame * BATCH * UNITS + i]!;
          assert.ok(Math.abs(Number(v) - expected) <= 1, `frame ${frame} output ${i}: ${v} vs ${expected}`);
        });
      });
    });
  }

  test("the int8 fast path (int16 state) gives the reference's outputs over many frames of random layers", () => {
    const r = seededRandom(4242);
    let fastRuns = 0;
    for (let i = 0; i < 120; i++) {
      const rank = r.pick([1, 1, 2, 3]);
      const units = r.int(1, 9);
      const filters = units * rank;
      const inputSize = r.pick([1, 3, 16, 17, 96, 255]);
      const memory = r.pick([1, 2, 8, 10, 33]);
      const batch = r.int(1, 2);
      const frameCount = 6;
      const inputZeroPoint = r.int(-128, 127);
      const stateZeroPoint = r.pick([0, 0, 5, -300]);
      const inputScale = randomScale(r, 0.02);
      const featureScale = randomScale(r, 0.01);
      const timeScale = randomScale(r, 1e-4);
      // Narrow inputs and time weights keep some accumulators small, so a one-unit slip shows in the output.
      const inputSpread = r.pick([2, 20, 255]);
      const timeSpread = r.pick([3, 300, 32767]);
      // Effective scales: input x feature -> state from 2^-14 to 2; state x time -> output for outputs spanning a
      // few to a hundred steps, sometimes extreme (2^-20 to 2^3), so left and right shifts and saturation occur.
      const featureMultiplier = 2 ** (r.next() * 15 - 14);
      const typicalState = Math.min(32767, 64 * inputSpread * Math.sqrt(inputSize) * featureMultiplier);
      const timeAccumulator = Math.max(1, (timeSpread / 2) * typicalState * Math.sqrt(rank * memory));
      const outputMultiplier = r.next() < 0.8 ? 2 ** (r.next() * 6 - 1) / timeAccumulator : 2 ** (r.next() * 23 - 20);
      const stateScale = Math.fround((inputScale * featureScale) / featureMultiplier);
      const outputScale = Math.fround((stateScale * timeScale) / outputMultiplier);
      const hugeBias = r.next() < 0.2;
      const bias = Array.from({ length: units }, () =>
        hugeBias ? r.int(-(2 ** 31), 2 ** 31 - 1) : r.int(-timeAccumulator, timeAccumulator),
      );
      const lowest = r.next() < 0.3 ? -128 : -127;
      const frames = Array.from({ length: frameCount }, () =>
        Array.from({ length: batch * inputSize }, () =>
          Math.min(127, Math.max(-128, inputZeroPoint + r.int(-inputSpread, inputSpread))),
        ),
      );
      const layer: KernelRun = {
        options: { rank },
        inputs: [
          { dtype: "int8", shape: [batch, inputSize], scale: inputScale, zeroPoint: inputZeroPoint },
          {
            dtype: "int8",
            shape: [filters, inputSize],
            data: Array.from({ length: filters * inputSize }, () => r.int(lowest, 127)),
            scale: featureScale,
            zeroPoint: 0,
            constant: true,
          },
          {
            dtype: "int16",
            shape: [filters, memory],
            data: Array.from({ length: filters * memory }, () => Math.max(-32768, r.int(-timeSpread, timeSpread))),
            scale: timeScale,
            zeroPoint: 0,
            constant: true,
          },
          r.next() < 0.15
            ? null
            : {
                dtype: "int32",
                shape: [units],
                data: bias,
                scale: Math.fround(stateScale * timeScale),
                constant: true,
              },
          {
            dtype: "int16",
            shape: [batch, memory * filters],
            scale: stateScale,
            zeroPoint: stateZeroPoint,
            isVariable: true,
          },
        ],
        outputs: [{ dtype: "int8", shape: [batch, units], scale: outputScale, zeroPoint: r.int(-128, 127) }],
        invocations: frameCount,
      };
      let prepared: SvdfPrepared | null = null;
      const recorded: AnyKernel = {
        ...svdf,
        prepare(ctx) {
          prepared = svdf.prepare(ctx);
          return prepared;
        },
      };
      const referenceOnly: AnyKernel = {
        ...svdf,
        prepare(ctx) {
          const p = svdf.prepare(ctx);
          if (p.kind === "integer") p.fast = null;
          return p;
        },
      };
      const fast = runKernel(feedingFrames(recorded, frames), layer).history;
      const reference = runKernel(feedingFrames(referenceOnly, frames), layer).history;
      const label = JSON.stringify({ rank, units, inputSize, memory, batch, inputZeroPoint, stateZeroPoint, hugeBias });
      assert.ok(prepared && (prepared as SvdfPrepared).kind === "integer", label);
      if ((prepared as unknown as { fast: unknown }).fast) fastRuns++;
      assert.deepEqual(fast, reference, label);
    }
    assert.equal(fastRuns, 120, "every layer must take the fast path");
  });

  test("prepare rejects a non-variable state and unsupported types", () => {
    const base = {
      options: { rank: RANK },
      outputs: [{ dtype: "float32" as const, shape: [BATCH, UNITS] }],
    };
    const inputs = (state: Partial<TensorSpec>, inputType: TensorSpec["dtype"] = "float32"): TensorSpec[] => [
      { dtype: inputType, shape: [BATCH, INPUT_SIZE] },
      { dtype: "float32", shape: [FILTERS, INPUT_SIZE], data: FEATURE_WEIGHTS, constant: true },
      { dtype: "float32", shape: [FILTERS, MEMORY], data: TIME_WEIGHTS, constant: true },
      { dtype: "float32", shape: [UNITS], data: [0, 0, 0, 0], constant: true },
      { dtype: "float32", shape: [BATCH, MEMORY * FILTERS], ...state },
    ];
    assert.throws(() => runKernel(svdf, { ...base, inputs: inputs({ isVariable: false }) }), /variable/);
    assert.throws(() => runKernel(svdf, { ...base, inputs: inputs({ isVariable: true }, "int16") }), KernelError);
    assert.throws(
      () => runKernel(svdf, { ...base, options: { rank: 3 }, inputs: inputs({ isVariable: true }) }),
      /multiple of rank/,
    );
  });
});

describe("requantize (fixed-point.ts; the requantization SVDF and LSTM use)", () => {
  test("equals multiplyByQuantizedMultiplier for edge and pseudo-random int32 inputs, multipliers and shifts", () => {
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return seed;
    };
    const xs = [0, 1, -1, 2, -2, 65535, -65536, 2 ** 30, -(2 ** 30), 2147483647, -2147483648];
    const multipliers = [0, 1, 1 << 30, 1518500250, 2147483647];
    for (let k = 0; k < 20000; k++) {
      const multiplier = k < 500 ? multipliers[k % multipliers.length]! : next() >>> 1;
      const shift = (k % 40) - 31;
      const x = k % 2 === 0 ? xs[k % xs.length]! : next() >> (k % 31);
      const r = requantizer(multiplier, Math.min(shift, 8));
      assert.equal(
        requantize(x, r),
        multiplyByQuantizedMultiplier(x, multiplier, Math.min(shift, 8)),
        `${x} ${multiplier} ${shift}`,
      );
    }
  });

  test("requantizeFloor on the unsplit product (the fast convolutions' inline form) equals it below the limit", () => {
    let seed = 54321;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return seed;
    };
    const limit = REQUANTIZE_UNSPLIT_LIMIT;
    const xs = [0, 1, -1, limit - 1, -(limit - 1), 65535, -65536];
    for (let shift = -REQUANTIZE_UNSPLIT_MAX_RIGHT_SHIFT; shift <= 8; shift++) {
      for (let k = 0; k < 2000; k++) {
        const multiplier = k < 5 ? [0, 1, 1 << 30, 1518500250, 2147483647][k]! : next() >>> 1;
        const x = k < xs.length ? xs[k]! : (next() % limit) >> (k % 21);
        const c = requantizeConstants(shift);
        const shifted = x << c.leftShift;
        if (shifted >= limit || shifted <= -limit) continue;
        assert.equal(
          requantizeFloor(shifted, multiplier, c.offset, c.negativeAdjust, c.scale),
          multiplyByQuantizedMultiplier(x, multiplier, shift),
          `${x} ${multiplier} ${shift}`,
        );
      }
    }
  });
});
