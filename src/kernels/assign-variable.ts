/**
 * ASSIGN_VARIABLE: copies input 1 into the resource variable whose id is input 0 (TFLM
 * kernels/assign_variable.cc). As in TFLM, prepare sizes the variable after the value when the id comes from
 * a VAR_HANDLE of the same subgraph; otherwise the session sizes it at the first assignment.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { checkResourceId, resourcesOf, runtimeOf } from "./subgraph-call.js";

export const assignVariable: Kernel<null> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    if (ctx.inputs.length !== 2 || ctx.outputs.length !== 0) {
      throw new KernelError(`${op}: needs two inputs (resource id, value) and no outputs`);
    }
    checkResourceId(op, ctx.inputs[0]);
    const value = ctx.inputs[1];
    if (!value || value.dtype === "resource") throw new KernelError(`${op}: needs a value input`);
    const resources = resourcesOf(ctx);
    const id = resources.boundInput(0);
    if (id !== null) resources.allocate(id, value);
    return null;
  },
  eval(_prepared, io) {
    runtimeOf(io, "ASSIGN_VARIABLE").assignResource((io.inputs[0] as Int32Array)[0]!, io.inputs[1]!);
  },
};
