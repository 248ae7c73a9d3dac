/**
 * A loaded model: verified, its kernels prepared and its arena planned, once per file version. Immutable after
 * construction and shareable by any number of sessions (each session owns its own arena and state).
 */
import { readFile } from "node:fs/promises";
import { KernelError, ModelFormatError, UnsupportedOpError } from "../errors.js";
import type { ModelDef, OperatorDef, SubgraphDef, TensorDef } from "../format/model.js";
import { DEFAULT_READ_LIMITS, type ReadLimits, readModel } from "../format/reader.js";
import { KERNELS } from "../kernels/registry.js";
import type { AnyKernel, NodeContext } from "./kernel.js";
import { type BufferRequest, planArena } from "./planner.js";
import { Session } from "./session.js";

const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

export interface PreparedNode {
  def: OperatorDef;
  kernel: AnyKernel;
  prepared: unknown;
  /** Indices into the model's scratch list, in request order. */
  scratch: number[];
  macs: number;
}

export interface ModelOptions {
  limits?: Partial<ReadLimits>;
  /** Largest arena (activations + scratch) plus variable state a model may need. Default 1 GiB. */
  maxMemoryBytes?: number;
  /** Kernels by op name; defaults to the built-in registry. */
  kernels?: ReadonlyMap<string, AnyKernel>;
}

export interface TensorSummary {
  index: number;
  name: string;
  dtype: TensorDef["dtype"];
  shape: number[];
  /** Per-tensor scale and zero point (first channel for per-channel tensors); null for float tensors. */
  scale: number | null;
  zeroPoint: number | null;
  byteLength: number;
}

export interface OpSummary {
  index: number;
  op: string;
  inputs: number[];
  outputs: number[];
  macs: number;
}

function summarize(t: TensorDef): TensorSummary {
  return {
    index: t.index,
    name: t.name,
    dtype: t.dtype,
    shape: [...t.shape],
    scale: t.quantization ? t.quantization.scale[0]! : null,
    zeroPoint: t.quantization ? t.quantization.zeroPoint[0]! : null,
    byteLength: t.byteLength,
  };
}

export class Model {
  readonly def: ModelDef;
  readonly graph: SubgraphDef;
  readonly nodes: PreparedNode[];
  /** Arena offset of each non-constant, non-variable tensor (by tensor index); -1 for the others. */
  readonly tensorOffsets: number[];
  readonly scratchOffsets: number[];
  readonly scratchBytes: number[];
  readonly arenaBytes: number;
  /** Tensor indices of variable tensors (LSTM/SVDF state), which persist across invocations of a session. */
  readonly variableTensors: number[];
  readonly inputs: TensorSummary[];
  readonly outputs: TensorSummary[];

  private constructor(def: ModelDef, kernels: ReadonlyMap<string, AnyKernel>, maxMemoryBytes: number) {
    this.def = def;
    this.graph = def.subgraphs[0]!;
    const tensors = this.graph.tensors;
    this.inputs = this.graph.inputs.map((i) => summarize(tensors[i]!));
    this.outputs = this.graph.outputs.map((i) => summarize(tensors[i]!));
    this.variableTensors = tensors.filter((t) => t.isVariable).map((t) => t.index);

    const missing = [...new Set(this.graph.operators.map((o) => o.opName).filter((name) => !kernels.has(name)))];
    if (missing.length > 0) {
      throw new UnsupportedOpError(
        `model uses ${missing.length === 1 ? "an op" : "ops"} with no kernel: ${missing.join(", ")}. ` +
          `Supported: ${[...kernels.keys()].sort().join(", ")}`,
      );
    }

    const scratchRequests: BufferRequest[] = [];
    this.nodes = this.graph.operators.map((def, opIndex) => {
      const kernel = kernels.get(def.opName)!;
      const scratch: number[] = [];
      const ctx: NodeContext = {
        node: def,
        inputs: def.inputs.map((i) => (i < 0 ? null : tensors[i]!)),
        outputs: def.outputs.map((i) => tensors[i]!),
        intermediates: def.intermediates.map((i) => tensors[i]!),
        requestScratch(bytes: number): number {
          if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`invalid scratch size ${bytes}`);
          scratchRequests.push({ bytes, firstUse: opIndex, lastUse: opIndex });
          scratch.push(scratchRequests.length - 1);
          return scratch.length - 1;
        },
      };
      let prepared: unknown;
      try {
        prepared = kernel.prepare(ctx);
      } catch (err) {
        // Whatever a kernel rejects, the caller learns which operator and why, as one named error.
        if (err instanceof UnsupportedOpError || err instanceof ModelFormatError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        throw new KernelError(`operator ${opIndex} (${def.opName}): ${message}`, { cause: err });
      }
      return { def, kernel, prepared, scratch, macs: kernel.macs?.(ctx) ?? 0 };
    });

    // Lifetimes of activations: from the op that writes them (or the start, for inputs) to their last reader.
    const numOps = this.graph.operators.length;
    const first = new Array<number>(tensors.length).fill(-1);
    const last = new Array<number>(tensors.length).fill(-1);
    const touch = (t: number, op: number) => {
      if (t < 0) return;
      if (first[t] === -1 || op < first[t]!) first[t] = op;
      if (op > last[t]!) last[t] = op;
    };
    for (const t of this.graph.inputs) touch(t, 0);
    this.graph.operators.forEach((op, k) => {
      for (const t of op.inputs) touch(t, k);
      for (const t of op.outputs) touch(t, k);
      for (const t of op.intermediates) touch(t, k);
    });
    for (const t of this.graph.outputs) touch(t, Math.max(0, numOps - 1));

    const tensorRequests: { tensor: number; request: BufferRequest }[] = [];
    for (const t of tensors) {
      if (t.data || t.isVariable || first[t.index] === -1) continue;
      tensorRequests.push({
        tensor: t.index,
        request: { bytes: t.byteLength, firstUse: first[t.index]!, lastUse: last[t.index]! },
      });
    }
    const plan = planArena([...tensorRequests.map((r) => r.request), ...scratchRequests]);
    this.tensorOffsets = new Array<number>(tensors.length).fill(-1);
    tensorRequests.forEach((r, k) => {
      this.tensorOffsets[r.tensor] = plan.offsets[k]!;
    });
    this.scratchOffsets = plan.offsets.slice(tensorRequests.length);
    this.scratchBytes = scratchRequests.map((r) => r.bytes);
    this.arenaBytes = plan.arenaBytes;
    if (this.arenaBytes + this.variableBytes > maxMemoryBytes) {
      throw new ModelFormatError(
        `model needs ${this.arenaBytes} arena bytes and ${this.variableBytes} state bytes, over the limit of ${maxMemoryBytes}`,
      );
    }
  }

  static fromBytes(bytes: Uint8Array, options: ModelOptions = {}): Model {
    const def = readModel(bytes, { ...DEFAULT_READ_LIMITS, ...options.limits });
    return new Model(def, options.kernels ?? KERNELS, options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
  }

  static async fromFile(path: string, options: ModelOptions = {}): Promise<Model> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new ModelFormatError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    return Model.fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
  }

  createSession(): Session {
    return new Session(this);
  }

  /** Bytes of constant data (weights, biases, tables). */
  get weightsBytes(): number {
    let n = 0;
    for (const t of this.graph.tensors) if (t.data) n += t.data.byteLength;
    return n;
  }

  /** Bytes of variable-tensor state each session keeps. */
  get variableBytes(): number {
    let n = 0;
    for (const i of this.variableTensors) n += this.graph.tensors[i]!.byteLength;
    return n;
  }

  get ops(): OpSummary[] {
    return this.nodes.map((n) => ({
      index: n.def.index,
      op: n.def.opName,
      inputs: n.def.inputs,
      outputs: n.def.outputs,
      macs: n.macs,
    }));
  }

  get totalMacs(): number {
    return this.nodes.reduce((s, n) => s + n.macs, 0);
  }

  /** Op name → number of occurrences, in first-seen order. */
  get opCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const n of this.nodes) counts[n.def.opName] = (counts[n.def.opName] ?? 0) + 1;
    return counts;
  }

  tensor(index: number): TensorDef {
    const t = this.graph.tensors[index];
    if (!t) throw new RangeError(`tensor ${index} out of range`);
    return t;
  }
}
