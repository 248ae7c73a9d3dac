/**
 * RSQRT (TFLM elementwise.cc): float32 as 1/sqrtf(x), and int8: 1/sqrt(x - zero_point) as a fixed-point inverse
 * square root, scaled up by 2^20 to stay an integer, then requantized by 1/(sqrt(input_scale) · output_scale).
 * A zero input gives the output maximum; an input below the zero point fails the invocation as in TFLM.
 * TFLM's eval has an int16 branch but its prepare rejects int16, so int16 is rejected here too.
 */
import { InputError, KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { applyInt8Table, int8Table, quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { invSqrtQuantizedMultiplierExp, multiplyByQuantizedMultiplier, quantizeMultiplier } from "./fixed-point.js";

/** TFLM keeps the inverse square root 2^20 times too large so that it is an integer. */
const INTEGER_SHIFT = 20;

type RsqrtPrepared = { kind: "float32" } | { kind: "int8"; table: Int8Array; inputZeroPoint: number };

export const rsqrt: Kernel<RsqrtPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "RSQRT");
    requireType("RSQRT", "input", input.dtype, ["float32", "int8"]);
    if (input.dtype === "float32") return { kind: "float32" };
    const qi = quantParams(input, "input", "RSQRT");
    const qo = quantParams(out, "output", "RSQRT");
    const f = Math.fround;
    const { multiplier, shift } = quantizeMultiplier(1 / f(f(Math.sqrt(qi.scale)) * f(qo.scale)));
    if (shift - INTEGER_SHIFT < -31) {
      throw new KernelError(`RSQRT: output rescaling 2^${shift} is too small; the quantization is unusable`);
    }
    const table = int8Table((x) => {
      const value = x - qi.zeroPoint;
      if (value === 0) return 127;
      if (value < 0) return 0; // never read: eval rejects inputs below the zero point
      const inverse = invSqrtQuantizedMultiplierExp(value, -1);
      const scaled = multiplyByQuantizedMultiplier(1, inverse.multiplier, inverse.shift + INTEGER_SHIFT);
      const result = multiplyByQuantizedMultiplier(scaled, multiplier, shift - INTEGER_SHIFT) + qo.zeroPoint;
      return Math.min(127, Math.max(-128, result));
    });
    return { kind: "int8", table, inputZeroPoint: qi.zeroPoint };
  },
  eval(p, io) {
    if (p.kind === "float32") {
      const x = io.inputs[0] as Float32Array;
      const y = io.outputs[0] as Float32Array;
      for (let i = 0; i < x.length; i++) y[i] = 1 / Math.fround(Math.sqrt(x[i]!));
      return;
    }
    const x = io.inputs[0] as Int8Array;
    for (let i = 0; i < x.length; i++) {
      if (x[i]! < p.inputZeroPoint)
        throw new InputError("RSQRT: input is negative; rsqrt is only defined for positive values");
    }
    applyInt8Table(p.table, x, io.outputs[0] as Int8Array);
  },
};
