/**
 * RELU (TFLM activations.cc): float32, and int8/int16 requantized from the input's to the output's scale and
 * clamped below at the output zero point (int16 needs zero points of 0). int8 is a 256-entry table.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { applyInt8Table, int8Table, quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { integerRange, quantizeMultiplier, type Requantizer, requantize, requantizer } from "./fixed-point.js";

interface ReluRequantization {
  inputZeroPoint: number;
  outputZeroPoint: number;
  scale: Requantizer;
  min: number;
  max: number;
}

type ReluPrepared = { kind: "float32" } | { kind: "int8"; table: Int8Array } | ({ kind: "int16" } & ReluRequantization);

function reluValue(r: ReluRequantization, value: number): number {
  const v = r.outputZeroPoint + requantize(value - r.inputZeroPoint, r.scale);
  return Math.min(r.max, Math.max(r.min, v));
}

export const relu: Kernel<ReluPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "RELU");
    requireType("RELU", "input", input.dtype, ["float32", "int8", "int16"]);
    if (input.dtype === "float32") return { kind: "float32" };
    const qi = quantParams(input, "input", "RELU");
    const qo = quantParams(out, "output", "RELU");
    if (input.dtype === "int16" && (qi.zeroPoint !== 0 || qo.zeroPoint !== 0)) {
      throw new KernelError("RELU: int16 input and output must have zero point 0");
    }
    const [qmin, qmax] = integerRange(out.dtype);
    // TFLM divides the scales in float32.
    const { multiplier, shift } = quantizeMultiplier(Math.fround(qi.scale / qo.scale));
    const r: ReluRequantization = {
      inputZeroPoint: qi.zeroPoint,
      outputZeroPoint: qo.zeroPoint,
      scale: requantizer(multiplier, shift),
      min: Math.max(qmin, qo.zeroPoint),
      max: qmax,
    };
    if (input.dtype === "int8") return { kind: "int8", table: int8Table((v) => reluValue(r, v)) };
    return { kind: "int16", ...r };
  },
  eval(p, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32": {
        const x = input as Float32Array;
        const y = out as Float32Array;
        for (let i = 0; i < x.length; i++) {
          const v = x[i]!;
          // biome-ignore lint/complexity/useMathMinMax: TFLM keeps -0 and NaN, which Math.max would not.
          y[i] = v < 0 ? 0 : v;
        }
        return;
      }
      case "int8":
        applyInt8Table(p.table, input as Int8Array, out as Int8Array);
        return;
      case "int16": {
        const x = input as Int16Array;
        const y = out as Int16Array;
        for (let i = 0; i < x.length; i++) y[i] = reluValue(p, x[i]!);
        return;
      }
    }
  },
};
