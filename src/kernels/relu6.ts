/**
 * RELU6 (TFLM activations.cc): float32, and int8/int16 clamped to [zero point, quantized 6] of the INPUT's
 * quantization — TFLM does not requantize, so the output is assumed to share the input's scale.
 */
import type { Kernel } from "../runtime/kernel.js";
import { quantParams, requireType, unaryOperands } from "./elementwise-common.js";
import { integerRange, roundHalfAway } from "./fixed-point.js";

type Relu6Prepared = { kind: "float32" } | { kind: "quantized"; zero: number; six: number };

export const relu6: Kernel<Relu6Prepared> = {
  prepare(ctx) {
    const { input } = unaryOperands(ctx, "RELU6");
    requireType("RELU6", "input", input.dtype, ["float32", "int8", "int16"]);
    if (input.dtype === "float32") return { kind: "float32" };
    const { scale, zeroPoint } = quantParams(input, "input", "RELU6");
    const [qmin, qmax] = integerRange(input.dtype);
    // TFLM FloatToQuantizedType: round(6 / scale) in float32, plus the zero point, clamped to the type.
    const six = Math.min(qmax, Math.max(qmin, roundHalfAway(Math.fround(6 / scale)) + zeroPoint));
    return { kind: "quantized", zero: zeroPoint, six };
  },
  eval(p, io) {
    const x = io.inputs[0] as Float32Array;
    const y = io.outputs[0] as Float32Array;
    const [lower, upper] = p.kind === "float32" ? [0, 6] : [p.zero, p.six];
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      // biome-ignore lint/complexity/useMathMinMax: TFLM keeps -0 and NaN, which Math.min/max would not.
      y[i] = v > upper ? upper : v < lower ? lower : v;
    }
  },
};
