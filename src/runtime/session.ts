/**
 * One caller's execution state for a Model: the arena (activations and scratch of every subgraph), variable
 * tensors, resource variables and kernel state. Not thread-safe and not re-entrant; create one per worker or
 * per stateful client.
 */
import { EdgeInferenceError, InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import { type EvalIO, type GraphRuntime, STOP_INVOCATION } from "./kernel.js";
import type { Model } from "./model.js";
import { allocate, INTEGER_RANGES, type TypedArray, viewOf } from "./tensor.js";

export interface OpProfileEntry {
  index: number;
  op: string;
  /** Milliseconds spent in this op's eval, summed over profiled invocations. */
  ms: number;
  macs: number;
  calls: number;
}

export type InputValue = TypedArray | ArrayLike<number> | readonly number[];
export type InputMap = readonly InputValue[] | Readonly<Record<string, InputValue>>;

/** One subgraph's views and per-node eval inputs within a session. */
interface SubgraphRun {
  views: (TypedArray | null)[];
  io: EvalIO[];
  states: unknown[];
  inputs: (TypedArray | null)[];
  outputs: (TypedArray | null)[];
}

export class Session {
  readonly model: Model;
  private readonly arena: ArrayBuffer;
  private readonly views: (TypedArray | null)[];
  private readonly runs: SubgraphRun[];
  /** Resource-variable buffers by id; null until sized (at load, or on first assign). */
  private readonly resources: (Uint8Array | null)[];
  private loopIterations = 0;
  private profile: OpProfileEntry[] | null = null;
  /**
   * False when the last invoke() was ended early by a streaming op (TFLM's kTfLiteAbort): the outputs are then
   * not meaningful (as in TFLM, their arena memory may have been reused).
   */
  completed = true;

  constructor(model: Model) {
    this.model = model;
    this.arena = new ArrayBuffer(Math.max(16, model.arenaBytes));
    this.resources = model.resourceVariables.map((v) => (v.byteLength === null ? null : new Uint8Array(v.byteLength)));
    const runtime = this.createRuntime();
    this.runs = model.subgraphs.map((g) => {
      const views = g.def.tensors.map((t) => this.createView(t, g.tensorOffsets));
      return {
        views,
        io: g.nodes.map((n) => ({
          inputs: n.def.inputs.map((i) => (i < 0 ? null : views[i]!)),
          outputs: n.def.outputs.map((i) => views[i]!),
          scratch: n.scratch.map((s) => new Uint8Array(this.arena, model.scratchOffsets[s]!, model.scratchBytes[s]!)),
          runtime,
        })),
        states: g.nodes.map((n) => n.kernel.createState?.(n.prepared)),
        inputs: g.def.inputs.map((i) => views[i]!),
        outputs: g.def.outputs.map((i) => views[i]!),
      };
    });
    this.views = this.runs[0]!.views;
    this.resetVariables();
  }

  private createView(t: TensorDef, offsets: readonly number[]): TypedArray | null {
    if (t.data) return viewOf(t.dtype, t.data.buffer, t.data.byteOffset, t.elementCount);
    // A resource handle holds the int32 id of a resource variable (VAR_HANDLE's output).
    if (t.dtype === "resource") return new Int32Array(Math.max(1, t.elementCount));
    if (t.isVariable) return allocate(t.dtype, t.elementCount);
    const offset = offsets[t.index]!;
    if (offset < 0) return null;
    return viewOf(t.dtype, this.arena, offset, t.elementCount);
  }

  /** What control-flow and resource-variable kernels may do with this session at eval. */
  private createRuntime(): GraphRuntime {
    const session = this;
    const resources = this.resources;
    const variables = this.model.resourceVariables;
    const resourceBytes = (op: string, id: number): Uint8Array | null => {
      if (!Number.isInteger(id) || id < 0 || id >= variables.length) {
        throw new KernelError(`${op}: resource variable ${id} does not exist`);
      }
      return resources[id]!;
    };
    const bytesOf = (a: TypedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    return {
      maxLoopIterations: this.model.maxLoopIterations,
      invokeSubgraph(index, inputs, outputs) {
        return session.invokeSubgraph(index, inputs, outputs);
      },
      spendLoopIteration() {
        return ++session.loopIterations <= session.model.maxLoopIterations;
      },
      readResource(id, into) {
        const buffer = resourceBytes("READ_VARIABLE", id);
        const v = variables[id]!;
        if (!buffer) throw new KernelError(`READ_VARIABLE: resource variable "${v.sharedName}" was never assigned`);
        if (buffer.byteLength !== into.byteLength) {
          throw new KernelError(
            `READ_VARIABLE: resource variable "${v.sharedName}" holds ${buffer.byteLength} bytes, the output takes ${into.byteLength}`,
          );
        }
        bytesOf(into).set(buffer);
      },
      assignResource(id, from) {
        let buffer = resourceBytes("ASSIGN_VARIABLE", id);
        const v = variables[id]!;
        if (!buffer) {
          // No ASSIGN_VARIABLE could size it at load (its handle came from another subgraph): size it now.
          buffer = new Uint8Array(from.byteLength);
          resources[id] = buffer;
        }
        if (buffer.byteLength !== from.byteLength) {
          throw new KernelError(
            `ASSIGN_VARIABLE: resource variable "${v.sharedName}" holds ${buffer.byteLength} bytes, the value has ${from.byteLength}`,
          );
        }
        buffer.set(bytesOf(from));
      },
    };
  }

  /**
   * Returns variable tensors, resource variables and op state to a fresh session's values, as TFLM's
   * MicroInterpreter::Reset does — including its one difference from a fresh session: a CALL_ONCE that has run
   * does not run again, so resource variables it initialised read as their zero-point fill.
   */
  reset(): void {
    this.resetVariables();
    this.model.subgraphs.forEach((g, s) => {
      const states = this.runs[s]!.states;
      g.nodes.forEach((n, k) => {
        n.kernel.resetState?.(n.prepared, states[k]);
      });
    });
  }

  private resetVariables(): void {
    this.model.subgraphs.forEach((g, s) => {
      const views = this.runs[s]!.views;
      for (const i of g.variableTensors) {
        const t = g.def.tensors[i]!;
        const view = views[i]!;
        // TFLM fills int8 state with its zero point and everything else with zero bytes.
        const fill = t.dtype === "int8" && t.quantization ? t.quantization.zeroPoint[0]! : 0;
        if (view instanceof BigInt64Array || view instanceof BigUint64Array) view.fill(0n);
        else view.fill(fill);
      }
    });
    // TFLM ResetAll: every resource variable back to its fill byte (its zero point).
    this.model.resourceVariables.forEach((v, id) => {
      this.resources[id]?.fill(v.fillByte);
    });
  }

  /** The live view of input `k`: write into it, then invoke(). */
  input(k: number): TypedArray {
    return this.views[this.tensorIndexOfInput(k)]!;
  }

  /** The live view of output `k`, valid until the next invoke(). */
  output(k: number): TypedArray {
    const index = this.model.graph.outputs[k];
    if (index === undefined) throw new InputError(`model has ${this.model.outputs.length} outputs, no output ${k}`);
    return this.views[index]!;
  }

  private tensorIndexOfInput(k: number): number {
    const index = this.model.graph.inputs[k];
    if (index === undefined) throw new InputError(`model has ${this.model.inputs.length} inputs, no input ${k}`);
    return index;
  }

  /** Copies `value` into input `k` after checking its length, and its range for integer types. */
  setInput(k: number, value: InputValue): void {
    const t = this.model.graph.tensors[this.tensorIndexOfInput(k)]!;
    const view = this.views[t.index]!;
    const label = `input ${k}${t.name ? ` "${t.name}"` : ""}`;
    if (value.length !== t.elementCount) {
      throw new InputError(
        `${label} expects ${t.elementCount} values (shape [${t.shape.join(",")}]), got ${value.length}`,
      );
    }
    if (ArrayBuffer.isView(value) && value.constructor === view.constructor) {
      (view as Uint8Array).set(value as Uint8Array);
      return;
    }
    const range = INTEGER_RANGES[t.dtype];
    const big = view instanceof BigInt64Array || view instanceof BigUint64Array;
    for (let i = 0; i < value.length; i++) {
      const raw = value[i] as number | bigint;
      const v = typeof raw === "bigint" ? Number(raw) : raw;
      if (typeof v !== "number" || Number.isNaN(v)) {
        throw new InputError(`${label}: value ${i} is not a number`);
      }
      if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
        throw new InputError(`${label}: value ${i} (${v}) is not an ${t.dtype} integer in [${range[0]}, ${range[1]}]`);
      }
      if (big) (view as BigInt64Array)[i] = BigInt(v);
      else (view as Float32Array)[i] = v;
    }
  }

  /** Runs every operator of the main subgraph once, in order. */
  invoke(): void {
    this.loopIterations = 0;
    this.completed = this.runSubgraph(0) !== STOP_INVOCATION;
  }

  /** TFLM's InvokeSubgraph with the copies in and out that IF, WHILE and CALL_ONCE make around it. */
  private invokeSubgraph(
    index: number,
    inputs: readonly (TypedArray | null)[],
    outputs: readonly TypedArray[],
  ): typeof STOP_INVOCATION | undefined {
    const run = this.runs[index];
    if (!run) throw new KernelError(`subgraph ${index} does not exist`);
    inputs.forEach((src, k) => {
      const dst = run.inputs[k];
      if (src && dst && dst !== src) (dst as Uint8Array).set(src as Uint8Array);
    });
    if (this.runSubgraph(index) === STOP_INVOCATION) return STOP_INVOCATION;
    run.outputs.forEach((src, k) => {
      const dst = outputs[k];
      if (src && dst && dst !== src) (dst as Uint8Array).set(src as Uint8Array);
    });
  }

  private runSubgraph(index: number): typeof STOP_INVOCATION | undefined {
    const nodes = this.model.subgraphs[index]!.nodes;
    const { io, states } = this.runs[index]!;
    const profile = index === 0 ? this.profile : null;
    let k = 0;
    try {
      for (; k < nodes.length; k++) {
        const n = nodes[k]!;
        let signal: unknown;
        if (profile) {
          const start = performance.now();
          signal = n.kernel.eval(n.prepared, io[k]!, states[k]);
          const entry = profile[k]!;
          entry.ms += performance.now() - start;
          entry.calls += 1;
        } else {
          signal = n.kernel.eval(n.prepared, io[k]!, states[k]);
        }
        if (signal === STOP_INVOCATION) return STOP_INVOCATION;
      }
    } catch (err) {
      // One try around the loop costs nothing per op, and any failure still names its operator.
      if (err instanceof EdgeInferenceError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const where = index === 0 ? "" : `subgraph ${index} `;
      throw new KernelError(`${where}operator ${k} (${nodes[k]?.def.opName}) failed: ${message}`, { cause: err });
    }
  }

  /** Sets all inputs (by position or by name), invokes, and returns copies of the outputs. */
  run(inputs: InputMap): TypedArray[] {
    if (Array.isArray(inputs) || ArrayBuffer.isView(inputs)) {
      const list = inputs as readonly InputValue[];
      if (list.length !== this.model.inputs.length) {
        throw new InputError(`model takes ${this.model.inputs.length} inputs, got ${list.length}`);
      }
      list.forEach((v, k) => {
        this.setInput(k, v);
      });
    } else {
      const named = inputs as Readonly<Record<string, InputValue>>;
      const names = this.model.inputs.map((t) => t.name);
      for (const key of Object.keys(named)) {
        if (!names.includes(key))
          throw new InputError(`model has no input named "${key}" (inputs: ${names.join(", ")})`);
      }
      this.model.inputs.forEach((t, k) => {
        const v = named[t.name];
        if (v === undefined) throw new InputError(`missing input "${t.name}"`);
        this.setInput(k, v);
      });
    }
    this.invoke();
    return this.model.outputs.map((_, k) => this.output(k).slice());
  }

  /** Starts collecting per-op time; returns the live profile table. */
  startProfile(): OpProfileEntry[] {
    this.profile = this.model.nodes.map((n) => ({
      index: n.def.index,
      op: n.def.opName,
      ms: 0,
      macs: n.macs,
      calls: 0,
    }));
    return this.profile;
  }

  stopProfile(): OpProfileEntry[] {
    const p = this.profile ?? [];
    this.profile = null;
    return p;
  }
}
