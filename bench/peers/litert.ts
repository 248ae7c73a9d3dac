/**
 * LiteRT.js (`@litertjs/core`: Google's LiteRT with XNNPACK, compiled to WebAssembly) as a benchmark peer, through
 * its low-level Emscripten bindings: its public Tensor API has no int8/int16 tensors ("Element type INT8 is not
 * supported"). Single-threaded relaxed-SIMD build. See ../shared/docs/PEERS.md.
 *
 * Quirks (Node 20; the package targets browsers):
 * - Before importing it, `self`, `require` and `__dirname` (its wasm/ folder) must be defined, and `importScripts`
 *   must evaluate the glue; Node 20 runs the relaxed-SIMD build only with `--experimental-wasm-relaxed-simd`,
 *   which is set here at run time with v8.setFlagsFromString before the first WebAssembly compile (without it
 *   LiteRT.js picks its slower "compat" build).
 * - It tries WebGPU first and warns "Failed to create default WebGPU device" (no `navigator` in Node 20): dropped.
 * - Its interpreter logs INFO/WARNING lines on stderr for every environment and model: collected, and the
 *   ERROR lines are given as the reason when a model is rejected.
 * - `run()` returns fresh output buffers on every call, which must be deleted.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import type { Peer, PeerSession, RawTensor } from "./peer.js";

interface Deletable {
  delete(): void;
}
interface EnumValue {
  value: number;
}
interface IntVector extends Deletable {
  size(): number;
  get(i: number): number;
  push_back(v: number): void;
}
interface Layout extends Deletable {
  dimensions(): IntVector;
}
interface TensorType extends Deletable {
  elementType(): EnumValue;
  layout(): Layout;
  bytes(): number;
}
interface TensorBuffer extends Deletable {
  lock(mode: EnumValue): number;
  unlock(): void;
  size(): number;
}
interface LiteRtModel extends Deletable {
  getSignature(i: number): Deletable & { inputNames(): { size(): number }; outputNames(): { size(): number } };
  getInputTensorType(signature: number, i: number): TensorType;
  getOutputTensorType(signature: number, i: number): TensorType;
}
interface CompiledModel extends Deletable {
  run(signature: number, inputs: TensorBuffer[]): TensorBuffer[] | Promise<TensorBuffer[]>;
}
interface Wasm {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  loadModel(env: unknown, ptr: number, size: number): LiteRtModel;
  compileModel(env: unknown, model: LiteRtModel, options: unknown): CompiledModel | Promise<CompiledModel>;
  LiteRtTensorBuffer: { createManaged(env: unknown, type: EnumValue, t: TensorType, size: number): TensorBuffer };
  LiteRtTensorBufferType: { HOST_MEMORY: EnumValue };
  LiteRtTensorBufferLockMode: { READ: EnumValue; WRITE: EnumValue };
  LiteRtLayout: { create(dims: IntVector): Layout };
  LiteRtRankedTensorType: { create(elementType: EnumValue, layout: Layout): TensorType };
  VectorInt32: new () => IntVector;
  getThreadCount(): number;
}
interface Environment {
  liteRtEnvironment: unknown;
}
interface LiteRt {
  liteRtWasm: Wasm;
  getDefaultEnvironment(): Environment;
}

interface RawTensorConstructor {
  new (b: ArrayBufferLike, o: number, n: number): RawTensor;
  readonly BYTES_PER_ELEMENT: number;
}

// litert::ElementType → typed array for outputs.
const ELEMENT_ARRAYS: Record<number, RawTensorConstructor> = {
  1: Float32Array,
  2: Int32Array,
  3: Uint8Array,
  7: Int16Array,
  9: Int8Array,
};

/**
 * The tensor type with dynamic dimensions (-1, e.g. a dynamic batch) set to 1: LiteRT cannot size a buffer for
 * a type with a dynamic dimension ("litert_layout.h:140"), and its public API rejects such models.
 */
function concrete(wasm: Wasm, type: TensorType): TensorType {
  const layout = type.layout();
  const dims = layout.dimensions();
  const fixed = new wasm.VectorInt32();
  for (let i = 0; i < dims.size(); i++) fixed.push_back(Math.max(1, dims.get(i)));
  const fixedLayout = wasm.LiteRtLayout.create(fixed);
  const result = wasm.LiteRtRankedTensorType.create(type.elementType(), fixedLayout);
  for (const d of [fixedLayout, fixed, dims, layout]) d.delete();
  return result;
}

let logLines: string[] | null = null;
function log(line: string): void {
  if (logLines) logLines.push(String(line));
}

let loaded: Promise<{ liteRt: LiteRt; relaxedSimd: boolean }> | null = null;

async function load(): Promise<{ liteRt: LiteRt; relaxedSimd: boolean }> {
  const require = createRequire(import.meta.url);
  const wasmDir = path.join(path.dirname(require.resolve("@litertjs/core")), "..", "wasm");
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  const g = globalThis as Record<string, unknown>;
  const saved = { require: g.require, __dirname: g.__dirname, importScripts: g.importScripts, Module: g.Module };
  g.self ??= globalThis;
  g.require = require;
  g.__dirname = wasmDir;
  g.importScripts = (file: string) => {
    vm.runInThisContext(readFileSync(file, "utf8"), { filename: file });
  };
  // The Emscripten module's options: where its stdout/stderr lines go.
  g.Module = { print: log, printErr: log };
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith("Failed to create default WebGPU device")) warn(...args);
  };
  logLines = [];
  try {
    const lrt = (await import("@litertjs/core")) as unknown as {
      loadLiteRt(dir: string): Promise<LiteRt>;
      supportsFeature(f: string): Promise<boolean>;
    };
    const relaxedSimd = await lrt.supportsFeature("relaxedSimd");
    const liteRt = await lrt.loadLiteRt(`${wasmDir}/`);
    return { liteRt, relaxedSimd };
  } finally {
    console.warn = warn;
    logLines = null;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete g[k];
      else g[k] = v;
    }
  }
}

function version(): string {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve("@litertjs/core");
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(main), "..", "package.json"), "utf8"));
    return (pkg as { version: string }).version;
  } catch {
    return "?";
  }
}

/** Whether @litertjs/core is installed (it is an optional peer of the benchmark). */
export function liteRtInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("@litertjs/core");
    return true;
  } catch {
    return false;
  }
}

let build = "WASM SIMD";

export const liteRtPeer: Peer = {
  name: "LiteRT.js",
  get label() {
    return `LiteRT.js ${version()} (${build} + XNNPACK, 1 thread, through its low-level bindings)`;
  },
  async load(modelBytes: Uint8Array): Promise<PeerSession> {
    loaded ??= load();
    const { liteRt, relaxedSimd } = await loaded;
    build = relaxedSimd ? "WASM relaxed SIMD" : "WASM SIMD (compat build: relaxed SIMD unavailable)";
    const wasm = liteRt.liteRtWasm;
    const env = liteRt.getDefaultEnvironment();
    const toDelete: Deletable[] = [];
    const ptr = wasm._malloc(modelBytes.byteLength);
    wasm.HEAPU8.set(modelBytes, ptr);
    logLines = [];
    let compiled: CompiledModel;
    let model: LiteRtModel;
    try {
      model = wasm.loadModel(env.liteRtEnvironment, ptr, modelBytes.byteLength);
      toDelete.push(model);
      compiled = await wasm.compileModel(env.liteRtEnvironment, model, {
        environment: env,
        accelerator: "wasm",
        cpuOptions: { numThreads: 1 },
        gpuOptions: {},
        webNNOptions: {},
      });
      toDelete.push(compiled);
    } catch (err) {
      for (const d of toDelete.reverse()) d.delete();
      wasm._free(ptr);
      // Its exception names C++ source lines; the interpreter's ERROR lines say what is wrong.
      const errors = [...new Set((logLines ?? []).filter((l) => l.startsWith("ERROR")))].map((l) =>
        l.replace(/^ERROR:\s*(\[[^\]]*\]:?\s*)?/, ""),
      );
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(errors.length ? errors.join("; ") : message, { cause: err });
    } finally {
      logLines = null;
    }
    const signature = model.getSignature(0);
    const nIn = signature.inputNames().size();
    const nOut = signature.outputNames().size();
    signature.delete();
    const inputs: TensorBuffer[] = [];
    for (let k = 0; k < nIn; k++) {
      const declared = model.getInputTensorType(0, k);
      const type = concrete(wasm, declared);
      declared.delete();
      const buffer = wasm.LiteRtTensorBuffer.createManaged(
        env.liteRtEnvironment,
        wasm.LiteRtTensorBufferType.HOST_MEMORY,
        type,
        type.bytes(),
      );
      type.delete();
      inputs.push(buffer);
    }
    const outArrays: RawTensorConstructor[] = [];
    for (let k = 0; k < nOut; k++) {
      const type = model.getOutputTensorType(0, k);
      const Ctor = ELEMENT_ARRAYS[type.elementType().value];
      if (!Ctor) throw new Error(`output ${k}: element type ${type.elementType().value} not handled here`);
      outArrays.push(Ctor);
      type.delete();
    }
    const { READ, WRITE } = wasm.LiteRtTensorBufferLockMode;
    return {
      call(values: readonly Uint8Array[]): RawTensor[] {
        for (let k = 0; k < nIn; k++) {
          const p = inputs[k]!.lock(WRITE);
          wasm.HEAPU8.set(values[k]!, p);
          inputs[k]!.unlock();
        }
        const result = compiled.run(0, inputs);
        if (!Array.isArray(result)) throw new Error("run() is asynchronous in this build");
        const outs: RawTensor[] = [];
        for (let k = 0; k < nOut; k++) {
          const b = result[k]!;
          const p = b.lock(READ);
          const Ctor = outArrays[k]!;
          const bytes = wasm.HEAPU8.slice(p, p + b.size());
          b.unlock();
          b.delete();
          outs.push(new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT));
        }
        return outs;
      },
      dispose() {
        for (const b of inputs) b.delete();
        for (const d of toDelete.reverse()) d.delete();
        wasm._free(ptr);
      },
    };
  },
};
