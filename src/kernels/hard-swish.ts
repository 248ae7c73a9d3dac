/**
 * HARD_SWISH (TFLM hard_swish.cc / hard_swish_common.cc): x · relu6(x + 3) / 6. float32 in float32 arithmetic;
 * int8 through TFLite's 16-bit fixed-point scheme (input at 2^7 finer scale, a "relu-ish" factor in [0, 1] and
 * a non-rounding doubling high multiply), precomputed for all 256 inputs.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { applyInt8Table, int8Table, quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { INT32_MAX, quantizeMultiplier, roundingDivideByPOT } from "./fixed-point.js";

type HardSwishPrepared = { kind: "float32" } | { kind: "int8"; table: Int8Array };

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** Wraps to int16, as C's conversion to int16_t does. */
function toInt16(x: number): number {
  return (x << 16) >> 16;
}

/** gemmlowp SaturatingRoundingDoublingHighMul for int16. */
function roundingDoublingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  const ab = a * b;
  return Math.trunc((ab + (ab >= 0 ? 1 << 14 : 1 - (1 << 14))) / 32768);
}

/** TFLite SaturatingDoublingHighMul for int16: like the above but truncating instead of rounding. */
function doublingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  return Math.trunc((a * b) / 32768);
}

/** TFLite SaturatingLeftShift for int16. */
function saturatingLeftShift16(value: number, amount: number): number {
  const shifted = value * 2 ** amount;
  return Math.min(INT16_MAX, Math.max(INT16_MIN, shifted));
}

/** TFLite DownScaleInt32ToInt16Multiplier: a Q31 multiplier rounded to Q15. */
function toInt16Multiplier(multiplier: number): number {
  if (multiplier >= INT32_MAX - 32768) return INT16_MAX;
  return (multiplier + 32768) >> 16;
}

export const hardSwish: Kernel<HardSwishPrepared> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "HARD_SWISH");
    requireType("HARD_SWISH", "input", input.dtype, ["float32", "int8"]);
    if (input.dtype === "float32") return { kind: "float32" };
    const qi = quantParams(input, "input", "HARD_SWISH");
    const qo = quantParams(out, "output", "HARD_SWISH");
    const f = Math.fround;
    // All in float32 as TFLM: the input on a 2^7 finer scale, and the scale on which 3.0 is 32768.
    const hiresInputScale = f(f(1 / 128) * qi.scale);
    const reluishScale = f(3 / 32768);
    const output = quantizeMultiplier(f(hiresInputScale / qo.scale));
    const reluish = quantizeMultiplier(f(hiresInputScale / reluishScale));
    if (output.shift > 0) {
      throw new KernelError("HARD_SWISH: output scale must not be finer than input scale / 128");
    }
    const outputMultiplier = toInt16Multiplier(output.multiplier);
    const reluishMultiplier = toInt16Multiplier(reluish.multiplier);
    const table = int8Table((v) => {
      const hires = (v - qi.zeroPoint) * 128;
      const preshiftOutput = roundingDoublingHighMul16(hires, outputMultiplier);
      // Rescale x from [-3, 3] to [-1, 1] in Q0.15, saturating; left shifts are split so that only the last
      // bit can saturate.
      let reluishValue = hires;
      if (reluish.shift > 0) reluishValue = saturatingLeftShift16(reluishValue, reluish.shift - 1);
      reluishValue = roundingDoublingHighMul16(reluishValue, reluishMultiplier);
      if (reluish.shift > 0) reluishValue = saturatingLeftShift16(reluishValue, 1);
      if (reluish.shift < 0) reluishValue = roundingDivideByPOT(reluishValue, -reluish.shift);
      // [-1, 1] to [0, 1].
      reluishValue = (reluishValue + (1 << 15)) >> 1;
      const product = doublingHighMul16(reluishValue, preshiftOutput);
      const value = toInt16(roundingDivideByPOT(product, -output.shift) + qo.zeroPoint);
      return Math.min(127, Math.max(-128, value));
    });
    return { kind: "int8", table };
  },
  eval(p, io) {
    const input = io.inputs[0]!;
    const out = io.outputs[0]!;
    if (p.kind === "int8") {
      applyInt8Table(p.table, input as Int8Array, out as Int8Array);
      return;
    }
    const x = input as Float32Array;
    const y = out as Float32Array;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const shifted = Math.fround(v + 3);
      // biome-ignore lint/complexity/useMathMinMax: std::min/max order, so NaN and -0 come out as in TFLM.
      const relu6 = shifted < 0 ? 0 : shifted > 6 ? 6 : shifted;
      y[i] = Math.fround(v * relu6) / 6;
    }
  },
};
