/**
 * DEQUANTIZE: int8/int16/uint8 → float32 as TFLM's reference does it: (value − zero point) times the scale in
 * double precision, rounded once to float32.
 */

import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireType, scaleOf, zeroPointOf } from "./data-common.js";

interface DequantizePrepared {
  scale: number;
  zeroPoint: number;
}

export const dequantize: Kernel<DequantizePrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input] = requireInputs(ctx, 1);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["int8", "int16", "uint8"]);
    requireType(name, output!, "output", ["float32"]);
    if (input!.elementCount !== output!.elementCount) {
      throw new KernelError(`${name}: input [${input!.shape}] and output [${output!.shape}] sizes differ`);
    }
    return { scale: scaleOf(input!), zeroPoint: zeroPointOf(input!) };
  },

  eval(p, io) {
    const input = io.inputs[0]! as Int8Array;
    const output = io.outputs[0]! as Float32Array;
    const { scale, zeroPoint } = p;
    // The Float32Array store performs TFLM's single double → float rounding.
    for (let i = 0; i < input.length; i++) output[i] = scale * (input[i]! - zeroPoint);
  },
};
