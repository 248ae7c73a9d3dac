/**
 * One caller's execution state for a Model: the arena (activations and scratch), variable tensors and kernel
 * state. Not thread-safe and not re-entrant; create one per worker or per stateful client.
 */
import { EdgeInferenceError, InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import { type EvalIO, STOP_INVOCATION } from "./kernel.js";
import type { Model } from "./model.js";
import { allocate, type TypedArray, viewOf } from "./tensor.js";

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

const INTEGER_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  bool: [0, 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

export class Session {
  readonly model: Model;
  private readonly arena: ArrayBuffer;
  private readonly views: (TypedArray | null)[];
  private readonly io: EvalIO[];
  private readonly states: unknown[];
  private profile: OpProfileEntry[] | null = null;
  /**
   * False when the last invoke() was ended early by a streaming op (TFLM's kTfLiteAbort): the outputs are then
   * not meaningful (as in TFLM, their arena memory may have been reused).
   */
  completed = true;

  constructor(model: Model) {
    this.model = model;
    this.arena = new ArrayBuffer(Math.max(16, model.arenaBytes));
    const tensors = model.graph.tensors;
    this.views = tensors.map((t) => this.createView(t));
    this.io = model.nodes.map((n) => ({
      inputs: n.def.inputs.map((i) => (i < 0 ? null : this.views[i]!)),
      outputs: n.def.outputs.map((i) => this.views[i]!),
      scratch: n.scratch.map((s) => new Uint8Array(this.arena, model.scratchOffsets[s]!, model.scratchBytes[s]!)),
    }));
    this.states = model.nodes.map((n) => n.kernel.createState?.(n.prepared));
    this.resetVariables();
  }

  private createView(t: TensorDef): TypedArray | null {
    if (t.data) return viewOf(t.dtype, t.data.buffer, t.data.byteOffset, t.elementCount);
    if (t.isVariable) return allocate(t.dtype, t.elementCount);
    const offset = this.model.tensorOffsets[t.index]!;
    if (offset < 0) return null;
    return viewOf(t.dtype, this.arena, offset, t.elementCount);
  }

  /** Returns variable tensors and op state to a fresh session's values (TFLM: ResetVariableTensors). */
  reset(): void {
    this.resetVariables();
    this.model.nodes.forEach((n, k) => {
      n.kernel.resetState?.(n.prepared, this.states[k]);
    });
  }

  private resetVariables(): void {
    for (const i of this.model.variableTensors) {
      const t = this.model.graph.tensors[i]!;
      const view = this.views[i]!;
      // TFLM fills int8 state with its zero point and everything else with zero bytes.
      const fill = t.dtype === "int8" && t.quantization ? t.quantization.zeroPoint[0]! : 0;
      if (view instanceof BigInt64Array || view instanceof BigUint64Array) view.fill(0n);
      else view.fill(fill);
    }
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
    const nodes = this.model.nodes;
    const profile = this.profile;
    let k = 0;
    this.completed = true;
    try {
      for (; k < nodes.length; k++) {
        const n = nodes[k]!;
        let signal: unknown;
        if (profile) {
          const start = performance.now();
          signal = n.kernel.eval(n.prepared, this.io[k]!, this.states[k]);
          const entry = profile[k]!;
          entry.ms += performance.now() - start;
          entry.calls += 1;
        } else {
          signal = n.kernel.eval(n.prepared, this.io[k]!, this.states[k]);
        }
        if (signal === STOP_INVOCATION) {
          this.completed = false;
          return;
        }
      }
    } catch (err) {
      // One try around the loop costs nothing per op, and any failure still names its operator.
      if (err instanceof EdgeInferenceError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new KernelError(`operator ${k} (${nodes[k]?.def.opName}) failed: ${message}`, { cause: err });
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
