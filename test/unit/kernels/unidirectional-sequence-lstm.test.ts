/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM against TFLM's kernels/unidirectional_sequence_lstm_test.cc, whose node and goldens
 * come from kernels/testdata/lstm_test_data.cc (Create2x3x2X2*NodeContents, Get2X2LstmEvalCheckData): batch 2,
 * 3 time steps, input 2, state 2, batch-major, tanh cell gate, cell clip 6. The quantized variants are built the
 * way CreateIntegerNodeContents builds them (symmetric weights and bias per gate, quantized input and states), and
 * are checked after dequantization with TFLM's tolerances. We check every output step (TFLM checks the first 4).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import type { DType } from "../../../src/format/model.js";
import { unidirectionalSequenceLstm } from "../../../src/kernels/unidirectional-sequence-lstm.js";
import type { AnyKernel } from "../../../src/runtime/kernel.js";
import type { TypedArray } from "../../../src/runtime/tensor.js";
import { type KernelRun, runKernel, type TensorSpec } from "../../support/kernel-harness.js";

const BATCH = 2;
const TIME = 3;
const INPUT_SIZE = 2;
const STATE = 2;

// Get2X2LstmEvalCheckData.
const INPUT = [0.2, 0.3, 0.2, 0.3, 0.2, 0.3, -0.98, 0.62, 0.01, 0.99, 0.49, -0.32];
const EXPECTED_OUTPUT = [
  0.26455893, 0.26870455, 0.47935803, 0.47937014, 0.58013272, 0.58013278, -1.41184672e-3, -1.43329117e-5, 0.46887168,
  0.46891281, 0.50054074, 0.50054148,
];
const EXPECTED_HIDDEN = [0.58013272, 0.58013278, 0.50054074, 0.50054148];
const EXPECTED_CELL = [0.89740515, 0.8974053, 0.80327607, 0.80327785];

interface FloatGateData {
  inputWeights: number[];
  recurrentWeights: number[];
  bias: number[];
}

// Create2x3x2X2FloatNodeContents, in FORGET, INPUT, CELL, OUTPUT order.
const GATES: FloatGateData[] = [
  { inputWeights: [-10, -10, -20, -20], recurrentWeights: [-10, -10, -20, -20], bias: [1, 2] },
  { inputWeights: [10, 10, 20, 20], recurrentWeights: [10, 10, 20, 20], bias: [-1, -2] },
  { inputWeights: [1, 1, 1, 1], recurrentWeights: [1, 1, 1, 1], bias: [0, 0] },
  { inputWeights: [1, 1, 1, 1], recurrentWeights: [1, 1, 1, 1], bias: [0, 0] },
];
/** Tensor indices (lstm_shared.h) of each gate's input weights, recurrent weights and bias. */
const GATE_INDICES = [
  [2, 6, 13],
  [1, 5, 12],
  [3, 7, 14],
  [4, 8, 15],
];
const OPTIONS = { fusedActivationFunction: "TANH", cellClip: 6, projClip: 3, timeMajor: false };

interface Quantization {
  scale: number;
  zeroPoint: number;
}

interface IntegerSettings {
  activation: DType;
  bias: DType;
  input: Quantization;
  hidden: Quantization;
  cell: Quantization;
  /** [input weights, recurrent weights, bias] scale per gate, FORGET, INPUT, CELL, OUTPUT. */
  gates: [number, number, number][];
}

// Get2X2Int8LstmQuantizationSettings.
const INT8_SETTINGS: IntegerSettings = {
  activation: "int8",
  bias: "int32",
  input: { scale: 0.00784313725490196, zeroPoint: 0 },
  hidden: { scale: 0.004705882165580988, zeroPoint: -21 },
  cell: { scale: 0.00024414062, zeroPoint: 0 },
  gates: [
    [0.15748031496062992, 0.15748031496062992, 0.0012351397251814111],
    [0.15748031496062992, 0.15748031496062992, 0.0012351397251814111],
    [0.007874015748031496, 0.007874015748031496, 6.175698625907056e-5],
    [0.007874015748031496, 0.007874015748031496, 6.175698625907056e-5],
  ],
};

// Get2X2Int16LstmQuantizationSettings.
const INT16_SETTINGS: IntegerSettings = {
  activation: "int16",
  bias: "int64",
  input: { scale: 3.0518044e-5, zeroPoint: 0 },
  hidden: { scale: 2.1362956633198035e-5, zeroPoint: 0 },
  cell: { scale: 0.00024414062, zeroPoint: 0 },
  gates: [
    [0.15748031496062992, 0.15748031496062992, 4.8059911474468205e-6],
    [0.15748031496062992, 0.15748031496062992, 4.8059911474468205e-6],
    [0.007874015748031496, 0.007874015748031496, 2.40299557372341e-7],
    [0.007874015748031496, 0.007874015748031496, 2.40299557372341e-7],
  ],
};

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** TFLM micro_utils Quantize: round(v / scale) + zero point in float32, clamped to the type. */
function quantize(values: number[], q: Quantization, min: number, max: number): number[] {
  return values.map((v) => Math.min(max, Math.max(min, roundHalfAway(Math.fround(v / q.scale)) + q.zeroPoint)));
}

/** TFLM micro_utils SymmetricQuantize: round(v / scale), clamped to [min + 1, max]. */
function symmetricQuantize(values: number[], scale: number, max: number): number[] {
  return values.map((v) => Math.min(max, Math.max(-max, roundHalfAway(Math.fround(v / Math.fround(scale))))));
}

function nodeInputs(
  inputShape: number[],
  tensorFor: (index: number) => TensorSpec,
  input: TensorSpec,
  hidden: TensorSpec,
  cell: TensorSpec,
): (TensorSpec | null)[] {
  const inputs: (TensorSpec | null)[] = new Array(24).fill(null);
  inputs[0] = { ...input, shape: inputShape };
  for (const indices of GATE_INDICES) for (const k of indices) inputs[k] = tensorFor(k);
  inputs[18] = hidden;
  inputs[19] = cell;
  return inputs;
}

function gateOf(index: number): { gate: number; role: number } {
  const gate = GATE_INDICES.findIndex((g) => g.includes(index));
  return { gate, role: GATE_INDICES[gate]!.indexOf(index) };
}

function floatNode(inputData: number[], timeSteps = TIME) {
  return {
    options: OPTIONS,
    inputs: nodeInputs(
      [BATCH, timeSteps, INPUT_SIZE],
      (k) => {
        const { gate, role } = gateOf(k);
        const g = GATES[gate]!;
        const data = [g.inputWeights, g.recurrentWeights, g.bias][role]!;
        return { dtype: "float32", shape: role === 2 ? [STATE] : [STATE, STATE], data, constant: true };
      },
      { dtype: "float32", shape: [], data: inputData },
      { dtype: "float32", shape: [BATCH, STATE], isVariable: true },
      { dtype: "float32", shape: [BATCH, STATE], isVariable: true },
    ),
    outputs: [{ dtype: "float32" as const, shape: [BATCH, timeSteps, STATE] }],
  };
}

function integerNode(s: IntegerSettings, inputData: number[], timeSteps = TIME) {
  const activationMax = s.activation === "int8" ? 127 : 32767;
  const q = (x: Quantization) => ({ scale: Math.fround(x.scale), zeroPoint: x.zeroPoint });
  return {
    options: OPTIONS,
    inputs: nodeInputs(
      [BATCH, timeSteps, INPUT_SIZE],
      (k): TensorSpec => {
        const { gate, role } = gateOf(k);
        const g = GATES[gate]!;
        const scale = s.gates[gate]![role]!;
        if (role === 2) {
          const data = symmetricQuantize(g.bias, scale, 2147483647);
          return { dtype: s.bias, shape: [STATE], data, constant: true, ...q({ scale, zeroPoint: 0 }) };
        }
        const data = symmetricQuantize(role === 0 ? g.inputWeights : g.recurrentWeights, scale, 127);
        return { dtype: "int8", shape: [STATE, STATE], data, constant: true, ...q({ scale, zeroPoint: 0 }) };
      },
      {
        dtype: s.activation,
        shape: [],
        data: quantize(inputData, s.input, -activationMax - 1, activationMax),
        ...q(s.input),
      },
      {
        dtype: s.activation,
        shape: [BATCH, STATE],
        data: quantize([0, 0, 0, 0], s.hidden, -activationMax - 1, activationMax),
        isVariable: true,
        ...q(s.hidden),
      },
      { dtype: "int16", shape: [BATCH, STATE], isVariable: true, ...q(s.cell) },
    ),
    outputs: [{ dtype: s.activation, shape: [BATCH, timeSteps, STATE], ...q(s.hidden) }],
  };
}

/** Wraps the kernel to copy the hidden and cell state tensors after each invocation. */
function recordingStates(sink: { hidden: number[]; cell: number[] }): AnyKernel {
  return {
    prepare: (ctx) => unidirectionalSequenceLstm.prepare(ctx),
    eval(prepared, io, state) {
      unidirectionalSequenceLstm.eval(prepared, io, state);
      sink.hidden = Array.from(io.inputs[18] as Float32Array);
      sink.cell = Array.from(io.inputs[19] as Float32Array);
    },
  };
}

function assertNear(actual: number[], expected: number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[i]!) <= tolerance, `${what}[${i}] = ${v}, expected ${expected[i]} ± ${tolerance}`);
  });
}

function dequantize(values: ArrayLike<number>, q: Quantization): number[] {
  return Array.from(values, (v) => (v - q.zeroPoint) * Math.fround(q.scale));
}

/** [batch, 2·time, input] from [batch, time, input]: each batch row's sequence played twice in a row. */
function twice(values: number[], steps: number, width: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < BATCH; b++) {
    const row = values.slice(b * steps * width, (b + 1) * steps * width);
    out.push(...row, ...row);
  }
  return out;
}

/** The second half of each batch row of a [batch, 2·time, state] output. */
function secondHalves(all: number[], steps: number, width: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < BATCH; b++) out.push(...all.slice((2 * b + 1) * steps * width, (2 * b + 2) * steps * width));
  return out;
}

/** [a, b, width] → [b, a, width]. */
function swapLeadingAxes(values: ArrayLike<number>, a: number, b: number, width: number): number[] {
  const out: number[] = new Array(values.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      for (let k = 0; k < width; k++) out[(j * a + i) * width + k] = values[(i * b + j) * width + k]!;
    }
  }
  return out;
}

/** The same node with time-major input and output ([time, batch, ·]). */
function timeMajor(node: KernelRun): KernelRun {
  const input = node.inputs[0]!;
  const inputs = [...node.inputs];
  inputs[0] = {
    ...input,
    shape: [TIME, BATCH, INPUT_SIZE],
    data: swapLeadingAxes(input.data as number[], BATCH, TIME, INPUT_SIZE),
  };
  return {
    options: { ...node.options, timeMajor: true },
    inputs,
    outputs: [{ ...node.outputs[0]!, shape: [TIME, BATCH, STATE] }],
  };
}

describe("UNIDIRECTIONAL_SEQUENCE_LSTM", () => {
  test("float32: output, hidden and cell state match TestUnidirectionalLSTMFloat (tolerance 1e-6)", () => {
    const states = { hidden: [] as number[], cell: [] as number[] };
    const { outputs } = runKernel(recordingStates(states), floatNode(INPUT));
    assertNear(Array.from(outputs[0] as Float32Array), EXPECTED_OUTPUT, 1e-6, "output");
    assertNear(states.hidden, EXPECTED_HIDDEN, 1e-6, "hidden state");
    assertNear(states.cell, EXPECTED_CELL, 1e-6, "cell state");
  });

  const integerCases = [
    { name: "int8 activations, int16 cell (TestUnidirectionalLSTMInt8)", s: INT8_SETTINGS, hidden: 1e-2, cell: 1e-2 },
    {
      name: "int16 activations, int64 bias (TestUnidirectionalLSTMInt16)",
      s: INT16_SETTINGS,
      hidden: 1e-3,
      cell: 1e-2,
    },
  ];
  for (const c of integerCases) {
    test(`${c.name}: dequantized results within TFLM's tolerances`, () => {
      const states = { hidden: [] as number[], cell: [] as number[] };
      const { outputs } = runKernel(recordingStates(states), integerNode(c.s, INPUT));
      assertNear(dequantize(outputs[0] as Int8Array, c.s.hidden), EXPECTED_OUTPUT, c.hidden, "output");
      assertNear(dequantize(states.hidden, c.s.hidden), EXPECTED_HIDDEN, c.hidden, "hidden state");
      assertNear(dequantize(states.cell, c.s.cell), EXPECTED_CELL, c.cell, "cell state");
    });
  }

  test("state persists across invocations: two runs of 3 steps equal one run of the 6-step sequence", () => {
    const values = (a: TypedArray | undefined) => Array.from(a as Float32Array);
    const float = runKernel(unidirectionalSequenceLstm, { ...floatNode(INPUT), invocations: 2 });
    const floatLong = runKernel(unidirectionalSequenceLstm, floatNode(twice(INPUT, TIME, INPUT_SIZE), 2 * TIME));
    assert.notDeepEqual(values(float.history[1]![0]), values(float.history[0]![0]));
    assert.deepEqual(values(float.outputs[0]), secondHalves(values(floatLong.outputs[0]), TIME, STATE));

    const int8 = runKernel(unidirectionalSequenceLstm, { ...integerNode(INT8_SETTINGS, INPUT), invocations: 2 });
    const int8Long = runKernel(
      unidirectionalSequenceLstm,
      integerNode(INT8_SETTINGS, twice(INPUT, TIME, INPUT_SIZE), 2 * TIME),
    );
    assert.notDeepEqual(values(int8.history[1]![0]), values(int8.history[0]![0]));
    assert.deepEqual(values(int8.outputs[0]), secondHalves(values(int8Long.outputs[0]), TIME, STATE));
  });

  test("time-major layout gives the batch-major results, transposed (float32 and int8)", () => {
    const nodes: KernelRun[] = [floatNode(INPUT), integerNode(INT8_SETTINGS, INPUT)];
    for (const node of nodes) {
      const batchMajor = Array.from(runKernel(unidirectionalSequenceLstm, node).outputs[0] as Float32Array);
      const transposed = Array.from(runKernel(unidirectionalSequenceLstm, timeMajor(node)).outputs[0] as Float32Array);
      assert.deepEqual(swapLeadingAxes(transposed, TIME, BATCH, STATE), batchMajor);
    }
  });

  test("int8 fast path (pair-packed weights) equals the plain per-gate loops on random layers", () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const ints = (n: number, lo: number, hi: number) =>
      Array.from({ length: n }, () => lo + Math.floor(random() * (hi - lo + 1)));
    const layouts = [
      { timeMajor: false, batch: 2, steps: 5, inputSize: 7, state: 5 },
      { timeMajor: true, batch: 3, steps: 4, inputSize: 6, state: 4 },
      { timeMajor: false, batch: 1, steps: 6, inputSize: 28, state: 20 },
    ];
    for (const l of layouts) {
      const [outer, inner] = l.timeMajor ? [l.steps, l.batch] : [l.batch, l.steps];
      const inputs: (TensorSpec | null)[] = new Array(24).fill(null);
      const hidden = { scale: 0.0078125, zeroPoint: -3 };
      inputs[0] = {
        dtype: "int8",
        shape: [outer, inner, l.inputSize],
        data: ints(outer * inner * l.inputSize, -128, 127),
        scale: 0.02,
        zeroPoint: 5,
      };
      for (const [wi, wr, bias] of GATE_INDICES as [number, number, number][]) {
        inputs[wi] = {
          dtype: "int8",
          shape: [l.state, l.inputSize],
          data: ints(l.state * l.inputSize, -127, 127),
          constant: true,
          scale: 0.01 + random() * 0.02,
          zeroPoint: 0,
        };
        inputs[wr] = {
          dtype: "int8",
          shape: [l.state, l.state],
          data: ints(l.state * l.state, -127, 127),
          constant: true,
          scale: 0.01 + random() * 0.02,
          zeroPoint: 0,
        };
        inputs[bias] = {
          dtype: "int32",
          shape: [l.state],
          data: ints(l.state, -3000, 3000),
          constant: true,
          scale: 0.0002,
          zeroPoint: 0,
        };
      }
      inputs[18] = {
        dtype: "int8",
        shape: [l.batch, l.state],
        data: ints(l.batch * l.state, -20, 20),
        isVariable: true,
        ...hidden,
      };
      inputs[19] = {
        dtype: "int16",
        shape: [l.batch, l.state],
        data: ints(l.batch * l.state, -4000, 4000),
        isVariable: true,
        scale: 2 ** -11,
        zeroPoint: 0,
      };
      const run: KernelRun = {
        options: { fusedActivationFunction: "TANH", cellClip: 0, timeMajor: l.timeMajor },
        inputs,
        outputs: [{ dtype: "int8", shape: [outer, inner, l.state], ...hidden }],
        invocations: 2,
      };
      const results: number[][] = [];
      for (const fast of [true, false]) {
        const states = { hidden: [] as number[], cell: [] as number[] };
        const kernel = recordingStates(states);
        const wrapped: AnyKernel = {
          prepare(ctx) {
            const prepared = kernel.prepare(ctx) as { paired: unknown };
            assert.ok(prepared.paired, "the int8 fast path should be prepared");
            return fast ? prepared : { ...prepared, paired: null };
          },
          eval: kernel.eval,
        };
        const { history } = runKernel(wrapped, run);
        results.push([...history.flatMap((o) => Array.from(o[0] as Int8Array)), ...states.hidden, ...states.cell]);
      }
      assert.deepEqual(results[0], results[1], `layout ${JSON.stringify(l)}`);
    }
  });

  test("prepare rejects CIFG (missing input gate), non-variable state and per-channel weights", () => {
    const cifg = floatNode(INPUT);
    cifg.inputs[1] = null;
    assert.throws(() => runKernel(unidirectionalSequenceLstm, cifg), /input 1/);

    const constantState = floatNode(INPUT);
    constantState.inputs[19] = { dtype: "float32", shape: [BATCH, STATE] };
    assert.throws(() => runKernel(unidirectionalSequenceLstm, constantState), /variable/);

    const perChannel = integerNode(INT8_SETTINGS, INPUT);
    perChannel.inputs[2] = { ...perChannel.inputs[2]!, scale: [0.1, 0.2], zeroPoint: [0, 0] };
    assert.throws(() => runKernel(unidirectionalSequenceLstm, perChannel), KernelError);
  });
});
