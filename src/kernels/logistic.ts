/**
 * LOGISTIC (TFLM logistic.cc / logistic_common.cc): float32 (TFLM's cut-off formula), int8 through gemmlowp's
 * fixed-point logistic on Q4.27 (precomputed for all 256 inputs; output scale 1/256, zero point -128) and int16
 * through TFLite's interpolated sigmoid table.
 */
import { KernelError } from "../errors.js";
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
import { fixedPointLogistic, int16TableInputScaling, logisticInt16, roundingDivideByPOT } from "./fixed-point.js";

type LogisticPrepared =
  | { kind: "float32" }
  | { kind: "int8"; table: Int8Array }
  | { kind: "int16"; multiplier: number; shift: number; round: number };

/** Above this, TFLM returns exactly 1; below -9 it returns exp(x) (1 + exp(-x) would round to exp(-x)). */
const CUTOFF_UPPER = 16.619047164916992;
const CUTOFF_LOWER = -9;

export const logistic: Kernel<LogisticPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "LOGISTIC");
    requireType("LOGISTIC", "input", input.dtype, ["float32", "int8", "int16"]);
    if (input.dtype === "float32") return { kind: "float32" };
    if (input.dtype === "int16") {
      const { multiplier, leftShift } = int16TableScaling("LOGISTIC", input, out, false);
      return { kind: "int16", ...int16TableInputScaling(multiplier, leftShift) };
    }
    const qi = quantParams(input, "input", "LOGISTIC");
    const qo = quantParams(out, "output", "LOGISTIC");
    if (qo.zeroPoint !== -128) {
      throw new KernelError(`LOGISTIC: int8 output zero point must be -128, not ${qo.zeroPoint}`);
    }
    const scaling = int8Q4InputScaling(qi.scale);
    const table = int8Table((v) => {
      const q4 = int8ToQ4(v, qi.zeroPoint, scaling);
      if (q4 === null) return v - qi.zeroPoint < 0 ? -128 : 127;
      // Q0.31 to the output's Q0.8, offset by the zero point.
      const value = roundingDivideByPOT(fixedPointLogistic(q4, 4), 23) - 128;
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
        for (let i = 0; i < x.length; i++) {
          const v = x[i]!;
          if (v > CUTOFF_UPPER) y[i] = 1;
          else if (v < CUTOFF_LOWER) y[i] = Math.exp(v);
          else y[i] = 1 / Math.fround(1 + Math.fround(Math.exp(-v)));
        }
        return;
      }
      case "int8":
        applyInt8Table(p.table, input as Int8Array, out as Int8Array);
        return;
      case "int16": {
        const x = input as Int16Array;
        const y = out as Int16Array;
        const { multiplier, shift, round } = p;
        for (let i = 0; i < x.length; i++) y[i] = logisticInt16(x[i]!, multiplier, shift, round);
        return;
      }
    }
  },
};
