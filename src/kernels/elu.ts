/**
 * ELU (TFLM elu.cc): float32 as x < 0 ? expm1(x) : x, and int8 through a 256-entry table TFLM fills in float32:
 * dequantize, exp(x) - 1 for negatives, divide by the output scale (times its float inverse), round, add the zero
 * point, truncate, clamp.
 */
import type { Kernel } from "../runtime/kernel.js";
import { applyInt8Table, int8Table, quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { roundHalfAway } from "./fixed-point.js";

type EluPrepared = { kind: "float32" } | { kind: "int8"; table: Int8Array };

export const elu: Kernel<EluPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "ELU");
    requireType("ELU", "input", input.dtype, ["float32", "int8"]);
    if (input.dtype === "float32") return { kind: "float32" };
    const qi = quantParams(input, "input", "ELU");
    const qo = quantParams(out, "output", "ELU");
    const f = Math.fround;
    const inverseScale = f(1 / qo.scale);
    const table = int8Table((v) => {
      const x = f(qi.scale * (v - qi.zeroPoint));
      const transformed = x < 0 ? f(f(Math.exp(x)) - 1) : x;
      const quantized = Math.trunc(f(roundHalfAway(f(transformed * inverseScale)) + qo.zeroPoint));
      return Math.min(127, Math.max(-128, quantized));
    });
    return { kind: "int8", table };
  },
  eval(p, io) {
    if (p.kind === "int8") {
      applyInt8Table(p.table, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array);
      return;
    }
    const x = io.inputs[0] as Float32Array;
    const y = io.outputs[0] as Float32Array;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      y[i] = v < 0 ? Math.expm1(v) : v;
    }
  },
};
