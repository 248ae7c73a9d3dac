/**
 * SOFTMAX over the last axis (TFLM softmax.cc / softmax_common.cc over the reference kernels):
 * - float32: exp((x - max) * beta) / sum, all in float32;
 * - int8 → int8 or int16: gemmlowp fixed point — input differences scaled to Q5.26, exp_on_negative_values,
 *   a Q12.19 sum and its reciprocal; differences below diff_min contribute nothing;
 * - int16 → int16: TFLite's 513-entry exp and 1/(1+x) tables with linear interpolation.
 */
import { KernelError } from "../errors.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import { FLOAT32_MAX, tensorQuantization } from "./conv-common.js";
import {
  countLeadingZeros32,
  expOnNegativeValues,
  getReciprocal,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  rescaleFixedPoint,
  roundHalfAway,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from "./fixed-point.js";

/** Integer bits of the scaled input differences (Q5.26) and of the sum of exponentials (Q12.19). */
const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

type SoftmaxPrepared =
  | { kind: "float32"; outer: number; depth: number; beta: number }
  | {
      kind: "int8";
      outer: number;
      depth: number;
      inputMultiplier: number;
      inputLeftShift: number;
      diffMin: number;
      outputBits: 8 | 16;
      outputMin: number;
      outputMax: number;
    }
  | {
      kind: "int16";
      outer: number;
      depth: number;
      inputMultiplier: number;
      inputShift: number;
      expTable: Int16Array;
      oneOverOnePlusXTable: Int16Array;
    };

/**
 * TFLite CalculateInputRadius: the largest input difference (in input units) whose scaled value still fits
 * in a Q(integerBits) format after a left shift of `inputLeftShift`.
 */
export function calculateInputRadius(integerBits: number, inputLeftShift: number, totalSignedBits = 31): number {
  return Math.floor(((2 ** integerBits - 1) * 2 ** (totalSignedBits - integerBits)) / 2 ** inputLeftShift);
}

/**
 * TFLite PreprocessSoftmaxScaling: beta * input_scale as a Q31 multiplier with a left shift, scaled so input
 * differences land in Q(integerBits); capped where the product would not fit.
 */
export function preprocessSoftmaxScaling(
  beta: number,
  inputScale: number,
  integerBits: number,
): { multiplier: number; leftShift: number } {
  const real = Math.min(beta * inputScale * 2 ** (31 - integerBits), 2 ** 31 - 1);
  // TFLite insists on a multiplier above one (QuantizeMultiplierGreaterThanOne).
  if (!(real > 1)) throw new KernelError(`softmax scaling beta × input scale = ${beta * inputScale} is too small`);
  const { multiplier, shift } = quantizeMultiplier(real);
  return { multiplier, leftShift: shift };
}

/** The int8 input scaling SOFTMAX and LOG_SOFTMAX share: differences to Q5.26, and the smallest that counts. */
export interface Int8DiffScaling {
  depth: number;
  inputMultiplier: number;
  inputLeftShift: number;
  diffMin: number;
}

/**
 * The sum over one int8 row (from `base`, with maximum `max`) of exp(x - max) in Q12.19, as both int8 kernels
 * form it: differences scaled to Q5.26, exp_on_negative_values, differences below diff_min left out.
 */
export function int8SumOfExps(p: Int8DiffScaling, input: Int8Array, base: number, max: number): number {
  let sumOfExps = 0;
  for (let c = 0; c < p.depth; c++) {
    const diff = input[base + c]! - max;
    if (diff >= p.diffMin) {
      const scaled = multiplyByQuantizedMultiplier(diff, p.inputMultiplier, p.inputLeftShift);
      const exp = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
      sumOfExps = (sumOfExps + rescaleFixedPoint(exp, 0, ACCUMULATION_INTEGER_BITS)) | 0;
    }
  }
  return sumOfExps;
}

/** Float32 arithmetic helpers: every operation of the C++ float code rounds to float32. */
const f = Math.fround;

/**
 * TFLite LUTPopulate<int16_t> (float variant): 512 samples of `transform` over the input range plus one end
 * value, each biased by half the midpoint interpolation error so linear interpolation stays centred.
 */
export function populateInt16Table(
  inputScale: number,
  inputZeroPoint: number,
  outputScale: number,
  outputZeroPoint: number,
  transform: (x: number) => number,
): Int16Array {
  const table = new Int16Array(513);
  const inputMin = f(inputScale * (-32768 - inputZeroPoint));
  const inputMax = f(inputScale * (32767 - inputZeroPoint));
  const outputMin = f(outputScale * (-32768 - outputZeroPoint));
  const outputMax = f(outputScale * (32767 - outputZeroPoint));
  const steps = 512;
  const step = f(f(inputMax - inputMin) / steps);
  const halfStep = f(step / 2);
  const outputScalingInverse = f(65536 / f(outputMax - outputMin));
  const clampToTable = (v: number) => Math.min(Math.max(v, -32768), 32767);
  for (let i = 0; i < steps; i++) {
    const at = f(inputMin + f(i * step));
    const value = transform(at);
    const valueMidpoint = transform(f(at + halfStep));
    const valueNext = transform(f(inputMin + f((i + 1) * step)));
    const sample = roundHalfAway(f(value * outputScalingInverse));
    const midpointInterpolated = roundHalfAway(
      f(f(f(valueNext * outputScalingInverse) + roundHalfAway(f(value * outputScalingInverse))) / 2),
    );
    const midpoint = roundHalfAway(f(valueMidpoint * outputScalingInverse));
    const midpointError = f(midpointInterpolated - midpoint);
    const bias = roundHalfAway(f(midpointError / 2));
    table[i] = clampToTable(f(sample - bias));
  }
  table[steps] = clampToTable(roundHalfAway(f(transform(inputMax) * outputScalingInverse)));
  return table;
}

/** TFLite LUTLookup for int16: the top 9 bits pick a table entry, the low 7 interpolate to the next. */
export function lookupInt16Table(value: number, table: Int16Array): number {
  const index = 256 + (value >> 7);
  const offset = value & 0x7f;
  const base = table[index]!;
  // The C++ keeps the slope in an int16_t.
  const slope = ((table[index + 1]! - base) << 16) >> 16;
  const delta = (slope * offset + 64) >> 7;
  return ((base + delta) << 16) >> 16;
}

function prepareSoftmax(ctx: NodeContext): SoftmaxPrepared {
  const op = ctx.node.opName;
  const input = ctx.inputs[0];
  const output = ctx.outputs[0];
  if (!input || !output || ctx.inputs.length !== 1 || ctx.outputs.length !== 1) {
    throw new KernelError(`${op}: needs exactly one input and one output`);
  }
  if (input.shape.length < 1) throw new KernelError(`${op}: input must have at least one dimension`);
  if (input.elementCount !== output.elementCount) {
    throw new KernelError(`${op}: input [${input.shape}] and output [${output.shape}] differ in size`);
  }
  const depth = input.shape[input.shape.length - 1]!;
  const outer = depth === 0 ? 0 : input.elementCount / depth;
  const beta = Number(ctx.node.options.beta ?? 0);

  if (input.dtype === "float32") {
    if (output.dtype !== "float32") throw new KernelError(`${op}: float32 input needs a float32 output`);
    return { kind: "float32", outer, depth, beta: f(beta) };
  }
  if (input.dtype === "int8") {
    const inQ = tensorQuantization(op, "input", input);
    const outQ = tensorQuantization(op, "output", output);
    let outputBits: 8 | 16;
    if (output.dtype === "int8") {
      if (outQ.zeroPoint !== -128 || f(outQ.scale) !== 1 / 256) {
        throw new KernelError(`${op}: int8 output must have scale 1/256 and zero point -128`);
      }
      outputBits = 8;
    } else if (output.dtype === "int16") {
      if (outQ.zeroPoint !== -32768 || Math.abs(f(outQ.scale) - 1 / 65536) > f(0.001 / 65536)) {
        throw new KernelError(`${op}: int16 output of an int8 input must have scale 1/65536 and zero point -32768`);
      }
      outputBits = 16;
    } else {
      throw new KernelError(`${op}: output type ${output.dtype} is not supported for int8 input (int8, int16)`);
    }
    const { multiplier, leftShift } = preprocessSoftmaxScaling(f(beta), f(inQ.scale), SCALED_DIFF_INTEGER_BITS);
    return {
      kind: "int8",
      outer,
      depth,
      inputMultiplier: multiplier,
      inputLeftShift: leftShift,
      diffMin: -calculateInputRadius(SCALED_DIFF_INTEGER_BITS, leftShift),
      outputBits,
      outputMin: outputBits === 8 ? -128 : -32768,
      outputMax: outputBits === 8 ? 127 : 32767,
    };
  }
  if (input.dtype === "int16") {
    if (output.dtype !== "int16") throw new KernelError(`${op}: int16 input needs an int16 output`);
    const inQ = tensorQuantization(op, "input", input);
    const outQ = tensorQuantization(op, "output", output);
    if (inQ.zeroPoint !== 0 || outQ.zeroPoint !== 0) {
      throw new KernelError(`${op}: int16 input and output must have zero point 0`);
    }
    if (Math.abs(f(outQ.scale) - 1 / 32768) > f(0.001 / 32768)) {
      throw new KernelError(`${op}: int16 output must have scale 1/32768 (got ${outQ.scale})`);
    }
    // Input differences scaled so [-65535, 0] covers [-10, 0]; exp(-10) is negligible in the sum.
    const { multiplier, shift } = quantizeMultiplier((f(inQ.scale) * f(beta)) / (10.0 / 65535.0));
    const range = 65535;
    return {
      kind: "int16",
      outer,
      depth,
      inputMultiplier: multiplier,
      inputShift: shift,
      expTable: populateInt16Table(f(10 / range), 32767, f(2 / range), 0, (x) => f(Math.exp(x))),
      oneOverOnePlusXTable: populateInt16Table(f(1 / range), -32768, f(2 / range), 0, (x) => f(1 / f(1 + x))),
    };
  }
  throw new KernelError(`${op}: input type ${input.dtype} is not supported (float32, int8, int16)`);
}

function softmaxFloat(p: Extract<SoftmaxPrepared, { kind: "float32" }>, input: Float32Array, output: Float32Array) {
  const { depth, beta } = p;
  for (let i = 0; i < p.outer; i++) {
    const base = i * depth;
    let max = -FLOAT32_MAX;
    for (let c = 0; c < depth; c++) if (max < input[base + c]!) max = input[base + c]!;
    let sum = 0;
    for (let c = 0; c < depth; c++) {
      const e = f(Math.exp(f(f(input[base + c]! - max) * beta)));
      output[base + c] = e;
      sum = f(sum + e);
    }
    for (let c = 0; c < depth; c++) output[base + c] = output[base + c]! / sum;
  }
}

function softmaxInt8(p: Extract<SoftmaxPrepared, { kind: "int8" }>, input: Int8Array, output: Int8Array | Int16Array) {
  const { depth, inputMultiplier, inputLeftShift, diffMin, outputMin, outputMax } = p;
  for (let i = 0; i < p.outer; i++) {
    const base = i * depth;
    let max = -128;
    for (let c = 0; c < depth; c++) if (max < input[base + c]!) max = input[base + c]!;
    const sumOfExps = int8SumOfExps(p, input, base, max);
    const { reciprocal, numBitsOverUnit } = getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
    const exponent = numBitsOverUnit + 31 - p.outputBits;
    for (let c = 0; c < depth; c++) {
      const diff = input[base + c]! - max;
      if (diff >= diffMin) {
        const scaled = multiplyByQuantizedMultiplier(diff, inputMultiplier, inputLeftShift);
        const exp = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
        const unsaturated = roundingDivideByPOT(saturatingRoundingDoublingHighMul(reciprocal, exp), exponent);
        output[base + c] = Math.min(Math.max(unsaturated + outputMin, outputMin), outputMax);
      } else {
        output[base + c] = outputMin;
      }
    }
  }
}

function softmaxInt16(p: Extract<SoftmaxPrepared, { kind: "int16" }>, input: Int16Array, output: Int16Array) {
  const { depth, inputMultiplier, inputShift, expTable, oneOverOnePlusXTable } = p;
  for (let i = 0; i < p.outer; i++) {
    const base = i * depth;
    let max = -32768;
    for (let c = 0; c < depth; c++) if (max < input[base + c]!) max = input[base + c]!;

    // The exponentials are parked in the output row, as TFLM does, and rescaled in place below.
    let sumOfExps = 0;
    for (let c = 0; c < depth; c++) {
      const scaled = multiplyByQuantizedMultiplier(input[base + c]! - max, inputMultiplier, inputShift);
      const centred = Math.min(Math.max(scaled + 32767, -32768), 32767);
      const exp = lookupInt16Table(centred, expTable);
      output[base + c] = exp;
      sumOfExps = (sumOfExps + exp) | 0;
    }

    // 1/sum from the 1/(1+x) table: normalise the sum to [1, 2) in Q1.15, recentre x = sum - 1 on int16.
    const headroomPlusOne = countLeadingZeros32(sumOfExps);
    const shiftedSum = Math.floor((sumOfExps * 2 ** (headroomPlusOne - 1) + (1 << 13)) / (1 << 14));
    const centredSum = Math.min(Math.max(shiftedSum - ((1 << 15) + (1 << 16)), -32768), 32767);
    const reciprocal = lookupInt16Table(centredSum, oneOverOnePlusXTable);

    const rightShift = 31 - headroomPlusOne;
    const round = 2 ** (rightShift - 1);
    for (let c = 0; c < depth; c++) {
      const result = Math.floor((output[base + c]! * reciprocal + round) / 2 ** rightShift);
      output[base + c] = Math.min(Math.max(result, 0), 32767);
    }
  }
}

export const softmax: Kernel<SoftmaxPrepared> = {
  prepare: prepareSoftmax,
  eval(p, io) {
    const input = io.inputs[0]!;
    const output = io.outputs[0]!;
    if (p.kind === "float32") softmaxFloat(p, input as Float32Array, output as Float32Array);
    else if (p.kind === "int8") softmaxInt8(p, input as Int8Array, output as Int8Array | Int16Array);
    else softmaxInt16(p, input as Int16Array, output as Int16Array);
  },
};
