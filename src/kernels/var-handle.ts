/**
 * VAR_HANDLE: outputs the int32 id of the resource variable named by (container, shared_name), the same id for
 * every handle of that name in any subgraph (TFLM kernels/var_handle.cc, MicroResourceVariables).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { resourcesOf } from "./subgraph-call.js";

export const varHandle: Kernel<{ id: number }> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const output = ctx.outputs[0];
    if (!output || ctx.outputs.length !== 1) throw new KernelError(`${op}: needs exactly one output`);
    if (output.dtype !== "resource" && output.dtype !== "int32") {
      throw new KernelError(`${op}: output type ${output.dtype} is not supported (resource, int32)`);
    }
    const resources = resourcesOf(ctx);
    const container = String(ctx.node.options.container ?? "");
    const sharedName = String(ctx.node.options.sharedName ?? "");
    const id = resources.idFor(container, sharedName);
    resources.bindOutput(0, id);
    return { id };
  },
  eval(prepared, io) {
    (io.outputs[0] as Int32Array)[0] = prepared.id;
  },
};
