/**
 * One request's inference on one session: a batch of B inputs runs as B invocations, each from fresh state
 * (session.reset(): stateful models never carry state from one request, or one batch item, to the next), with
 * outputs concatenated along the batch dimension. Shared by the worker threads and the inline path, so both
 * compute exactly the same thing.
 */
import type { Session, TypedArray } from "../index.js";

export interface BatchResult {
  outputs: TypedArray[];
  /** Time inside the runtime (set inputs, invoke, copy outputs), in milliseconds. */
  inferenceMs: number;
}

export function runBatch(session: Session, inputs: readonly TypedArray[], batch: number): BatchResult {
  const model = session.model;
  const start = performance.now();
  const outputs = model.outputs.map((_, k) => {
    const one = session.output(k);
    return new (one.constructor as new (n: number) => TypedArray)(one.length * batch);
  });
  for (let b = 0; b < batch; b++) {
    session.reset();
    for (let k = 0; k < inputs.length; k++) {
      const all = inputs[k]!;
      const n = all.length / batch;
      session.setInput(k, batch === 1 ? all : all.subarray(b * n, (b + 1) * n));
    }
    session.invoke();
    for (let k = 0; k < outputs.length; k++) {
      const one = session.output(k);
      (outputs[k] as Uint8Array).set(one as Uint8Array, b * one.length);
    }
  }
  return { outputs, inferenceMs: performance.now() - start };
}
