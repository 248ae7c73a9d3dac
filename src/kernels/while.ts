/**
 * WHILE: copies its inputs to its outputs, then runs the body subgraph on them for as long as the cond
 * subgraph's bool output 0 is true (TFLM kernels/while.cc). TFLM loops without limit; here every iteration
 * counts against the session's per-invocation cap so that a model whose loop never ends fails instead of hanging.
 */
import { KernelError } from "../errors.js";
import { type Kernel, STOP_INVOCATION } from "../runtime/kernel.js";
import { callSubgraph, checkCopyable, runtimeOf } from "./subgraph-call.js";

interface WhilePrepared {
  condIndex: number;
  bodyIndex: number;
  condOutputLength: number;
}

interface WhileState {
  /** Receives the cond subgraph's output 0. */
  condValue: Uint8Array;
}

export const whileKernel: Kernel<WhilePrepared, WhileState> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const cond = callSubgraph(ctx, ctx.node.options.condSubgraphIndex, "cond");
    const body = callSubgraph(ctx, ctx.node.options.bodySubgraphIndex, "body");
    checkCopyable(op, "inputs", ctx.inputs, "outputs", ctx.outputs);
    checkCopyable(op, "outputs", ctx.outputs, `cond subgraph ${cond.index} inputs`, cond.inputs);
    checkCopyable(op, "outputs", ctx.outputs, `body subgraph ${body.index} inputs`, body.inputs);
    checkCopyable(op, `body subgraph ${body.index} outputs`, body.outputs, "outputs", ctx.outputs);
    const condOutput = cond.outputs[0];
    if (condOutput?.dtype !== "bool" || condOutput.elementCount < 1) {
      throw new KernelError(`${op}: cond subgraph ${cond.index} must output a bool first`);
    }
    return { condIndex: cond.index, bodyIndex: body.index, condOutputLength: condOutput.elementCount };
  },
  createState(prepared) {
    return { condValue: new Uint8Array(prepared.condOutputLength) };
  },
  eval(prepared, io, state) {
    const runtime = runtimeOf(io, "WHILE");
    const outputs = io.outputs;
    io.inputs.forEach((src, k) => {
      const dst = outputs[k]!;
      if (src && src !== dst) (dst as Uint8Array).set(src as Uint8Array);
    });
    const condOutputs = [state.condValue];
    if (runtime.invokeSubgraph(prepared.condIndex, outputs, condOutputs) === STOP_INVOCATION) return STOP_INVOCATION;
    while (state.condValue[0]) {
      if (!runtime.spendLoopIteration()) {
        throw new KernelError(
          `WHILE: more than ${runtime.maxLoopIterations} loop iterations in one invocation ` +
            `(cond subgraph ${prepared.condIndex}, body subgraph ${prepared.bodyIndex}); ` +
            "raise ModelOptions.maxLoopIterations if the model really loops that long",
        );
      }
      if (runtime.invokeSubgraph(prepared.bodyIndex, outputs, outputs) === STOP_INVOCATION) return STOP_INVOCATION;
      if (runtime.invokeSubgraph(prepared.condIndex, outputs, condOutputs) === STOP_INVOCATION) {
        return STOP_INVOCATION;
      }
    }
  },
};
