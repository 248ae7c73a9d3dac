/**
 * RESHAPE (and the shape-only ops that share its eval): the output holds the input's bytes unchanged; only the
 * declared shapes differ. TFLM copies when input and output do not share memory, and so do we.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";

export const reshape: Kernel<null> = {
  prepare(ctx) {
    const input = ctx.inputs[0];
    const output = ctx.outputs[0];
    if (!input || !output) throw new KernelError(`${ctx.node.opName}: needs an input and an output`);
    if (input.dtype !== output.dtype) {
      throw new KernelError(`${ctx.node.opName}: input type ${input.dtype} differs from output type ${output.dtype}`);
    }
    if (input.elementCount !== output.elementCount) {
      throw new KernelError(
        `${ctx.node.opName}: input [${input.shape}] has ${input.elementCount} elements, output [${output.shape}] has ${output.elementCount}`,
      );
    }
    return null;
  },
  eval(_prepared, io) {
    const input = io.inputs[0]!;
    const output = io.outputs[0]!;
    if (input !== output) (output as Uint8Array).set(input as Uint8Array);
  },
};
