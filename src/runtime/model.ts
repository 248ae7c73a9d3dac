/**
 * A loaded model: verified, the kernels of every subgraph prepared and one arena planned for all of them, once
 * per file version. Immutable after construction and shareable by any number of sessions (each session owns its
 * own arena and state). Subgraph 0 is the model; the others run only when a control-flow op invokes them.
 */
import { readFile } from "node:fs/promises";
import { KernelError, ModelFormatError, UnsupportedOpError } from "../errors.js";
import type { ModelDef, OperatorDef, SubgraphDef, TensorDef } from "../format/model.js";
import { DEFAULT_READ_LIMITS, type ReadLimits, readModel } from "../format/reader.js";
import { KERNELS } from "../kernels/registry.js";
import type { AnyKernel, NodeContext, SubgraphInterface } from "./kernel.js";
import { type BufferRequest, planArena, planSubgraphTimeline, type Span } from "./planner.js";
import { Session } from "./session.js";

const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;
const DEFAULT_MAX_LOOP_ITERATIONS = 10_000_000;

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
  /**
   * Most WHILE-loop iterations (summed over all WHILE ops, nested ones included) one invocation may run before
   * it fails with KernelError, so that a model that never ends its loop cannot hang a worker. Default 10 000 000.
   */
  maxLoopIterations?: number;
}

type ResolvedOptions = Required<Pick<ModelOptions, "maxMemoryBytes" | "maxLoopIterations">>;

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

export interface PreparedSubgraph {
  index: number;
  def: SubgraphDef;
  nodes: PreparedNode[];
  /** Arena offset of each non-constant, non-variable tensor (by tensor index); -1 for the others. */
  tensorOffsets: number[];
  /** Tensor indices of variable tensors (LSTM/SVDF state), which persist across invocations of a session. */
  variableTensors: number[];
}

/** A resource variable (VAR_HANDLE): its name, and its size once an ASSIGN_VARIABLE's prepare has fixed it. */
export interface ResourceVariableDef {
  id: number;
  container: string;
  sharedName: string;
  /** Null when no ASSIGN_VARIABLE could be tied to it at prepare; a session then sizes it on first assign. */
  byteLength: number | null;
  /** The byte a fresh or reset variable is filled with: its value's int8 zero point, as in TFLM. */
  fillByte: number;
}

/** A cycle in the subgraph call graph (a subgraph that can invoke itself), as the list of subgraphs, or null. */
function findCallCycle(calls: readonly (readonly (readonly number[])[])[]): number[] | null {
  const state = calls.map(() => 0); // 0 unvisited, 1 on the current path, 2 done
  const path: number[] = [];
  const visit = (s: number): number[] | null => {
    state[s] = 1;
    path.push(s);
    for (const callees of calls[s]!) {
      for (const c of callees) {
        if (state[c] === 1) return [...path.slice(path.indexOf(c)), c];
        if (state[c] === 0) {
          const cycle = visit(c);
          if (cycle) return cycle;
        }
      }
    }
    path.pop();
    state[s] = 2;
    return null;
  };
  for (let s = 0; s < calls.length; s++) {
    if (state[s] === 0) {
      const cycle = visit(s);
      if (cycle) return cycle;
    }
  }
  return null;
}

export class Model {
  readonly def: ModelDef;
  /** Every subgraph, prepared and planned; subgraph 0 is the one invoke() runs. */
  readonly subgraphs: PreparedSubgraph[];
  readonly graph: SubgraphDef;
  readonly nodes: PreparedNode[];
  /** Arena offset of each non-constant, non-variable tensor of subgraph 0; see PreparedSubgraph. */
  readonly tensorOffsets: number[];
  /** Scratch buffers of all subgraphs, indexed by PreparedNode.scratch. */
  readonly scratchOffsets: number[];
  readonly scratchBytes: number[];
  readonly arenaBytes: number;
  /** Variable tensors of subgraph 0; see PreparedSubgraph. */
  readonly variableTensors: number[];
  readonly resourceVariables: ResourceVariableDef[];
  /** Most WHILE iterations one invocation may run before it fails. */
  readonly maxLoopIterations: number;
  readonly inputs: TensorSummary[];
  readonly outputs: TensorSummary[];

  private constructor(def: ModelDef, kernels: ReadonlyMap<string, AnyKernel>, options: ResolvedOptions) {
    this.def = def;
    this.graph = def.subgraphs[0]!;
    this.maxLoopIterations = options.maxLoopIterations;
    this.inputs = this.graph.inputs.map((i) => summarize(this.graph.tensors[i]!));
    this.outputs = this.graph.outputs.map((i) => summarize(this.graph.tensors[i]!));

    const opNames = def.subgraphs.flatMap((g) => g.operators.map((o) => o.opName));
    const missing = [...new Set(opNames.filter((name) => !kernels.has(name)))];
    if (missing.length > 0) {
      throw new UnsupportedOpError(
        `model uses ${missing.length === 1 ? "an op" : "ops"} with no kernel: ${missing.join(", ")}. ` +
          `Supported: ${[...kernels.keys()].sort().join(", ")}`,
      );
    }

    // Prepare every subgraph in order, as TFLM's PrepareSubgraphs does; control-flow ops declare their calls.
    const calls: number[][][] = def.subgraphs.map((g) => g.operators.map(() => []));
    const scratchRequests: { bytes: number; subgraph: number; op: number }[] = [];
    this.resourceVariables = [];
    const nodesBySubgraph = def.subgraphs.map((graph, s) => {
      const boundResources = new Map<number, number>();
      return graph.operators.map((opDef, opIndex) =>
        this.prepareNode(kernels, s, opIndex, opDef, {
          requestScratch: (bytes) => {
            scratchRequests.push({ bytes, subgraph: s, op: opIndex });
            return scratchRequests.length - 1;
          },
          callSubgraph: (index) => {
            calls[s]![opIndex]!.push(index);
          },
          boundResources,
        }),
      );
    });
    const cycle = findCallCycle(calls);
    if (cycle) {
      throw new ModelFormatError(`subgraph ${cycle[0]} can invoke itself (calls ${cycle.join(" -> ")})`);
    }

    // Lifetimes of activations on one timeline: from the op that writes them (or the start of their subgraph,
    // for its inputs) to their last reader (or the end of their subgraph, for its outputs).
    const timeline = planSubgraphTimeline(calls);
    const tensorRequests: { subgraph: number; tensor: number; request: BufferRequest }[] = [];
    def.subgraphs.forEach((graph, s) => {
      const tensors = graph.tensors;
      const first = new Array<number>(tensors.length).fill(-1);
      const last = new Array<number>(tensors.length).fill(-1);
      const touch = (t: number, [from, to]: Span) => {
        if (t < 0) return;
        if (first[t] === -1 || from < first[t]!) first[t] = from;
        if (to > last[t]!) last[t] = to;
      };
      const [windowStart, windowEnd] = timeline.windows[s]!;
      for (const t of graph.inputs) touch(t, [windowStart, windowStart]);
      graph.operators.forEach((op, k) => {
        const span = timeline.opSpans[s]![k]!;
        for (const t of op.inputs) touch(t, span);
        for (const t of op.outputs) touch(t, span);
        for (const t of op.intermediates) touch(t, span);
      });
      for (const t of graph.outputs) touch(t, [windowEnd, windowEnd]);
      const shared = timeline.shared[s];
      for (const t of tensors) {
        // Resource handles are session-owned int32 ids, not arena memory.
        if (t.data || t.isVariable || t.dtype === "resource" || first[t.index] === -1) continue;
        const [firstUse, lastUse] = shared ?? [first[t.index]!, last[t.index]!];
        tensorRequests.push({ subgraph: s, tensor: t.index, request: { bytes: t.byteLength, firstUse, lastUse } });
      }
    });
    const scratchPlan = scratchRequests.map(({ bytes, subgraph, op }): BufferRequest => {
      const [firstUse, lastUse] = timeline.shared[subgraph] ?? timeline.opSpans[subgraph]![op]!;
      return { bytes, firstUse, lastUse };
    });
    const plan = planArena([...tensorRequests.map((r) => r.request), ...scratchPlan]);
    const offsets = def.subgraphs.map((g) => new Array<number>(g.tensors.length).fill(-1));
    tensorRequests.forEach((r, k) => {
      offsets[r.subgraph]![r.tensor] = plan.offsets[k]!;
    });
    this.subgraphs = def.subgraphs.map((graph, s) => ({
      index: s,
      def: graph,
      nodes: nodesBySubgraph[s]!,
      tensorOffsets: offsets[s]!,
      variableTensors: graph.tensors.filter((t) => t.isVariable).map((t) => t.index),
    }));
    this.nodes = this.subgraphs[0]!.nodes;
    this.tensorOffsets = this.subgraphs[0]!.tensorOffsets;
    this.variableTensors = this.subgraphs[0]!.variableTensors;
    this.scratchOffsets = plan.offsets.slice(tensorRequests.length);
    this.scratchBytes = scratchRequests.map((r) => r.bytes);
    this.arenaBytes = plan.arenaBytes;
    if (this.arenaBytes + this.variableBytes > options.maxMemoryBytes) {
      throw new ModelFormatError(
        `model needs ${this.arenaBytes} arena bytes and ${this.variableBytes} state bytes, over the limit of ${options.maxMemoryBytes}`,
      );
    }
  }

  private prepareNode(
    kernels: ReadonlyMap<string, AnyKernel>,
    s: number,
    opIndex: number,
    def: OperatorDef,
    hooks: {
      requestScratch(bytes: number): number;
      callSubgraph(index: number): void;
      boundResources: Map<number, number>;
    },
  ): PreparedNode {
    const subgraphs = this.def.subgraphs;
    const tensors = subgraphs[s]!.tensors;
    const variables = this.resourceVariables;
    const kernel = kernels.get(def.opName)!;
    const scratch: number[] = [];
    const ctx: NodeContext = {
      node: def,
      inputs: def.inputs.map((i) => (i < 0 ? null : tensors[i]!)),
      outputs: def.outputs.map((i) => tensors[i]!),
      intermediates: def.intermediates.map((i) => tensors[i]!),
      requestScratch(bytes: number): number {
        if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`invalid scratch size ${bytes}`);
        scratch.push(hooks.requestScratch(bytes));
        return scratch.length - 1;
      },
      callSubgraph(index: number): SubgraphInterface {
        const graph = Number.isInteger(index) && index >= 0 ? subgraphs[index] : undefined;
        if (!graph) throw new KernelError(`subgraph ${index} does not exist (the model has ${subgraphs.length})`);
        hooks.callSubgraph(index);
        return {
          index,
          name: graph.name,
          inputs: graph.inputs.map((i) => graph.tensors[i]!),
          outputs: graph.outputs.map((i) => graph.tensors[i]!),
        };
      },
      resources: {
        idFor(container: string, sharedName: string): number {
          // TFLM: a variable without a container matches any container of that shared name.
          const found = variables.find(
            (v) => (container === "" || container === v.container) && sharedName === v.sharedName,
          );
          if (found) return found.id;
          variables.push({ id: variables.length, container, sharedName, byteLength: null, fillByte: 0 });
          return variables.length - 1;
        },
        bindOutput(slot: number, id: number): void {
          const t = def.outputs[slot];
          if (t !== undefined) hooks.boundResources.set(t, id);
        },
        boundInput(slot: number): number | null {
          const t = def.inputs[slot];
          return t === undefined ? null : (hooks.boundResources.get(t) ?? null);
        },
        allocate(id: number, value: TensorDef): void {
          const v = variables[id];
          if (!v) throw new KernelError(`resource variable ${id} does not exist`);
          if (v.byteLength !== null) return;
          v.byteLength = value.byteLength;
          // TFLM fills with the zero point cast to int8, byte-wise, whatever the type.
          v.fillByte = value.quantization ? value.quantization.zeroPoint[0]! & 0xff : 0;
        },
      },
    };
    let prepared: unknown;
    try {
      prepared = kernel.prepare(ctx);
    } catch (err) {
      // Whatever a kernel rejects, the caller learns which operator and why, as one named error.
      if (err instanceof UnsupportedOpError || err instanceof ModelFormatError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const where = s === 0 ? "" : `subgraph ${s} `;
      throw new KernelError(`${where}operator ${opIndex} (${def.opName}): ${message}`, { cause: err });
    }
    return { def, kernel, prepared, scratch, macs: kernel.macs?.(ctx) ?? 0 };
  }

  static fromBytes(bytes: Uint8Array, options: ModelOptions = {}): Model {
    const def = readModel(bytes, { ...DEFAULT_READ_LIMITS, ...options.limits });
    return new Model(def, options.kernels ?? KERNELS, {
      maxMemoryBytes: options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES,
      maxLoopIterations: options.maxLoopIterations ?? DEFAULT_MAX_LOOP_ITERATIONS,
    });
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

  /** Bytes of constant data (weights, biases, tables) of all subgraphs. */
  get weightsBytes(): number {
    let n = 0;
    for (const g of this.def.subgraphs) for (const t of g.tensors) if (t.data) n += t.data.byteLength;
    return n;
  }

  /** Bytes of variable-tensor and resource-variable state each session keeps (sizes known at load). */
  get variableBytes(): number {
    let n = 0;
    for (const g of this.subgraphs) for (const i of g.variableTensors) n += g.def.tensors[i]!.byteLength;
    for (const v of this.resourceVariables) n += v.byteLength ?? 0;
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
