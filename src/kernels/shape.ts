/** SHAPE (TFLM shape.cc): the input's dimensions as an int32 vector (TFLM supports an int32 output only). */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireType } from "./elementwise-common.js";

export const shape: Kernel<Int32Array> = {
  prepare(ctx) {
    const input = ctx.inputs[0];
    const out = ctx.outputs[0];
    if (ctx.inputs.length !== 1 || !input || ctx.outputs.length !== 1 || !out) {
      throw new KernelError("SHAPE: needs 1 input and 1 output");
    }
    requireType("SHAPE", "output", out.dtype, ["int32"]);
    if (out.elementCount !== input.shape.length) {
      throw new KernelError(
        `SHAPE: output has ${out.elementCount} elements for an input of rank ${input.shape.length}`,
      );
    }
    return Int32Array.from(input.shape);
  },
  eval(dims, io) {
    (io.outputs[0] as Int32Array).set(dims);
  },
};
