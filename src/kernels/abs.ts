/**
 * ABS (TFLM elementwise.cc): float32; int8 (always quantized) and int16, which is quantized with zero points 0
 * unless the tensor has no quantization, where it is a plain integer abs that wraps -32768 to itself. The
 * quantized paths rescale |x - zero_point| only when the scales differ (multiplier from the float32 ratio).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { applyInt8Table, int8Table, quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from "./fixed-point.js";

interface AbsQuantization {
  inputZeroPoint: number;
  outputZeroPoint: number;
  rescale: boolean;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

type AbsPrepared =
  | { kind: "float32" }
  | { kind: "int16-raw" }
  | { kind: "int8"; table: Int8Array }
  | ({ kind: "int16" } & AbsQuantization);

function absQuantized(q: AbsQuantization, x: number): number {
  const magnitude = Math.abs(x - q.inputZeroPoint);
  const value = q.rescale
    ? multiplyByQuantizedMultiplier(magnitude, q.multiplier, q.shift) + q.outputZeroPoint
    : magnitude + q.outputZeroPoint;
  return value < q.min ? q.min : value > q.max ? q.max : value;
}

export const abs: Kernel<AbsPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "ABS");
    requireType("ABS", "input", input.dtype, ["float32", "int8", "int16"]);
    if (input.dtype === "float32") return { kind: "float32" };
    if (input.dtype === "int16" && !input.quantization) return { kind: "int16-raw" };
    const qi = quantParams(input, "input", "ABS");
    const qo = quantParams(out, "output", "ABS");
    if (input.dtype === "int16" && (qi.zeroPoint !== 0 || qo.zeroPoint !== 0)) {
      throw new KernelError("ABS: int16 input and output must have zero point 0");
    }
    const { multiplier, shift } = quantizeMultiplier(Math.fround(qi.scale / qo.scale));
    const [min, max] = integerRange(input.dtype);
    const q: AbsQuantization = {
      inputZeroPoint: qi.zeroPoint,
      outputZeroPoint: qo.zeroPoint,
      rescale: Math.fround(qi.scale) !== Math.fround(qo.scale),
      multiplier,
      shift,
      min,
      max,
    };
    if (input.dtype === "int8") return { kind: "int8", table: int8Table((v) => absQuantized(q, v)) };
    return { kind: "int16", ...q };
  },
  eval(p, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32": {
        const x = input as Float32Array;
        const y = out as Float32Array;
        for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]!);
        return;
      }
      case "int16-raw": {
        // Int16Array stores wrap |-32768| back to -32768, as the C++ cast does.
        const x = input as Int16Array;
        const y = out as Int16Array;
        for (let i = 0; i < x.length; i++) y[i] = Math.abs(x[i]!);
        return;
      }
      case "int8":
        applyInt8Table(p.table, input as Int8Array, out as Int8Array);
        return;
      case "int16": {
        const x = input as Int16Array;
        const y = out as Int16Array;
        for (let i = 0; i < x.length; i++) y[i] = absQuantized(p, x[i]!);
        return;
      }
    }
  },
};
