/**
 * DIV (TFLM div.cc): float32, int32 (C integer division, truncating toward zero) and int8 (multiplication by a
 * fixed-point reciprocal, reference DivElementwise). TFLM leaves division by zero undefined (a trap on most
 * hosts); here an int32 divisor of 0 gives 0 and an int8 one gives a deterministic but meaningless value.
 */
import type { Kernel } from "../runtime/kernel.js";
import type { BroadcastPlan } from "./broadcast.js";
import { evalPlainArithmetic, type PlainArithmetic, prepareArithmetic, quantParams } from "./elementwise-common.js";
import {
  getReciprocal,
  quantizedActivationRange,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from "./fixed-point.js";

interface QuantizedDiv {
  kind: "int8";
  plan: BroadcastPlan;
  offsetA: number;
  offsetB: number;
  outputOffset: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

type DivPrepared = PlainArithmetic | QuantizedDiv;

export const div: Kernel<DivPrepared> = {
  prepare(ctx) {
    const { a, b, out, activation, plan, plain } = prepareArithmetic(ctx, "DIV", "output", [
      "float32",
      "int32",
      "int8",
    ]);
    if (plain) return plain;
    const qa = quantParams(a, "input 1", "DIV");
    const qb = quantParams(b, "input 2", "DIV");
    const qo = quantParams(out, "output", "DIV");
    // TFLM forms in1 / (in2 · out) in float32.
    const { multiplier, shift } = quantizeMultiplier(Math.fround(qa.scale / Math.fround(qb.scale * qo.scale)));
    const [min, max] = quantizedActivationRange(activation, out.dtype, qo.scale, qo.zeroPoint);
    return {
      kind: "int8",
      plan,
      offsetA: -qa.zeroPoint,
      offsetB: -qb.zeroPoint,
      outputOffset: qo.zeroPoint,
      multiplier,
      shift,
      min,
      max,
    };
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
      case "int32":
        evalPlainArithmetic("div", p, a!, b!, out);
        return;
      case "int8":
        evalInt8(p, a as Int8Array, b as Int8Array, out as Int8Array);
        return;
    }
  },
};

/** TFLite CountLeadingSignBits for int32: redundant copies of the sign bit (31 for 0 and -1). */
function countLeadingSignBits(x: number): number {
  return Math.clz32(x >= 0 ? x : ~x) - 1;
}

function divideInt8(p: QuantizedDiv, x: number, y: number): number {
  let numerator = p.offsetA + x;
  let denominator = p.offsetB + y;
  // The reciprocal must be positive to serve as a multiplier.
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const { reciprocal, numBitsOverUnit } = getReciprocal(denominator, 31);
  const headroom = countLeadingSignBits(numerator);
  const unscaledQuotient = saturatingRoundingDoublingHighMul(numerator << headroom, reciprocal);
  const totalShift = p.shift - numBitsOverUnit - headroom;
  const value =
    p.outputOffset +
    roundingDivideByPOT(saturatingRoundingDoublingHighMul(unscaledQuotient, p.multiplier), -totalShift);
  return Math.min(p.max, Math.max(p.min, value));
}

function evalInt8(p: QuantizedDiv, a: Int8Array, b: Int8Array, out: Int8Array): void {
  const { runLength, runCount, strideA, strideB, startsA, startsB } = p.plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    for (let i = 0; i < runLength; i++) {
      out[o++] = divideInt8(p, a[ia]!, b[ib]!);
      ia += strideA;
      ib += strideB;
    }
  }
}
