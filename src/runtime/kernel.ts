/**
 * The contract between the interpreter and one op's kernel, after TFLM's {init, prepare, eval}:
 * `prepare` runs once per model and does every shape check and all quantization math; `eval` runs per
 * invocation over typed arrays only. Kernels see tensors and fixed-point helpers, never sessions or servers;
 * control-flow and resource-variable ops reach other subgraphs and variables only through the optional
 * `SubgraphAccess`, `ResourcePrepare` and `GraphRuntime` below, which ordinary kernels ignore.
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
  /**
   * Declares that this node invokes subgraph `index` and returns that subgraph's interface (TFLM's
   * MicroGraph::NumSubgraphInputs/Outputs). Throws KernelError for an index out of range. Present when the
   * node is prepared by a Model; absent in single-kernel harnesses.
   */
  callSubgraph?(index: number): SubgraphInterface;
  /** The model's resource variables (TFLM MicroResourceVariables), for VAR_HANDLE and its readers/writers. */
  resources?: ResourcePrepare;
}

/** What a control-flow op may check about the subgraph it invokes. */
export interface SubgraphInterface {
  index: number;
  name: string;
  inputs: TensorDef[];
  outputs: TensorDef[];
}

/** Resource variables as TFLM's prepare sees them: ids by (container, shared name), buffers sized statically. */
export interface ResourcePrepare {
  /** The id of variable (container, sharedName), created on first use (TFLM CreateIdIfNoneFound). */
  idFor(container: string, sharedName: string): number;
  /** Records that output `slot` of this node holds `id` from prepare on, as VAR_HANDLE's prepare does. */
  bindOutput(slot: number, id: number): void;
  /** The id input `slot` holds, when a VAR_HANDLE earlier in this subgraph bound it; otherwise null. */
  boundInput(slot: number): number | null;
  /** Sizes variable `id` after `value` (bytes, zero point) unless it already has a size (TFLM Allocate). */
  allocate(id: number, value: TensorDef): void;
}

export interface EvalIO {
  /** Views of the inputs (constants, activations or variable state); null for omitted optional inputs. */
  inputs: (TypedArray | null)[];
  outputs: TypedArray[];
  /** Scratch buffers in the order they were requested in prepare, 16-byte aligned. */
  scratch: Uint8Array[];
  /** The session's other subgraphs and resource variables; present when run by a Session. */
  runtime?: GraphRuntime;
}

/** What a Session offers the control-flow and resource-variable ops at eval. */
export interface GraphRuntime {
  /**
   * Copies `inputs` into subgraph `index`'s inputs, runs it, then copies its outputs into `outputs` (none when
   * the subgraph has no outputs). Types and sizes must have been checked in prepare. Returns STOP_INVOCATION
   * when an op inside ended the invocation early, which the caller must pass on.
   */
  invokeSubgraph(
    index: number,
    inputs: readonly (TypedArray | null)[],
    outputs: readonly TypedArray[],
  ): typeof STOP_INVOCATION | undefined;
  /** Most loop iterations (over all WHILE ops) one invocation may run (ModelOptions.maxLoopIterations). */
  readonly maxLoopIterations: number;
  /** Counts one loop iteration against that cap; false once it is exceeded. */
  spendLoopIteration(): boolean;
  /** Copies resource variable `id` into `into` (TFLM MicroResourceVariables::Read). */
  readResource(id: number, into: TypedArray): void;
  /** Copies `from` into resource variable `id` (TFLM MicroResourceVariables::Assign). */
  assignResource(id: number, from: TypedArray): void;
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
