/**
 * LOG_SOFTMAX over the last axis (TFLM log_softmax.cc over reference LogSoftmax):
 * - float32: (x - max) - log(sum(exp(x - max))), in float32;
 * - int8: gemmlowp fixed point — the sum of exponentials in Q12.19, its log in Q5.26 by TFLite's
 *   log_x_for_x_greater_than_or_equal_to_1, output fixed at scale 16/256 and zero point 127.
 */
import { KernelError } from "../errors.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import { FLOAT32_MAX, tensorQuantization } from "./conv-common.js";
import {
  countLeadingZeros32,
  INT32_MIN,
  saturatingRoundingDoublingHighMul as mul,
  multiplyByQuantizedMultiplier,
  oneOverOnePlusXForXIn01,
  quantizeMultiplier,
  rescaleFixedPoint,
  roundingDivideByPOT,
  roundingHalfSum,
  saturatingAddInt32,
  saturatingRoundingMultiplyByPOT,
  saturatingSubInt32,
} from "./fixed-point.js";
import { calculateInputRadius, int8SumOfExps, preprocessSoftmaxScaling } from "./softmax.js";

const INPUT_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;
const OUTPUT_INTEGER_BITS = 4;
const OUTPUT_SCALE = 16 / 256;
const OUTPUT_ZERO_POINT = 127;

type LogSoftmaxPrepared =
  | { kind: "float32"; outer: number; depth: number }
  | {
      kind: "int8";
      outer: number;
      depth: number;
      inputMultiplier: number;
      inputLeftShift: number;
      reverseScalingDivisor: number;
      reverseScalingShift: number;
      diffMin: number;
    };

// Raw Q0.31 constants of TFLite's log approximation.
const LOG_2 = 1488522236;
const SQRT_SQRT_HALF = 1805811301;
const SQRT_HALF = 1518500250;
const ONE_QUARTER = 536870912;
const ALPHA_N = 117049297;
const ALPHA_D = 127690142;
const ALPHA_I = 1057819769;
const ALPHA_F = 638450708;

/**
 * TFLite log_x_for_x_greater_than_or_equal_to_1: ln(x) for a raw fixed-point x >= 1 with `inputIntegerBits`
 * integer bits, returned raw with `outputIntegerBits`. The input is normalised to [sqrt(1/2), sqrt(2)) twice
 * (as z_a and z_b) and the better-conditioned one is fed to a Padé-style rational approximation.
 */
export function logXForXGreaterThanOrEqualTo1(x: number, inputIntegerBits: number, outputIntegerBits: number): number {
  // One spare integer bit so z_pow_2_adj * log(2) cannot saturate before the fractional part is added.
  const accumIntegerBits = outputIntegerBits + 1;
  const shiftedQuarter = rescaleFixedPoint(ONE_QUARTER, 0, accumIntegerBits);

  const zAHeadroomPlusOne = countLeadingZeros32(x);
  const rATmp = saturatingRoundingMultiplyByPOT(x, zAHeadroomPlusOne - 1);
  const rARaw = saturatingRoundingMultiplyByPOT(mul(rATmp, SQRT_HALF), 1);
  const zAPow2Adjusted = saturatingAddInt32(
    saturatingRoundingMultiplyByPOT(inputIntegerBits - zAHeadroomPlusOne, 31 - accumIntegerBits),
    shiftedQuarter,
  );

  const zB = mul(x, SQRT_HALF);
  const zBHeadroom = countLeadingZeros32(zB) - 1;
  const rBRaw = saturatingRoundingMultiplyByPOT(x, zBHeadroom);
  const zBPow2Adjusted = saturatingSubInt32(
    saturatingRoundingMultiplyByPOT(inputIntegerBits - zBHeadroom, 31 - accumIntegerBits),
    shiftedQuarter,
  );

  const r = Math.min(rARaw, rBRaw);
  const zPow2Adjusted = Math.max(zAPow2Adjusted, zBPow2Adjusted);

  const p = roundingHalfSum(r, SQRT_SQRT_HALF);
  let q = (r - SQRT_SQRT_HALF) | 0;
  q = (q + q) | 0;
  const commonSquare = mul(q, q);
  const numerator = (mul(q, r) + mul(mul(q, commonSquare), ALPHA_N)) | 0;
  const denominatorMinusOne = (mul(p, (ALPHA_I + q + mul(ALPHA_D, commonSquare)) | 0) + mul(ALPHA_F, q)) | 0;
  const reciprocalDenominator = oneOverOnePlusXForXIn01(denominatorMinusOne);
  const numeratorScaled = rescaleFixedPoint(numerator, 0, accumIntegerBits);
  return rescaleFixedPoint(
    (mul(zPow2Adjusted, LOG_2) + mul(numeratorScaled, reciprocalDenominator)) | 0,
    accumIntegerBits,
    outputIntegerBits,
  );
}

function prepareLogSoftmax(ctx: NodeContext): LogSoftmaxPrepared {
  const op = ctx.node.opName;
  const input = ctx.inputs[0];
  const output = ctx.outputs[0];
  if (!input || !output || ctx.inputs.length !== 1 || ctx.outputs.length !== 1) {
    throw new KernelError(`${op}: needs exactly one input and one output`);
  }
  if (input.dtype !== output.dtype) {
    throw new KernelError(`${op}: output type ${output.dtype} differs from input type ${input.dtype}`);
  }
  if (input.shape.length < 1 || input.shape.join() !== output.shape.join()) {
    throw new KernelError(`${op}: input [${input.shape}] and output [${output.shape}] must have the same shape`);
  }
  const depth = input.shape[input.shape.length - 1]!;
  const outer = depth === 0 ? 0 : input.elementCount / depth;
  if (input.dtype === "float32") return { kind: "float32", outer, depth };
  if (input.dtype !== "int8") {
    throw new KernelError(`${op}: input type ${input.dtype} is not supported (float32, int8)`);
  }
  const inQ = tensorQuantization(op, "input", input);
  const outQ = tensorQuantization(op, "output", output);
  if (Math.fround(outQ.scale) !== OUTPUT_SCALE || outQ.zeroPoint !== OUTPUT_ZERO_POINT) {
    throw new KernelError(`${op}: int8 output must have scale 16/256 and zero point 127`);
  }
  // PreprocessLogSoftmaxScalingExp: the forward scaling, and its inverse for mapping thresholds back.
  const { multiplier, leftShift } = preprocessSoftmaxScaling(1.0, Math.fround(inQ.scale), INPUT_INTEGER_BITS);
  const reverse = quantizeMultiplier(2 ** (31 - leftShift) / multiplier);
  return {
    kind: "int8",
    outer,
    depth,
    inputMultiplier: multiplier,
    inputLeftShift: leftShift,
    reverseScalingDivisor: reverse.multiplier,
    reverseScalingShift: reverse.shift,
    diffMin: -calculateInputRadius(INPUT_INTEGER_BITS, leftShift),
  };
}

function logSoftmaxFloat(p: { outer: number; depth: number }, input: Float32Array, output: Float32Array): void {
  const f = Math.fround;
  const { depth } = p;
  for (let i = 0; i < p.outer; i++) {
    const base = i * depth;
    let max = -FLOAT32_MAX;
    for (let c = 0; c < depth; c++) if (max < input[base + c]!) max = input[base + c]!;
    let sum = 0;
    for (let c = 0; c < depth; c++) sum = f(sum + f(Math.exp(f(input[base + c]! - max))));
    const logSum = f(Math.log(sum));
    for (let c = 0; c < depth; c++) output[base + c] = f(input[base + c]! - max) - logSum;
  }
}

function logSoftmaxInt8(p: Extract<LogSoftmaxPrepared, { kind: "int8" }>, input: Int8Array, output: Int8Array): void {
  const { depth, inputMultiplier, inputLeftShift, diffMin } = p;
  for (let i = 0; i < p.outer; i++) {
    const base = i * depth;
    let max = -128;
    for (let c = 0; c < depth; c++) if (max < input[base + c]!) max = input[base + c]!;
    const sumOfExps = int8SumOfExps(p, input, base, max);
    const logSumOfExps = logXForXGreaterThanOrEqualTo1(sumOfExps, ACCUMULATION_INTEGER_BITS, INPUT_INTEGER_BITS);

    // Differences whose result would fall below the smallest Q5.26 value are sent straight to the minimum.
    const adjustedDiffMin = Math.max(
      diffMin - 1,
      multiplyByQuantizedMultiplier((logSumOfExps + INT32_MIN) | 0, p.reverseScalingDivisor, p.reverseScalingShift),
    );
    for (let c = 0; c < depth; c++) {
      const diff = input[base + c]! - max;
      if (diff > adjustedDiffMin) {
        const diffQ5 = multiplyByQuantizedMultiplier(diff, inputMultiplier, inputLeftShift);
        const scaled =
          roundingDivideByPOT((diffQ5 - logSumOfExps) | 0, 31 - INPUT_INTEGER_BITS - OUTPUT_INTEGER_BITS) + 127;
        output[base + c] = Math.min(Math.max(scaled, -128), 127);
      } else {
        output[base + c] = -128;
      }
    }
  }
}

export const logSoftmax: Kernel<LogSoftmaxPrepared> = {
  prepare: prepareLogSoftmax,
  eval(p, io) {
    if (p.kind === "float32") logSoftmaxFloat(p, io.inputs[0] as Float32Array, io.outputs[0] as Float32Array);
    else logSoftmaxInt8(p, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array);
  },
};
