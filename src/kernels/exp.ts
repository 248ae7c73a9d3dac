/** EXP (TFLM exp.cc): float32 only, as in TFLM; input and output shapes must match. */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireType, unaryOperands } from "./elementwise-common.js";

export const exp: Kernel<null> = {
  prepare(ctx) {
    const { input, out } = unaryOperands(ctx, "EXP");
    requireType("EXP", "input", input.dtype, ["float32"]);
    if (input.shape.length !== out.shape.length || input.shape.some((d, i) => d !== out.shape[i])) {
      throw new KernelError(`EXP: output shape [${out.shape}] differs from input shape [${input.shape}]`);
    }
    return null;
  },
  eval(_p, io) {
    const x = io.inputs[0] as Float32Array;
    const y = io.outputs[0] as Float32Array;
    for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]!);
  },
};
