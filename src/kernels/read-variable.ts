/** READ_VARIABLE: copies the resource variable whose id is input 0 into the output (TFLM kernels/read_variable.cc). */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { checkResourceId, runtimeOf } from "./subgraph-call.js";

export const readVariable: Kernel<null> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    if (ctx.inputs.length !== 1 || ctx.outputs.length !== 1) {
      throw new KernelError(`${op}: needs one input and one output`);
    }
    checkResourceId(op, ctx.inputs[0]);
    if (ctx.outputs[0]!.dtype === "resource") throw new KernelError(`${op}: output cannot be a resource`);
    return null;
  },
  eval(_prepared, io) {
    runtimeOf(io, "READ_VARIABLE").readResource((io.inputs[0] as Int32Array)[0]!, io.outputs[0]!);
  },
};
