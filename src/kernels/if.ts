/**
 * IF: runs the then- or else-subgraph on inputs 1.. according to the bool scalar input 0, and copies the
 * branch's outputs to the op's outputs (TFLM kernels/if.cc).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import { callSubgraph, checkCopyable, runtimeOf } from "./subgraph-call.js";

interface IfPrepared {
  thenIndex: number;
  elseIndex: number;
}

interface IfState {
  /** The op's inputs without the condition, built once per session from its (stable) input list. */
  source: readonly (TypedArray | null)[] | null;
  branchInputs: (TypedArray | null)[];
}

export const ifKernel: Kernel<IfPrepared, IfState> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const cond = ctx.inputs[0];
    if (!cond) throw new KernelError(`${op}: needs a condition input`);
    if (cond.dtype !== "bool") throw new KernelError(`${op}: condition type ${cond.dtype} is not bool`);
    if (cond.elementCount !== 1) throw new KernelError(`${op}: condition has ${cond.elementCount} elements, not 1`);
    const thenIndex = ctx.node.options.thenSubgraphIndex;
    const elseIndex = ctx.node.options.elseSubgraphIndex;
    for (const [what, index] of [
      ["then", thenIndex],
      ["else", elseIndex],
    ] as const) {
      const branch = callSubgraph(ctx, index, what);
      const label = `${what} subgraph ${branch.index}`;
      checkCopyable(op, "inputs 1..", ctx.inputs.slice(1), `${label} inputs`, branch.inputs);
      checkCopyable(op, `${label} outputs`, branch.outputs, "outputs", ctx.outputs);
    }
    return { thenIndex: thenIndex as number, elseIndex: elseIndex as number };
  },
  createState() {
    return { source: null, branchInputs: [] };
  },
  eval(prepared, io, state) {
    const runtime = runtimeOf(io, "IF");
    if (state.source !== io.inputs) {
      state.source = io.inputs;
      state.branchInputs = io.inputs.slice(1);
    }
    const branch = io.inputs[0]![0] ? prepared.thenIndex : prepared.elseIndex;
    return runtime.invokeSubgraph(branch, state.branchInputs, io.outputs);
  },
};
