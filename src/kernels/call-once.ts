/**
 * CALL_ONCE: runs its init subgraph on a session's first invocation only (TFLM kernels/call_once.cc). As in
 * TFLM, Session.reset() does not make it run again: the op has no reset, while reset returns the resource
 * variables the init subgraph set to their zero-point fill.
 */
import { KernelError } from "../errors.js";
import { type Kernel, STOP_INVOCATION } from "../runtime/kernel.js";
import { callSubgraph, runtimeOf } from "./subgraph-call.js";

interface CallOncePrepared {
  initIndex: number;
}

interface CallOnceState {
  hasRun: boolean;
}

const NO_TENSORS: never[] = [];

export const callOnce: Kernel<CallOncePrepared, CallOnceState> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    if (ctx.inputs.length !== 0 || ctx.outputs.length !== 0) {
      throw new KernelError(`${op}: takes no inputs or outputs, has ${ctx.inputs.length} and ${ctx.outputs.length}`);
    }
    const init = callSubgraph(ctx, ctx.node.options.initSubgraphIndex, "init");
    if (init.inputs.length !== 0) {
      throw new KernelError(`${op}: init subgraph ${init.index} takes ${init.inputs.length} inputs, expected none`);
    }
    return { initIndex: init.index };
  },
  createState() {
    return { hasRun: false };
  },
  eval(prepared, io, state) {
    if (state.hasRun) return;
    const signal = runtimeOf(io, "CALL_ONCE").invokeSubgraph(prepared.initIndex, NO_TENSORS, NO_TENSORS);
    if (signal === STOP_INVOCATION) return STOP_INVOCATION;
    state.hasRun = true;
  },
};
