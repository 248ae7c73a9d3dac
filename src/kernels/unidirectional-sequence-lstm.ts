/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM (TFLM unidirectional_sequence_lstm.cc): validation and quantization setup; the step
 * arithmetic is in lstm-common.ts. Only the standard LSTM TFLM supports: all four gates (no CIFG), no peephole,
 * projection or layer norm. Types: float32 throughout, or int8 activations / int8 weights / int32 bias / int16
 * cell state (and the int16-activation variant with int64 bias). Inputs 18 (hidden state) and 19 (cell state)
 * are variable tensors the runtime keeps per session.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import { int16TableInputScaling, integerRange, quantizeMultiplier, requantizer, roundHalfAway } from "./fixed-point.js";
import {
  evalFloatLstm,
  evalIntegerLstm,
  type FloatLstm,
  foldedBias,
  GATE_TENSORS,
  type IntegerLstm,
  LSTM_CELL_STATE,
  LSTM_FORGET_GATE_BIAS,
  LSTM_INPUT,
  LSTM_INPUT_TO_FORGET_WEIGHTS,
  LSTM_OUTPUT_STATE,
  LSTM_UNSUPPORTED_INPUTS,
  type LstmSizes,
  type PairedWeights,
  packGateWeights,
  pairGateWeights,
  scratchElements,
} from "./lstm-common.js";

const OP = "UNIDIRECTIONAL_SEQUENCE_LSTM";

/** Gate FC outputs are Q3.12 (scale 2^-12); gate activations produce Q0.15 (scale 2^-15). */
const GATE_INPUT_SCALE = 2 ** -12;
const GATE_OUTPUT_SCALE = 2 ** -15;

const WEIGHT_INPUTS = [1, 2, 3, 4, 5, 6, 7, 8];
const BIAS_INPUTS = [12, 13, 14, 15];

type LstmPrepared = ({ kind: "float32" } & FloatLstm) | ({ kind: "integer" } & IntegerLstm);

function required(ctx: NodeContext, index: number, what: string): TensorDef {
  const t = ctx.inputs[index];
  if (!t) throw new KernelError(`${OP}: input ${index} (${what}) is required`);
  return t;
}

function scaleOf(t: TensorDef, what: string): number {
  const q = t.quantization;
  if (!q || q.scale.length === 0) throw new KernelError(`${OP}: ${what} has no quantization parameters`);
  if (q.scale.length > 1) throw new KernelError(`${OP}: per-channel quantized ${what} is not supported`);
  return q.scale[0]!;
}

function zeroPointOf(t: TensorDef): number {
  return t.quantization?.zeroPoint[0] ?? 0;
}

function expectShape(t: TensorDef, expected: number[], what: string): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new KernelError(`${OP}: ${what} shape [${t.shape}] should be [${expected}]`);
  }
}

function constantData(t: TensorDef, what: string): Uint8Array {
  if (!t.data) throw new KernelError(`${OP}: ${what} must be constant`);
  return t.data;
}

/** TFLM ValidateTensorStatus + ValidateTensorSize: the standard-LSTM tensor set with consistent types and shapes. */
function validate(ctx: NodeContext): LstmSizes {
  if (ctx.inputs.length !== 24) throw new KernelError(`${OP}: expects 24 inputs, got ${ctx.inputs.length}`);
  if (ctx.outputs.length !== 1) throw new KernelError(`${OP}: expects 1 output, got ${ctx.outputs.length}`);
  const input = required(ctx, LSTM_INPUT, "input");
  const hidden = required(ctx, LSTM_OUTPUT_STATE, "output state");
  const cell = required(ctx, LSTM_CELL_STATE, "cell state");
  const output = ctx.outputs[0]!;
  if (!hidden.isVariable || !cell.isVariable) {
    throw new KernelError(`${OP}: output state and cell state (inputs 18, 19) must be variable tensors`);
  }
  if (hidden.dtype !== input.dtype) {
    throw new KernelError(`${OP}: output state type ${hidden.dtype} differs from input type ${input.dtype}`);
  }
  if (output.dtype !== input.dtype) {
    throw new KernelError(`${OP}: output type ${output.dtype} differs from input type ${input.dtype}`);
  }
  const weightType = required(ctx, LSTM_INPUT_TO_FORGET_WEIGHTS, "input-to-forget weights").dtype;
  for (const k of WEIGHT_INPUTS) {
    const w = required(ctx, k, "gate weights (CIFG LSTM is not supported)");
    if (w.dtype !== weightType) throw new KernelError(`${OP}: weights ${k} type ${w.dtype} differs from ${weightType}`);
  }
  const biasType = required(ctx, LSTM_FORGET_GATE_BIAS, "forget gate bias").dtype;
  for (const k of BIAS_INPUTS) {
    const b = required(ctx, k, "gate bias");
    if (b.dtype !== biasType) throw new KernelError(`${OP}: bias ${k} type ${b.dtype} differs from ${biasType}`);
  }
  for (const k of LSTM_UNSUPPORTED_INPUTS) {
    if (ctx.inputs[k]) throw new KernelError(`${OP}: input ${k} (peephole, projection or layer norm) is not supported`);
  }

  if (input.shape.length !== 3) throw new KernelError(`${OP}: input must be 3-D, got [${input.shape}]`);
  if (hidden.shape.length < 2) throw new KernelError(`${OP}: output state must be 2-D, got [${hidden.shape}]`);
  const timeMajor = Boolean(ctx.node.options.timeMajor);
  const sizes: LstmSizes = {
    timeMajor,
    batch: timeMajor ? input.shape[1]! : input.shape[0]!,
    timeSteps: timeMajor ? input.shape[0]! : input.shape[1]!,
    inputSize: input.shape[2]!,
    stateSize: hidden.shape[1]!,
  };
  const { batch, inputSize, stateSize } = sizes;
  for (const k of [1, 2, 3, 4]) expectShape(ctx.inputs[k]!, [stateSize, inputSize], `input weights ${k}`);
  for (const k of [5, 6, 7, 8]) expectShape(ctx.inputs[k]!, [stateSize, stateSize], `recurrent weights ${k}`);
  for (const k of BIAS_INPUTS) expectShape(ctx.inputs[k]!, [stateSize], `bias ${k}`);
  if (hidden.elementCount !== batch * stateSize || cell.elementCount !== batch * stateSize) {
    throw new KernelError(`${OP}: state tensors must hold batch × state = ${batch * stateSize} elements`);
  }
  expectShape(output, [input.shape[0]!, input.shape[1]!, stateSize], "output");
  return sizes;
}

function cellGateActivation(ctx: NodeContext): "TANH" | "SIGMOID" {
  const activation = String(ctx.node.options.fusedActivationFunction ?? "NONE");
  if (activation === "TANH" || activation === "SIGMOID") return activation;
  throw new KernelError(`${OP}: cell gate activation ${activation} is not supported (TANH, SIGMOID)`);
}

function prepareFloat(ctx: NodeContext, sizes: LstmSizes): FloatLstm {
  const weights = ctx.inputs[LSTM_INPUT_TO_FORGET_WEIGHTS]!.dtype;
  const bias = ctx.inputs[LSTM_FORGET_GATE_BIAS]!.dtype;
  if (ctx.inputs[LSTM_INPUT]!.dtype !== "float32" || weights !== "float32" || bias !== "float32") {
    throw new KernelError(`${OP}: a float32 cell state needs float32 input, weights and bias`);
  }
  const view = (k: number) => {
    const data = constantData(ctx.inputs[k]!, `input ${k}`);
    return new Float32Array(data.buffer, data.byteOffset, ctx.inputs[k]!.elementCount);
  };
  const { inputSize, stateSize } = sizes;
  const noZeroPoints = [0, 0, 0, 0];
  return {
    sizes,
    inputWeights: packGateWeights(
      GATE_TENSORS.map(([w]) => view(w)),
      noZeroPoints,
      stateSize,
      inputSize,
    ),
    recurrentWeights: packGateWeights(
      GATE_TENSORS.map(([, w]) => view(w)),
      noZeroPoints,
      stateSize,
      stateSize,
    ),
    bias: Float64Array.from(GATE_TENSORS.flatMap(([, , b]) => Array.from(view(b)))),
    cellGateTanh: cellGateActivation(ctx) === "TANH",
    cellClip: Number(ctx.node.options.cellClip ?? 0),
  };
}

/** TFLM CheckedLog2: log2 of a float32 scale in float arithmetic, rounded half away from zero. */
function checkedLog2(x: number): number {
  const log2 = Math.fround(Math.fround(Math.log(x)) * Math.fround(1 / Math.fround(Math.log(2))));
  return roundHalfAway(log2);
}

function prepareInteger(ctx: NodeContext, sizes: LstmSizes): IntegerLstm {
  const input = ctx.inputs[LSTM_INPUT]!;
  const hidden = ctx.inputs[LSTM_OUTPUT_STATE]!;
  const cell = ctx.inputs[LSTM_CELL_STATE]!;
  const weightType = ctx.inputs[LSTM_INPUT_TO_FORGET_WEIGHTS]!.dtype;
  const biasType = ctx.inputs[LSTM_FORGET_GATE_BIAS]!.dtype;
  const expectedBias = input.dtype === "int8" ? "int32" : input.dtype === "int16" ? "int64" : null;
  if (!expectedBias) {
    throw new KernelError(`${OP}: input type ${input.dtype} is not supported with an int16 cell state (int8, int16)`);
  }
  if (weightType !== "int8") throw new KernelError(`${OP}: weight type ${weightType} is not supported (int8)`);
  if (biasType !== expectedBias) {
    throw new KernelError(`${OP}: ${input.dtype} activations need ${expectedBias} bias, got ${biasType}`);
  }

  const inputScale = scaleOf(input, "input");
  const hiddenScale = scaleOf(hidden, "output state");
  const cellScale = scaleOf(cell, "cell state");
  const { inputSize, stateSize } = sizes;

  const int8Weights = (k: number) => {
    const data = constantData(ctx.inputs[k]!, `weights ${k}`);
    return new Int8Array(data.buffer, data.byteOffset, ctx.inputs[k]!.elementCount);
  };
  const biasValues = (k: number): ArrayLike<number> => {
    const b = ctx.inputs[k]!;
    const bytes = constantData(b, `bias ${k}`);
    return b.dtype === "int64"
      ? Array.from(new BigInt64Array(bytes.buffer, bytes.byteOffset, b.elementCount), Number)
      : new Int32Array(bytes.buffer, bytes.byteOffset, b.elementCount);
  };
  // Gate FCs output Q3.12 (TFLM CreateGateParams); input_scale × weight_scale is a float32 product, then the
  // division is in double (GetQuantizedConvolutionMultipler).
  const fcMultipliers = (weightIndices: number[], sourceScale: number) =>
    weightIndices.map((k) =>
      quantizeMultiplier(Math.fround(sourceScale * scaleOf(ctx.inputs[k]!, `weights ${k}`)) / GATE_INPUT_SCALE),
    );
  const inputIndices = GATE_TENSORS.map(([w]) => w);
  const recurrentIndices = GATE_TENSORS.map(([, w]) => w);
  const inputQ = fcMultipliers(inputIndices, inputScale);
  const recurrentQ = fcMultipliers(recurrentIndices, hiddenScale);
  const weightZeroPoints = (indices: number[]) => indices.map((k) => zeroPointOf(ctx.inputs[k]!));
  const inputWeights = packGateWeights(
    inputIndices.map(int8Weights),
    weightZeroPoints(inputIndices),
    stateSize,
    inputSize,
  );
  const recurrentWeights = packGateWeights(
    recurrentIndices.map(int8Weights),
    weightZeroPoints(recurrentIndices),
    stateSize,
    stateSize,
  );

  // TFLM CreateInterGateMulParams: products and quotients of the float scales, in double.
  const mulRequantizer = (scale: number) => {
    const q = quantizeMultiplier(scale);
    return requantizer(q.multiplier, q.shift);
  };
  const [hiddenMin, hiddenMax] = integerRange(hidden.dtype);

  const cellClip = Number(ctx.node.options.cellClip ?? 0);
  // The clip in cell units, truncated toward zero like TFLM's cast to int16.
  const quantizedClip = Math.trunc(Math.min(Math.max(cellClip / cellScale, -32768), 32767));
  // tanh of the cell: Q(15 + power) → the table's input scaling, a right shift when the cell has more fraction bits.
  let tanhShift = 15 + checkedLog2(cellScale) - 3;
  let tanhMultiplier = 0;
  if (tanhShift < 0) {
    tanhShift = -tanhShift;
    tanhMultiplier = 3;
  }
  const tanhScaling = int16TableInputScaling(tanhMultiplier, tanhShift);

  return {
    sizes,
    wideAccumulator: input.dtype === "int16",
    inputWeights,
    recurrentWeights,
    // The input FC carries the gate bias; the recurrent FC has none in TFLM's standard LSTM.
    inputBias: foldedBias(
      inputWeights,
      GATE_TENSORS.map(([, , b]) => biasValues(b)),
      -zeroPointOf(input),
      stateSize,
    ),
    recurrentBias: foldedBias(recurrentWeights, null, -zeroPointOf(hidden), stateSize),
    inputRequantizers: inputQ.map((q) => requantizer(q.multiplier, q.shift)),
    recurrentRequantizers: recurrentQ.map((q) => requantizer(q.multiplier, q.shift)),
    inputMultipliers: inputQ.map((q) => q.multiplier),
    inputShifts: inputQ.map((q) => q.shift),
    recurrentMultipliers: recurrentQ.map((q) => q.multiplier),
    recurrentShifts: recurrentQ.map((q) => q.shift),
    cellGateTanh: cellGateActivation(ctx) === "TANH",
    forgetCell: mulRequantizer((GATE_OUTPUT_SCALE * cellScale) / cellScale),
    inputCell: mulRequantizer((GATE_OUTPUT_SCALE * GATE_OUTPUT_SCALE) / cellScale),
    hidden: mulRequantizer((GATE_OUTPUT_SCALE * GATE_OUTPUT_SCALE) / hiddenScale),
    hiddenZeroPoint: zeroPointOf(hidden),
    hiddenMin,
    hiddenMax,
    clipCell: cellClip > 0,
    cellClip: quantizedClip,
    cellTanhMultiplier: tanhScaling.multiplier,
    cellTanhShift: tanhScaling.shift,
    cellTanhRound: tanhScaling.round,
    paired: pairedWeights(input.dtype, inputWeights, recurrentWeights, sizes),
  };
}

/** The fast path's pair-packed weights for int8 activations (raw values, |x| <= 128), when the sums allow it. */
function pairedWeights(
  activation: string,
  inputWeights: Float64Array,
  recurrentWeights: Float64Array,
  { inputSize, stateSize }: LstmSizes,
): PairedWeights | null {
  if (activation !== "int8") return null;
  const input = pairGateWeights(inputWeights, stateSize, inputSize, 128);
  const recurrent = pairGateWeights(recurrentWeights, stateSize, stateSize, 128);
  return input && recurrent ? { input, recurrent } : null;
}

export const unidirectionalSequenceLstm: Kernel<LstmPrepared> = {
  prepare(ctx) {
    const sizes = validate(ctx);
    const cellType = ctx.inputs[LSTM_CELL_STATE]!.dtype;
    let prepared: LstmPrepared;
    if (cellType === "float32") prepared = { kind: "float32", ...prepareFloat(ctx, sizes) };
    else if (cellType === "int16") prepared = { kind: "integer", ...prepareInteger(ctx, sizes) };
    else throw new KernelError(`${OP}: cell state type ${cellType} is not supported (float32, int16)`);
    // Input FCs of the next steps, and the four gate outputs of the current step (TFLM's four buffers).
    const elements = scratchElements(sizes);
    const bytesPerElement = cellType === "float32" ? 4 : 2;
    ctx.requestScratch(elements.projection * bytesPerElement);
    ctx.requestScratch(elements.gates * bytesPerElement);
    return prepared;
  },
  eval(p, io) {
    const input = io.inputs[LSTM_INPUT]!;
    const hidden = io.inputs[LSTM_OUTPUT_STATE]!;
    const cell = io.inputs[LSTM_CELL_STATE]!;
    const output = io.outputs[0]!;
    const [projection, gates] = io.scratch as [Uint8Array, Uint8Array];
    if (p.kind === "float32") {
      const view = (s: Uint8Array) => new Float32Array(s.buffer, s.byteOffset, s.byteLength / 4);
      evalFloatLstm(p, input as Float32Array, hidden as Float32Array, cell as Float32Array, output as Float32Array, {
        projection: view(projection),
        gates: view(gates),
      });
    } else {
      const view = (s: Uint8Array) => new Int16Array(s.buffer, s.byteOffset, s.byteLength / 2);
      evalIntegerLstm(
        p,
        input as Int8Array | Int16Array,
        hidden as Int8Array | Int16Array,
        cell as Int16Array,
        output as Int8Array | Int16Array,
        { projection: view(projection), gates: view(gates) },
      );
    }
  },
  macs(ctx) {
    const { batch, timeSteps, inputSize, stateSize } = validate(ctx);
    return batch * timeSteps * 4 * stateSize * (inputSize + stateSize);
  },
};
