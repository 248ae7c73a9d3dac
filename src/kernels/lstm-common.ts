/**
 * The arithmetic of TFLM's standard LSTM (lstm_eval.h / lstm_eval.cc / lstm_eval_common.cc / lstm_shared.h): the
 * per-gate fully connected pair, gate activations, the cell and hidden state updates and the time-step driver,
 * for float32 and for the integer variant (int8 or int16 activations, int8 weights, int16 cell state).
 *
 * Each gate is act(FC(input) + FC(hidden)); in the integer variant each FC is requantized to Q3.12 and clamped to
 * int16 on its own before the saturating add, exactly as TFLM does. The input FCs do not depend on the state, so
 * they are computed a few time steps ahead with all four gates' weights packed in one matrix (a register-tiled
 * product); accumulation order per output is TFLM's, so float results round identically. Tensor validation and
 * quantization setup live in the kernel file.
 */
import {
  int16TableInputScaling,
  logisticInt16,
  multiplyByQuantizedMultiplierInt64,
  type Requantizer,
  requantize,
  tanhInt16,
} from "./fixed-point.js";

// Input tensor indices (lstm_shared.h).
export const LSTM_INPUT = 0;
export const LSTM_INPUT_TO_INPUT_WEIGHTS = 1;
export const LSTM_INPUT_TO_FORGET_WEIGHTS = 2;
export const LSTM_INPUT_TO_CELL_WEIGHTS = 3;
export const LSTM_INPUT_TO_OUTPUT_WEIGHTS = 4;
export const LSTM_RECURRENT_TO_INPUT_WEIGHTS = 5;
export const LSTM_RECURRENT_TO_FORGET_WEIGHTS = 6;
export const LSTM_RECURRENT_TO_CELL_WEIGHTS = 7;
export const LSTM_RECURRENT_TO_OUTPUT_WEIGHTS = 8;
export const LSTM_INPUT_GATE_BIAS = 12;
export const LSTM_FORGET_GATE_BIAS = 13;
export const LSTM_CELL_GATE_BIAS = 14;
export const LSTM_OUTPUT_GATE_BIAS = 15;
export const LSTM_OUTPUT_STATE = 18;
export const LSTM_CELL_STATE = 19;
/** Peephole (9–11), projection (16–17) and layer-norm (20–23) inputs: TFLM's kernel requires them absent. */
export const LSTM_UNSUPPORTED_INPUTS = [9, 10, 11, 16, 17, 20, 21, 22, 23];

/** [input weights, recurrent weights, bias] tensor indices per gate, in the packed order: forget, input, cell, output. */
export const GATE_TENSORS: readonly [number, number, number][] = [
  [LSTM_INPUT_TO_FORGET_WEIGHTS, LSTM_RECURRENT_TO_FORGET_WEIGHTS, LSTM_FORGET_GATE_BIAS],
  [LSTM_INPUT_TO_INPUT_WEIGHTS, LSTM_RECURRENT_TO_INPUT_WEIGHTS, LSTM_INPUT_GATE_BIAS],
  [LSTM_INPUT_TO_CELL_WEIGHTS, LSTM_RECURRENT_TO_CELL_WEIGHTS, LSTM_CELL_GATE_BIAS],
  [LSTM_INPUT_TO_OUTPUT_WEIGHTS, LSTM_RECURRENT_TO_OUTPUT_WEIGHTS, LSTM_OUTPUT_GATE_BIAS],
];
const GATES = 4;

/** Time steps whose input FCs are computed together (the tile height of the input projection). */
const STEPS_AHEAD = 2;

export interface LstmSizes {
  timeMajor: boolean;
  batch: number;
  timeSteps: number;
  inputSize: number;
  stateSize: number;
}

/** Rows processed together per step: the whole batch when time-major, else one batch row at a time. */
export function rowsPerStep(sizes: LstmSizes): number {
  return sizes.timeMajor ? sizes.batch : 1;
}

/** Elements of each scratch buffer: input FCs for STEPS_AHEAD steps, and the four gates of one step. */
export function scratchElements(sizes: LstmSizes): { projection: number; gates: number } {
  const gateRow = GATES * sizes.stateSize;
  return { projection: STEPS_AHEAD * rowsPerStep(sizes) * gateRow, gates: rowsPerStep(sizes) * gateRow };
}

/**
 * TFLM's step order over input rows (one row = one input vector = one output vector): time-major runs each step
 * on the whole batch; batch-major runs each batch row through all its steps with its own slice of the state.
 * `project(firstRow, rowCount)` is called before the steps that read those rows; `step(row, projectionRow,
 * stateOffset)` runs one step whose first input row is `row`.
 */
function drive(
  sizes: LstmSizes,
  project: (firstRow: number, rowCount: number) => void,
  step: (row: number, projectionRow: number, stateOffset: number) => void,
): void {
  const rows = rowsPerStep(sizes);
  const sequences = sizes.timeMajor ? 1 : sizes.batch;
  for (let s = 0; s < sequences; s++) {
    const firstRow = s * sizes.timeSteps * rows;
    const stateOffset = s * sizes.stateSize;
    for (let t0 = 0; t0 < sizes.timeSteps; t0 += STEPS_AHEAD) {
      const steps = Math.min(STEPS_AHEAD, sizes.timeSteps - t0);
      project(firstRow + t0 * rows, steps * rows);
      for (let k = 0; k < steps; k++) step(firstRow + (t0 + k) * rows, k * rows, stateOffset);
    }
  }
}

/** Packs four gates' [state, depth] matrices into one [4·state, depth] matrix of doubles. */
export function packGateWeights(gates: ArrayLike<number>[], zeroPoints: number[], rows: number, depth: number) {
  const packed = new Float64Array(GATES * rows * depth);
  gates.forEach((w, g) => {
    for (let i = 0; i < rows * depth; i++) packed[g * rows * depth + i] = w[i]! - zeroPoints[g]!;
  });
  return packed;
}

// ---------------------------------------------------------------------------------------------------------------
// Integer LSTM
// ---------------------------------------------------------------------------------------------------------------

export interface IntegerLstm {
  sizes: LstmSizes;
  /** int16 activations accumulate in 64 bits with TFLM's 64-bit requantization; int8 ones in 32 bits. */
  wideAccumulator: boolean;
  /** [4·state, input] and [4·state, state]: forget, input, cell, output gate rows, zero points removed. */
  inputWeights: Float64Array;
  recurrentWeights: Float64Array;
  /** Per packed row: bias + input_offset·Σweights, and hidden_offset·Σweights (exact integers in doubles). */
  inputBias: Float64Array;
  recurrentBias: Float64Array;
  /** Per gate: the FC output multiplier and shift to Q3.12, prepared and raw (the raw ones for 64-bit sums). */
  inputRequantizers: Requantizer[];
  recurrentRequantizers: Requantizer[];
  inputMultipliers: number[];
  inputShifts: number[];
  recurrentMultipliers: number[];
  recurrentShifts: number[];
  /** The cell gate's activation is tanh (TFLM's usual) rather than sigmoid. */
  cellGateTanh: boolean;
  /** forget gate (Q0.15) × cell → cell scale. */
  forgetCell: Requantizer;
  /** input gate (Q0.15) × cell gate (Q0.15) → cell scale. */
  inputCell: Requantizer;
  /** tanh(cell) (Q0.15) × output gate (Q0.15) → hidden state scale. */
  hidden: Requantizer;
  hiddenZeroPoint: number;
  hiddenMin: number;
  hiddenMax: number;
  /** Whether the model clips the cell (TFLM tests the float clip, so a clip that quantizes to 0 still clips). */
  clipCell: boolean;
  /** The clip in cell-state units. */
  cellClip: number;
  /** Input scaling of the int16 tanh applied to the cell state (from its power-of-two scale). */
  cellTanhMultiplier: number;
  cellTanhShift: number;
  cellTanhRound: number;
  /** The fast path's pair-packed weights (pairGateWeights), or null to run the plain per-gate loops. */
  paired: PairedWeights | null;
}

/** Two gates' weights in one double, first + second·2^24: one multiply-add does two exact MACs. */
const PAIR_FACTOR = 2 ** 24;
const PAIR_INVERSE = 2 ** -24;

/** [2, state, depth] matrices: (forget, input) and (cell, output) rows packed as pairs, for input and recurrent FCs. */
export interface PairedWeights {
  input: Float64Array;
  recurrent: Float64Array;
}

/**
 * Pairs the packed [4·rows, depth] gate matrix into [2, rows, depth] (gate 2q + gate 2q+1 · 2^24), or null when a
 * sum of `depth` products with sources up to `maxSource` in magnitude could reach 2^23: below that, the low half
 * of a paired sum is recovered exactly by rounding the high half.
 */
export function pairGateWeights(packed: Float64Array, rows: number, depth: number, maxSource: number) {
  let maxWeight = 0;
  for (let i = 0; i < packed.length; i++) maxWeight = Math.max(maxWeight, Math.abs(packed[i]!));
  if (depth * maxSource * maxWeight >= 2 ** 23) return null;
  const block = rows * depth;
  const paired = new Float64Array(2 * block);
  for (let q = 0; q < 2; q++) {
    for (let i = 0; i < block; i++) {
      paired[q * block + i] = packed[2 * q * block + i]! + packed[(2 * q + 1) * block + i]! * PAIR_FACTOR;
    }
  }
  return paired;
}

/** Per packed row: bias (or 0) + offset·Σ row weights, folding the source zero point out of the inner loop. */
export function foldedBias(weights: Float64Array, bias: ArrayLike<number>[] | null, offset: number, rows: number) {
  const depth = weights.length / (GATES * rows);
  const folded = new Float64Array(GATES * rows);
  for (let r = 0; r < GATES * rows; r++) {
    let sum = 0;
    for (let d = 0; d < depth; d++) sum += weights[r * depth + d]!;
    const g = Math.floor(r / rows);
    folded[r] = (bias ? bias[g]![r - g * rows]! : 0) + offset * sum;
  }
  return folded;
}

function clampInt16(x: number): number {
  return Math.min(Math.max(x, -32768), 32767);
}

/** One gate FC's requantization to Q3.12, clamped to int16 (TFLM's int16 FC output with no activation). */
function requantizeFc(p: IntegerLstm, acc: number, gate: number, recurrent: boolean): number {
  if (p.wideAccumulator) {
    const multiplier = recurrent ? p.recurrentMultipliers[gate]! : p.inputMultipliers[gate]!;
    const shift = recurrent ? p.recurrentShifts[gate]! : p.inputShifts[gate]!;
    return clampInt16(multiplyByQuantizedMultiplierInt64(acc, multiplier, shift));
  }
  // A 32-bit accumulator wraps in TFLM; the exact double sum wraps the same way under |0.
  const r = recurrent ? p.recurrentRequantizers[gate]! : p.inputRequantizers[gate]!;
  return clampInt16(requantize(acc | 0, r));
}

/** Input FCs of `rowCount` consecutive input rows into `projection` ([row, 4·state] int16), two rows at a time. */
function projectIntegerInputs(
  p: IntegerLstm,
  input: Int8Array | Int16Array,
  firstRow: number,
  rowCount: number,
  projection: Int16Array,
): void {
  const depth = p.sizes.inputSize;
  const state = p.sizes.stateSize;
  const width = GATES * state;
  const w = p.inputWeights;
  const bias = p.inputBias;
  let r = 0;
  for (; r + 1 < rowCount; r += 2) {
    const x0 = (firstRow + r) * depth;
    const x1 = x0 + depth;
    // width is a multiple of 4: four packed rows at a time, against two input rows.
    for (let o = 0; o < width; o += 4) {
      const w0 = o * depth;
      const w1 = w0 + depth;
      const w2 = w1 + depth;
      const w3 = w2 + depth;
      let a00 = bias[o]!;
      let a01 = bias[o + 1]!;
      let a02 = bias[o + 2]!;
      let a03 = bias[o + 3]!;
      let a10 = a00;
      let a11 = a01;
      let a12 = a02;
      let a13 = a03;
      for (let d = 0; d < depth; d++) {
        const u = input[x0 + d]!;
        const v = input[x1 + d]!;
        const k0 = w[w0 + d]!;
        const k1 = w[w1 + d]!;
        const k2 = w[w2 + d]!;
        const k3 = w[w3 + d]!;
        a00 += k0 * u;
        a01 += k1 * u;
        a02 += k2 * u;
        a03 += k3 * u;
        a10 += k0 * v;
        a11 += k1 * v;
        a12 += k2 * v;
        a13 += k3 * v;
      }
      const out0 = r * width + o;
      const out1 = out0 + width;
      const g0 = Math.floor(o / state);
      const g1 = Math.floor((o + 1) / state);
      const g2 = Math.floor((o + 2) / state);
      const g3 = Math.floor((o + 3) / state);
      projection[out0] = requantizeFc(p, a00, g0, false);
      projection[out0 + 1] = requantizeFc(p, a01, g1, false);
      projection[out0 + 2] = requantizeFc(p, a02, g2, false);
      projection[out0 + 3] = requantizeFc(p, a03, g3, false);
      projection[out1] = requantizeFc(p, a10, g0, false);
      projection[out1 + 1] = requantizeFc(p, a11, g1, false);
      projection[out1 + 2] = requantizeFc(p, a12, g2, false);
      projection[out1 + 3] = requantizeFc(p, a13, g3, false);
    }
  }
  for (; r < rowCount; r++) {
    const x0 = (firstRow + r) * depth;
    for (let o = 0; o < width; o++) {
      let acc = bias[o]!;
      for (let d = 0; d < depth; d++) acc += w[o * depth + d]! * input[x0 + d]!;
      projection[r * width + o] = requantizeFc(p, acc, Math.floor(o / state), false);
    }
  }
}

// Gate activations see Q3.12 inputs: scale power -12 gives TFLM's tanh shift (15 - 12) - 3 = 0.
const GATE_SCALING = int16TableInputScaling(0, 0);

function activateGate(x: number, tanh: boolean): number {
  const { multiplier, shift, round } = GATE_SCALING;
  return tanh ? tanhInt16(x, multiplier, shift, round) : logisticInt16(x, multiplier, shift, round);
}

/** All four gates of one step: recurrent FCs (the four gates' rows for one output together) plus projections. */
function integerGates(
  p: IntegerLstm,
  hidden: Int8Array | Int16Array,
  stateOffset: number,
  rows: number,
  projection: Int16Array,
  projectionRow: number,
  gates: Int16Array,
): void {
  const state = p.sizes.stateSize;
  const width = GATES * state;
  const w = p.recurrentWeights;
  const bias = p.recurrentBias;
  const gateStride = rows * state;
  for (let b = 0; b < rows; b++) {
    const h = stateOffset + b * state;
    const fromInput = (projectionRow + b) * width;
    for (let o = 0; o < state; o++) {
      const w0 = o * state;
      const w1 = w0 + state * state;
      const w2 = w1 + state * state;
      const w3 = w2 + state * state;
      let a0 = bias[o]!;
      let a1 = bias[state + o]!;
      let a2 = bias[2 * state + o]!;
      let a3 = bias[3 * state + o]!;
      for (let d = 0; d < state; d++) {
        const x = hidden[h + d]!;
        a0 += w[w0 + d]! * x;
        a1 += w[w1 + d]! * x;
        a2 += w[w2 + d]! * x;
        a3 += w[w3 + d]! * x;
      }
      const out = b * state + o;
      const f = clampInt16(projection[fromInput + o]! + requantizeFc(p, a0, 0, true));
      const i = clampInt16(projection[fromInput + state + o]! + requantizeFc(p, a1, 1, true));
      const c = clampInt16(projection[fromInput + 2 * state + o]! + requantizeFc(p, a2, 2, true));
      const g = clampInt16(projection[fromInput + 3 * state + o]! + requantizeFc(p, a3, 3, true));
      gates[out] = activateGate(f, false);
      gates[gateStride + out] = activateGate(i, false);
      gates[2 * gateStride + out] = activateGate(c, p.cellGateTanh);
      gates[3 * gateStride + out] = activateGate(g, false);
    }
  }
}

/** The high gate of a paired sum (its low gate is sum − high·2^24; see pairGateWeights). */
function pairHigh(sum: number): number {
  return Math.round(sum * PAIR_INVERSE);
}

/** projectIntegerInputs on pair-packed weights (int8 inputs): two input rows × two pairs per pass. */
function projectPairedInputs(
  p: IntegerLstm,
  weights: Float64Array,
  input: Int8Array,
  firstRow: number,
  rowCount: number,
  projection: Int16Array,
): void {
  const depth = p.sizes.inputSize | 0;
  const state = p.sizes.stateSize | 0;
  const width = GATES * state;
  const block = state * depth;
  const bias = p.inputBias;
  const rf = p.inputRequantizers[0]!;
  const ri = p.inputRequantizers[1]!;
  const rc = p.inputRequantizers[2]!;
  const ro = p.inputRequantizers[3]!;
  for (let r = 0; r < rowCount; r += 2) {
    const x0 = (firstRow + r) * depth;
    // An odd last row is computed twice and written once.
    const second = r + 1 < rowCount;
    const x1 = second ? x0 + depth : x0;
    for (let o = 0; o < state; o++) {
      const w0 = o * depth;
      const w1 = w0 + block;
      let a0 = 0;
      let b0 = 0;
      let a1 = 0;
      let b1 = 0;
      for (let d = 0; d < depth; d++) {
        const u = input[x0 + d]!;
        const v = input[x1 + d]!;
        const k0 = weights[w0 + d]!;
        const k1 = weights[w1 + d]!;
        a0 += u * k0;
        b0 += u * k1;
        a1 += v * k0;
        b1 += v * k1;
      }
      const f = bias[o]!;
      const i = bias[state + o]!;
      const c = bias[2 * state + o]!;
      const g = bias[3 * state + o]!;
      let high = pairHigh(a0);
      let out = r * width + o;
      projection[out] = clampInt16(requantize((f + a0 - high * PAIR_FACTOR) | 0, rf));
      projection[out + state] = clampInt16(requantize((i + high) | 0, ri));
      high = pairHigh(b0);
      projection[out + 2 * state] = clampInt16(requantize((c + b0 - high * PAIR_FACTOR) | 0, rc));
      projection[out + 3 * state] = clampInt16(requantize((g + high) | 0, ro));
      if (second) {
        out += width;
        high = pairHigh(a1);
        projection[out] = clampInt16(requantize((f + a1 - high * PAIR_FACTOR) | 0, rf));
        projection[out + state] = clampInt16(requantize((i + high) | 0, ri));
        high = pairHigh(b1);
        projection[out + 2 * state] = clampInt16(requantize((c + b1 - high * PAIR_FACTOR) | 0, rc));
        projection[out + 3 * state] = clampInt16(requantize((g + high) | 0, ro));
      }
    }
  }
}

/** integerGates on pair-packed recurrent weights (int8 hidden state). */
function pairedGates(
  p: IntegerLstm,
  weights: Float64Array,
  hidden: Int8Array,
  stateOffset: number,
  rows: number,
  projection: Int16Array,
  projectionRow: number,
  gates: Int16Array,
): void {
  const state = p.sizes.stateSize | 0;
  const width = GATES * state;
  const block = state * state;
  const bias = p.recurrentBias;
  const gateStride = rows * state;
  const rf = p.recurrentRequantizers[0]!;
  const ri = p.recurrentRequantizers[1]!;
  const rc = p.recurrentRequantizers[2]!;
  const ro = p.recurrentRequantizers[3]!;
  const { multiplier, shift, round } = GATE_SCALING;
  const cellTanh = p.cellGateTanh;
  for (let b = 0; b < rows; b++) {
    const h = stateOffset + b * state;
    const fromInput = (projectionRow + b) * width;
    for (let o = 0; o < state; o++) {
      const w0 = o * state;
      const w1 = w0 + block;
      let a = 0;
      let z = 0;
      for (let d = 0; d < state; d++) {
        const x = hidden[h + d]!;
        a += x * weights[w0 + d]!;
        z += x * weights[w1 + d]!;
      }
      const highA = pairHigh(a);
      const highZ = pairHigh(z);
      const fc0 = clampInt16(requantize((bias[o]! + a - highA * PAIR_FACTOR) | 0, rf));
      const fc1 = clampInt16(requantize((bias[state + o]! + highA) | 0, ri));
      const fc2 = clampInt16(requantize((bias[2 * state + o]! + z - highZ * PAIR_FACTOR) | 0, rc));
      const fc3 = clampInt16(requantize((bias[3 * state + o]! + highZ) | 0, ro));
      const forget = clampInt16(projection[fromInput + o]! + fc0);
      const input = clampInt16(projection[fromInput + state + o]! + fc1);
      const cell = clampInt16(projection[fromInput + 2 * state + o]! + fc2);
      const output = clampInt16(projection[fromInput + 3 * state + o]! + fc3);
      const out = b * state + o;
      gates[out] = logisticInt16(forget, multiplier, shift, round);
      gates[gateStride + out] = logisticInt16(input, multiplier, shift, round);
      gates[2 * gateStride + out] = cellTanh
        ? tanhInt16(cell, multiplier, shift, round)
        : logisticInt16(cell, multiplier, shift, round);
      gates[3 * gateStride + out] = logisticInt16(output, multiplier, shift, round);
    }
  }
}

/** Scratch views of the integer LSTM (see scratchElements). */
export interface IntegerScratch {
  projection: Int16Array;
  gates: Int16Array;
}

export function evalIntegerLstm(
  p: IntegerLstm,
  input: Int8Array | Int16Array,
  hidden: Int8Array | Int16Array,
  cellState: Int16Array,
  output: Int8Array | Int16Array,
  scratch: IntegerScratch,
): void {
  const rows = rowsPerStep(p.sizes);
  const state = p.sizes.stateSize;
  const count = rows * state;
  const { projection, gates } = scratch;
  const paired = p.paired;
  const { forgetCell, inputCell, hidden: hiddenRequantizer, hiddenZeroPoint, hiddenMin, hiddenMax } = p;
  const { clipCell, cellClip, cellTanhMultiplier, cellTanhShift, cellTanhRound } = p;
  drive(
    p.sizes,
    paired
      ? (firstRow, rowCount) => projectPairedInputs(p, paired.input, input as Int8Array, firstRow, rowCount, projection)
      : (firstRow, rowCount) => projectIntegerInputs(p, input, firstRow, rowCount, projection),
    (row, projectionRow, stateOffset) => {
      if (paired) {
        pairedGates(p, paired.recurrent, hidden as Int8Array, stateOffset, rows, projection, projectionRow, gates);
      } else {
        integerGates(p, hidden, stateOffset, rows, projection, projectionRow, gates);
      }
      const outputRow = row * state;
      for (let i = 0; i < count; i++) {
        const c = stateOffset + i;
        // cell = forget·cell +sat input·cell_gate, each product requantized and clamped to int16 first.
        const kept = clampInt16(requantize(gates[i]! * cellState[c]!, forgetCell));
        const added = clampInt16(requantize(gates[count + i]! * gates[2 * count + i]!, inputCell));
        let updated = clampInt16(kept + added);
        if (clipCell) updated = Math.max(Math.min(updated, cellClip), -cellClip);
        cellState[c] = updated;
        // hidden = tanh(cell) · output gate, requantized to the hidden state's scale and zero point.
        const squashed = tanhInt16(updated, cellTanhMultiplier, cellTanhShift, cellTanhRound);
        const h = requantize(squashed * gates[3 * count + i]!, hiddenRequantizer) + hiddenZeroPoint;
        const clamped = Math.min(Math.max(h, hiddenMin), hiddenMax);
        hidden[c] = clamped;
        output[outputRow + i] = clamped;
      }
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Float LSTM
// ---------------------------------------------------------------------------------------------------------------

export interface FloatLstm {
  sizes: LstmSizes;
  /** [4·state, input] and [4·state, state] in forget, input, cell, output order. */
  inputWeights: Float64Array;
  recurrentWeights: Float64Array;
  /** [4·state] gate biases. */
  bias: Float64Array;
  cellGateTanh: boolean;
  /** float32 cell clip; 0 when the model does not clip. */
  cellClip: number;
}

const FLOAT_MAX = 3.4028234663852886e38;

/** TFLM clamps float FC and Mul results to [lowest, max] even with no activation: only infinities change. */
function clampFloat(x: number): number {
  // std::min/std::max by comparison: NaN passes through, which Math.min/Math.max would also do.
  return Math.min(Math.max(x, -FLOAT_MAX), FLOAT_MAX);
}

/** reference_ops::Logistic for float: exp-based with TFLM's cut-offs, in float32. */
function sigmoidFloat(x: number): number {
  if (x > 16.619047164916992) return 1;
  if (x < -9) return Math.fround(Math.exp(x));
  return Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-x))));
}

/** Input FCs (bias added, float32 rounding after every operation) of `rowCount` rows, two at a time. */
function projectFloatInputs(
  p: FloatLstm,
  input: Float32Array,
  firstRow: number,
  rowCount: number,
  projection: Float32Array,
): void {
  const depth = p.sizes.inputSize;
  const width = GATES * p.sizes.stateSize;
  const w = p.inputWeights;
  const bias = p.bias;
  const f = Math.fround;
  let r = 0;
  for (; r + 1 < rowCount; r += 2) {
    const x0 = (firstRow + r) * depth;
    const x1 = x0 + depth;
    for (let o = 0; o < width; o += 4) {
      const w0 = o * depth;
      const w1 = w0 + depth;
      const w2 = w1 + depth;
      const w3 = w2 + depth;
      let a00 = 0;
      let a01 = 0;
      let a02 = 0;
      let a03 = 0;
      let a10 = 0;
      let a11 = 0;
      let a12 = 0;
      let a13 = 0;
      for (let d = 0; d < depth; d++) {
        const u = input[x0 + d]!;
        const v = input[x1 + d]!;
        const k0 = w[w0 + d]!;
        const k1 = w[w1 + d]!;
        const k2 = w[w2 + d]!;
        const k3 = w[w3 + d]!;
        a00 = f(a00 + f(u * k0));
        a01 = f(a01 + f(u * k1));
        a02 = f(a02 + f(u * k2));
        a03 = f(a03 + f(u * k3));
        a10 = f(a10 + f(v * k0));
        a11 = f(a11 + f(v * k1));
        a12 = f(a12 + f(v * k2));
        a13 = f(a13 + f(v * k3));
      }
      const out0 = r * width + o;
      const out1 = out0 + width;
      projection[out0] = clampFloat(f(a00 + bias[o]!));
      projection[out0 + 1] = clampFloat(f(a01 + bias[o + 1]!));
      projection[out0 + 2] = clampFloat(f(a02 + bias[o + 2]!));
      projection[out0 + 3] = clampFloat(f(a03 + bias[o + 3]!));
      projection[out1] = clampFloat(f(a10 + bias[o]!));
      projection[out1 + 1] = clampFloat(f(a11 + bias[o + 1]!));
      projection[out1 + 2] = clampFloat(f(a12 + bias[o + 2]!));
      projection[out1 + 3] = clampFloat(f(a13 + bias[o + 3]!));
    }
  }
  for (; r < rowCount; r++) {
    const x0 = (firstRow + r) * depth;
    for (let o = 0; o < width; o++) {
      let acc = 0;
      for (let d = 0; d < depth; d++) acc = f(acc + f(input[x0 + d]! * w[o * depth + d]!));
      projection[r * width + o] = clampFloat(f(acc + bias[o]!));
    }
  }
}

function floatGates(
  p: FloatLstm,
  hidden: Float32Array,
  stateOffset: number,
  rows: number,
  projection: Float32Array,
  projectionRow: number,
  gates: Float32Array,
): void {
  const state = p.sizes.stateSize;
  const width = GATES * state;
  const w = p.recurrentWeights;
  const gateStride = rows * state;
  const f = Math.fround;
  for (let b = 0; b < rows; b++) {
    const h = stateOffset + b * state;
    const fromInput = (projectionRow + b) * width;
    for (let o = 0; o < state; o++) {
      const w0 = o * state;
      const w1 = w0 + state * state;
      const w2 = w1 + state * state;
      const w3 = w2 + state * state;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let d = 0; d < state; d++) {
        const x = hidden[h + d]!;
        a0 = f(a0 + f(x * w[w0 + d]!));
        a1 = f(a1 + f(x * w[w1 + d]!));
        a2 = f(a2 + f(x * w[w2 + d]!));
        a3 = f(a3 + f(x * w[w3 + d]!));
      }
      // The recurrent FC has no bias: TFLM adds 0.0f (which only turns -0 into +0).
      const out = b * state + o;
      const forget = f(projection[fromInput + o]! + clampFloat(a0 + 0));
      const input = f(projection[fromInput + state + o]! + clampFloat(a1 + 0));
      const cell = f(projection[fromInput + 2 * state + o]! + clampFloat(a2 + 0));
      const output = f(projection[fromInput + 3 * state + o]! + clampFloat(a3 + 0));
      gates[out] = sigmoidFloat(forget);
      gates[gateStride + out] = sigmoidFloat(input);
      gates[2 * gateStride + out] = p.cellGateTanh ? f(Math.tanh(cell)) : sigmoidFloat(cell);
      gates[3 * gateStride + out] = sigmoidFloat(output);
    }
  }
}

/** Scratch views of the float LSTM (see scratchElements). */
export interface FloatScratch {
  projection: Float32Array;
  gates: Float32Array;
}

export function evalFloatLstm(
  p: FloatLstm,
  input: Float32Array,
  hidden: Float32Array,
  cellState: Float32Array,
  output: Float32Array,
  scratch: FloatScratch,
): void {
  const rows = rowsPerStep(p.sizes);
  const state = p.sizes.stateSize;
  const count = rows * state;
  const clip = p.cellClip;
  const { projection, gates } = scratch;
  drive(
    p.sizes,
    (firstRow, rowCount) => projectFloatInputs(p, input, firstRow, rowCount, projection),
    (row, projectionRow, stateOffset) => {
      floatGates(p, hidden, stateOffset, rows, projection, projectionRow, gates);
      for (let i = 0; i < count; i++) {
        const c = stateOffset + i;
        const kept = clampFloat(Math.fround(gates[i]! * cellState[c]!));
        const added = clampFloat(Math.fround(gates[count + i]! * gates[2 * count + i]!));
        let updated = Math.fround(kept + added);
        // std::min(clip, v) returns the clip for NaN, so NaN is mapped first.
        if (clip > 0) updated = Number.isNaN(updated) ? clip : Math.max(Math.min(updated, clip), -clip);
        cellState[c] = updated;
        const h = clampFloat(Math.fround(Math.fround(Math.tanh(updated)) * gates[3 * count + i]!));
        hidden[c] = h;
        output[row * state + i] = h;
      }
    },
  );
}
