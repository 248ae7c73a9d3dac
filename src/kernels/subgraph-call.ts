/**
 * Shared checks for the ops that run other subgraphs (IF, WHILE, CALL_ONCE) and for the resource-variable ops:
 * access to the Model's and Session's hooks, and TFLM's rule that tensors copied between an op and a subgraph
 * agree in type and size (kernel_util.cc ValidateAndGetTensorSizes), checked here once at prepare.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { EvalIO, GraphRuntime, NodeContext, ResourcePrepare, SubgraphInterface } from "../runtime/kernel.js";

/** Declares the call and returns the subgraph's interface; fails outside a Model (e.g. a one-kernel harness). */
export function callSubgraph(ctx: NodeContext, index: unknown, what: string): SubgraphInterface {
  const op = ctx.node.opName;
  if (!ctx.callSubgraph) throw new KernelError(`${op}: runs only inside a model (no subgraphs here)`);
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new KernelError(`${op}: ${what} subgraph index ${String(index)} is not an integer`);
  }
  return ctx.callSubgraph(index);
}

export function resourcesOf(ctx: NodeContext): ResourcePrepare {
  if (!ctx.resources) throw new KernelError(`${ctx.node.opName}: runs only inside a model (no resource variables)`);
  return ctx.resources;
}

export function runtimeOf(io: EvalIO, op: string): GraphRuntime {
  if (!io.runtime) throw new KernelError(`${op}: runs only inside a session (no subgraph runtime)`);
  return io.runtime;
}

/** Requires `from[k]` and `to[k]` to be interchangeable by a byte copy, for every k. */
export function checkCopyable(
  op: string,
  fromLabel: string,
  from: readonly (TensorDef | null)[],
  toLabel: string,
  to: readonly (TensorDef | null)[],
): void {
  if (from.length !== to.length) {
    throw new KernelError(`${op}: ${fromLabel} has ${from.length} tensors but ${toLabel} has ${to.length}`);
  }
  from.forEach((a, k) => {
    const b = to[k];
    if (!a || !b) throw new KernelError(`${op}: ${fromLabel} or ${toLabel} tensor ${k} is missing`);
    if (a.dtype !== b.dtype || a.elementCount !== b.elementCount) {
      throw new KernelError(
        `${op}: ${fromLabel} ${k} is ${a.dtype}[${a.shape}] but ${toLabel} ${k} is ${b.dtype}[${b.shape}]`,
      );
    }
  });
}

/** A resource id operand: one element, of type resource (or int32, which TFLM's ASSIGN_VARIABLE accepts). */
export function checkResourceId(op: string, t: TensorDef | null | undefined, label = "resource id"): void {
  if (!t) throw new KernelError(`${op}: needs a ${label} input`);
  if (t.dtype !== "resource" && t.dtype !== "int32") {
    throw new KernelError(`${op}: ${label} type ${t.dtype} is not supported (resource, int32)`);
  }
  if (t.elementCount !== 1) throw new KernelError(`${op}: ${label} has ${t.elementCount} elements, expected 1`);
}
