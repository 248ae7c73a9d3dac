/**
 * PRELU (TFLM prelu.cc / prelu_common.cc): out = x >= 0 ? x : x · alpha, with alpha broadcast against the input.
 * float32; int8 with int8 alpha; int16 with int8 alpha. Quantized outputs use one requantization for
 * non-negative inputs and one for the input × alpha product.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { BroadcastPlan } from "./broadcast.js";
import { binaryOperands, binaryPlan, mapBinary, quantParams, requireType } from "./elementwise-common.js";
import { integerRange, quantizeMultiplier, type Requantizer, requantize, requantizer } from "./fixed-point.js";

interface QuantizedPrelu {
  kind: "quantized";
  plan: BroadcastPlan;
  inputOffset: number;
  alphaOffset: number;
  outputOffset: number;
  identity: Requantizer;
  scaledAlpha: Requantizer;
  min: number;
  max: number;
}

type PreluPrepared = { kind: "float32"; plan: BroadcastPlan } | QuantizedPrelu;

export const prelu: Kernel<PreluPrepared> = {
  prepare(ctx) {
    const operands = binaryOperands(ctx, "PRELU");
    const { a: input, b: alpha, out } = operands;
    requireType("PRELU", "input", input.dtype, ["float32", "int8", "int16"]);
    if (out.dtype !== input.dtype) {
      throw new KernelError(`PRELU: output type ${out.dtype} differs from input type ${input.dtype}`);
    }
    const expectedAlpha = input.dtype === "float32" ? "float32" : "int8";
    if (alpha.dtype !== expectedAlpha) {
      throw new KernelError(`PRELU: alpha type ${alpha.dtype} is not supported with ${input.dtype} input`);
    }
    const plan = binaryPlan("PRELU", operands);
    if (input.dtype === "float32") return { kind: "float32", plan };
    const qi = quantParams(input, "input", "PRELU");
    const qa = quantParams(alpha, "alpha", "PRELU");
    const qo = quantParams(out, "output", "PRELU");
    const identity = quantizeMultiplier(qi.scale / qo.scale);
    const scaledAlpha = quantizeMultiplier((qi.scale * qa.scale) / qo.scale);
    const [min, max] = integerRange(out.dtype);
    return {
      kind: "quantized",
      plan,
      inputOffset: -qi.zeroPoint,
      alphaOffset: -qa.zeroPoint,
      outputOffset: qo.zeroPoint,
      identity: requantizer(identity.multiplier, identity.shift),
      scaledAlpha: requantizer(scaledAlpha.multiplier, scaledAlpha.shift),
      min,
      max,
    };
  },
  eval(p, io) {
    const [input, alpha] = io.inputs;
    const out = io.outputs[0]!;
    if (p.kind === "float32") {
      mapBinary(p.plan, input as Float32Array, alpha as Float32Array, out as Float32Array, (x, a) =>
        x >= 0 ? x : Math.fround(x * a),
      );
      return;
    }
    mapBinary(p.plan, input as Int16Array, alpha as Int8Array, out as Int16Array, (x, a) => {
      const centered = p.inputOffset + x;
      const rescaled =
        centered >= 0 ? requantize(centered, p.identity) : requantize(centered * (p.alphaOffset + a), p.scaledAlpha);
      const v = rescaled + p.outputOffset;
      return Math.min(p.max, Math.max(p.min, v));
    });
  },
};
