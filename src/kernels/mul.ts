/**
 * MUL (TFLM mul.cc / mul_common.cc): float32, int32 (wrapping product) and int8/int16 (product of the
 * zero-point-corrected inputs, requantized by in1·in2/out scale; int16 requires zero points of 0).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { BroadcastPlan } from "./broadcast.js";
import {
  applyInt8PairTable,
  evalPlainArithmetic,
  int8PairTable,
  type PlainArithmetic,
  prepareArithmetic,
  quantParams,
} from "./elementwise-common.js";
import {
  quantizedActivationRange,
  quantizeMultiplier,
  type Requantizer,
  requantize,
  requantizer,
} from "./fixed-point.js";

interface QuantizedMul {
  kind: "quantized";
  plan: BroadcastPlan;
  offsetA: number;
  offsetB: number;
  outputOffset: number;
  output: Requantizer;
  min: number;
  max: number;
  /** int8 only: see int8PairTable. */
  pairTable: Int8Array | null;
}

type MulPrepared = PlainArithmetic | QuantizedMul;

export const mul: Kernel<MulPrepared> = {
  prepare(ctx) {
    const { a, b, out, activation, plan, plain } = prepareArithmetic(ctx, "MUL", "input", [
      "float32",
      "int32",
      "int8",
      "int16",
    ]);
    if (plain) return plain;
    const qa = quantParams(a, "input 1", "MUL");
    const qb = quantParams(b, "input 2", "MUL");
    const qo = quantParams(out, "output", "MUL");
    if (out.dtype === "int16" && (qa.zeroPoint !== 0 || qb.zeroPoint !== 0 || qo.zeroPoint !== 0)) {
      throw new KernelError("MUL: int16 tensors must have zero point 0");
    }
    const { multiplier, shift } = quantizeMultiplier((qa.scale * qb.scale) / qo.scale);
    const [min, max] = quantizedActivationRange(activation, out.dtype, qo.scale, qo.zeroPoint);
    const prepared: QuantizedMul = {
      kind: "quantized",
      plan,
      offsetA: -qa.zeroPoint,
      offsetB: -qb.zeroPoint,
      outputOffset: qo.zeroPoint,
      output: requantizer(multiplier, shift),
      min,
      max,
      pairTable: null,
    };
    if (out.dtype === "int8") prepared.pairTable = int8PairTable((x, y) => mulElement(prepared, x, y));
    return prepared;
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
      case "int32":
        evalPlainArithmetic("mul", p, a!, b!, out);
        return;
      case "quantized":
        evalQuantized(p, a as Int8Array, b as Int8Array, out as Int8Array);
        return;
    }
  },
  macs(ctx) {
    return ctx.outputs[0]?.elementCount ?? 0;
  },
};

/** One element of quantized MUL: the product of the zero-point-corrected inputs, requantized and clamped. */
function mulElement(p: QuantizedMul, x: number, y: number): number {
  // Both factors are below 2^16 in magnitude, so the int32 product is exact.
  const value = p.outputOffset + requantize((p.offsetA + x) * (p.offsetB + y), p.output);
  return Math.min(p.max, Math.max(p.min, value));
}

function evalQuantized(
  p: QuantizedMul,
  a: Int8Array | Int16Array,
  b: Int8Array | Int16Array,
  out: Int8Array | Int16Array,
): void {
  if (p.pairTable) {
    applyInt8PairTable(p.pairTable, p.plan, a as Int8Array, b as Int8Array, out as Int8Array);
    return;
  }
  const { runLength, runCount, strideA, strideB, startsA, startsB } = p.plan;
  let o = 0;
  for (let r = 0; r < runCount; r++) {
    let ia = startsA[r]!;
    let ib = startsB[r]!;
    const end = o + runLength;
    for (; o < end; o++, ia += strideA, ib += strideB) out[o] = mulElement(p, a[ia]!, b[ib]!);
  }
}
