/**
 * TANH (TFLM tanh.cc): float32, int8 through gemmlowp's fixed-point tanh on Q4.27 (precomputed for all 256
 * inputs; TFLM writes Q0.7 whatever the output's quantization says) and int16 through TFLite's interpolated
 * sigmoid table.
 */
import type { Kernel } from "../runtime/kernel.js";
import {
  applyInt8Table,
  int8Q4InputScaling,
  int8Table,
  int8ToQ4,
  int16TableScaling,
  quantParams,
  requireType,
  unaryOperands,
} from "./elementwise-common.js";
import { fixedPointTanh, int16TableInputScaling, roundingDivideByPOT, tanhInt16 } from "./fixed-point.js";

type TanhPrepared =
  | { kind: "float32" }
  | { kind: "int8"; table: Int8Array }
  | { kind: "int16"; multiplier: number; shift: number; round: number };

export const tanh: Kernel<TanhPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "TANH");
    requireType("TANH", "input", input.dtype, ["float32", "int8", "int16"]);
    if (input.dtype === "float32") return { kind: "float32" };
    if (input.dtype === "int16") {
      const { multiplier, leftShift } = int16TableScaling("TANH", input, out, true);
      return { kind: "int16", ...int16TableInputScaling(multiplier, leftShift) };
    }
    const qi = quantParams(input, "input", "TANH");
    const scaling = int8Q4InputScaling(qi.scale);
    const table = int8Table((v) => {
      const q4 = int8ToQ4(v, qi.zeroPoint, scaling);
      if (q4 === null) return v - qi.zeroPoint < 0 ? -128 : 127;
      const value = roundingDivideByPOT(fixedPointTanh(q4, 4), 24);
      return Math.min(127, Math.max(-128, value));
    });
    return { kind: "int8", table };
  },
  eval(p, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32": {
        const x = input as Float32Array;
        const y = out as Float32Array;
        for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]!);
        return;
      }
      case "int8":
        applyInt8Table(p.table, input as Int8Array, out as Int8Array);
        return;
      case "int16": {
        const x = input as Int16Array;
        const y = out as Int16Array;
        const { multiplier, shift, round } = p;
        for (let i = 0; i < x.length; i++) y[i] = tanhInt16(x[i]!, multiplier, shift, round);
        return;
      }
    }
  },
};
