/**
 * LEAKY_RELU (TFLM leaky_relu.cc / leaky_relu_common.cc): float32, and int8/int16 with one requantization for
 * non-negative inputs (input/output scale) and one for negative inputs (scaled by alpha, which may be negative).
 * int8 is a 256-entry table.
 */
import type { Kernel } from "../runtime/kernel.js";
import { applyInt8Table, int8Table, quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { integerRange, quantizeMultiplier, type Requantizer, requantize, requantizer } from "./fixed-point.js";

interface LeakyReluRequantization {
  inputZeroPoint: number;
  outputZeroPoint: number;
  identity: Requantizer;
  /** |alpha multiplier|; the sign is applied after rescaling, as TFLM requires a non-negative multiplier. */
  alpha: Requantizer;
  alphaNegative: boolean;
  min: number;
  max: number;
}

type LeakyReluPrepared =
  | { kind: "float32"; alpha: number }
  | { kind: "int8"; table: Int8Array }
  | ({ kind: "int16" } & LeakyReluRequantization);

function leakyReluValue(r: LeakyReluRequantization, value: number): number {
  const centered = value - r.inputZeroPoint;
  let v = r.outputZeroPoint;
  if (centered >= 0) {
    v += requantize(centered, r.identity);
  } else {
    const scaled = requantize(centered, r.alpha);
    v += r.alphaNegative ? -scaled : scaled;
  }
  return Math.min(r.max, Math.max(r.min, v));
}

export const leakyRelu: Kernel<LeakyReluPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "LEAKY_RELU");
    requireType("LEAKY_RELU", "input", input.dtype, ["float32", "int8", "int16"]);
    const alpha = (ctx.node.options.alpha as number | undefined) ?? 0;
    if (input.dtype === "float32") return { kind: "float32", alpha };
    const qi = quantParams(input, "input", "LEAKY_RELU");
    const qo = quantParams(out, "output", "LEAKY_RELU");
    const f = Math.fround;
    // TFLM forms both ratios in float32.
    const alphaQ = quantizeMultiplier(f(f(qi.scale * alpha) / qo.scale));
    const identityQ = quantizeMultiplier(f(qi.scale / qo.scale));
    const [min, max] = integerRange(input.dtype);
    const r: LeakyReluRequantization = {
      inputZeroPoint: qi.zeroPoint,
      outputZeroPoint: qo.zeroPoint,
      identity: requantizer(identityQ.multiplier, identityQ.shift),
      alpha: requantizer(Math.abs(alphaQ.multiplier) | 0, alphaQ.shift),
      alphaNegative: alphaQ.multiplier < 0,
      min,
      max,
    };
    if (input.dtype === "int8") return { kind: "int8", table: int8Table((v) => leakyReluValue(r, v)) };
    return { kind: "int16", ...r };
  },
  eval(p, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32": {
        const x = input as Float32Array;
        const y = out as Float32Array;
        const { alpha } = p;
        for (let i = 0; i < x.length; i++) {
          const v = x[i]!;
          y[i] = v > 0 ? v : v * alpha;
        }
        return;
      }
      case "int8":
        applyInt8Table(p.table, input as Int8Array, out as Int8Array);
        return;
      case "int16": {
        const x = input as Int16Array;
        const y = out as Int16Array;
        for (let i = 0; i < x.length; i++) y[i] = leakyReluValue(p, x[i]!);
        return;
      }
    }
  },
};
