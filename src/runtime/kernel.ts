/**
 * The contract between the interpreter and one op's kernel, after TFLM's {init, prepare, eval}:
 * `prepare` runs once per model and does every shape check and all quantization math; `eval` runs per
 * invocation over typed arrays only. Kernels see tensors and fixed-point helpers, never sessions or servers.
 */
import type { OperatorDef, TensorDef } from "../format/model.js";
import type { TypedArray } from "./tensor.js";

export interface NodeContext {
  node: OperatorDef;
  /** Input tensors in operator order; null where the model omits an optional input (index -1). */
  inputs: (TensorDef | null)[];
  outputs: TensorDef[];
  intermediates: TensorDef[];
  /** Reserves `bytes` of arena scratch, alive only during this op's eval; returns its index in `EvalIO.scratch`. */
  requestScratch(bytes: number): number;
}

export interface EvalIO {
  /** Views of the inputs (constants, activations or variable state); null for omitted optional inputs. */
  inputs: (TypedArray | null)[];
  outputs: TypedArray[];
  /** Scratch buffers in the order they were requested in prepare, 16-byte aligned. */
  scratch: Uint8Array[];
}

/** What a kernel's eval returns to end the current invocation early (see Kernel.eval). */
export const STOP_INVOCATION = Symbol("stop invocation");

export interface Kernel<Prepared = unknown, State = undefined> {
  /** Validates the node and precomputes everything eval needs. Throws KernelError with a clear message. */
  prepare(ctx: NodeContext): Prepared;
  /** Creates per-session mutable state (op-internal state such as a noise estimate). */
  createState?(prepared: Prepared): State;
  /** Returns the state to its initial value (a fresh session's). */
  resetState?(prepared: Prepared, state: State): void;
  /**
   * Runs the op. Returning STOP_INVOCATION ends this invocation after the op, as TFLM's kTfLiteAbort does for
   * streaming ops (CIRCULAR_BUFFER) that have nothing new for the rest of the graph yet.
   */
  eval(prepared: Prepared, io: EvalIO, state: State): void | typeof STOP_INVOCATION;
  /** Multiply-accumulates per invocation, for profiles and MCU estimates. */
  macs?(ctx: NodeContext): number;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kernels of every prepared/state type.
export type AnyKernel = Kernel<any, any>;
