/**
 * Loads @tensorflow/tfjs-tflite (TensorFlow Lite's own interpreter compiled to WebAssembly, a browser package)
 * in Node 20, as an independent runtime to check the models our writer produces. Forces the single-threaded
 * SIMD build. Used by the tests and by the benchmark (bench/peers/tfjs-tflite.ts); see ../shared/docs/PEERS.md
 * for why each shim is needed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

export interface PeerTensor {
  name: string;
  dataType: string;
  shape: string;
  data(): Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array;
}

export interface PeerModelRunner {
  getInputs(): PeerTensor[];
  getOutputs(): PeerTensor[];
  infer(): boolean;
  cleanUp(): void;
}

interface TfliteModule {
  setWasmPath(dir: string): void;
  loadTFLiteModel(model: ArrayBuffer, options: { numThreads: number }): Promise<{ modelRunner: PeerModelRunner }>;
}

let loaded: Promise<TfliteModule> | null = null;
/** Where the interpreter's log lines (TFLite's `ERROR: …`/`INFO: …`) go: collected while a model loads. */
let logSink: ((line: string) => void) | null = null;
/** Model loads run one at a time so each one's log lines are its own. */
let loadQueue: Promise<unknown> = Promise.resolve();

function load(): Promise<TfliteModule> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@tensorflow/tfjs-tflite");
  const wasmDir = path.join(path.dirname(entry), "..", "wasm");
  const g = globalThis as Record<string, unknown>;
  g.self ??= globalThis;
  g.location ??= { href: "", origin: "" };
  g.importScripts = (file: string) => {
    const resolved = path.isAbsolute(file) ? file : path.join(wasmDir, file);
    vm.runInThisContext(readFileSync(resolved, "utf8"), { filename: resolved });
    const factory = g.tflite_web_api_ModuleFactory as (opts: Record<string, unknown>) => Promise<unknown>;
    const wasm = readFileSync(resolved.replace(/\.js$/, ".wasm"));
    g.tflite_web_api_ModuleFactory = (opts: Record<string, unknown>) =>
      factory({
        ...opts,
        wasmBinary: wasm,
        printErr: (line: string) => (logSink ? logSink(line) : console.warn(line)),
      });
  };
  // Feature detection posts a SharedArrayBuffer through a MessageChannel to decide on threads; make it fail so
  // the single-threaded SIMD build is chosen (the threaded one needs browser workers).
  const RealChannel = globalThis.MessageChannel;
  g.MessageChannel = class {
    constructor() {
      throw new Error("threads disabled for tfjs-tflite in Node");
    }
  };
  const tflite = require(entry) as TfliteModule & { getWasmFeatures(): Promise<unknown> };
  tflite.setWasmPath(`${wasmDir}/`);
  return tflite.getWasmFeatures().then(() => {
    g.MessageChannel = RealChannel;
    return tflite;
  });
}

/**
 * Loads a .tflite file's bytes into TFLite's interpreter; returns its low-level model runner. When TFLite rejects
 * the model, the error's message carries TFLite's own `ERROR:` lines (its exception only says "Can't initialize
 * model"); its `INFO:` lines (e.g. "Created TensorFlow Lite XNNPACK delegate") are dropped.
 */
export function loadPeerModel(bytes: Uint8Array): Promise<PeerModelRunner> {
  const next = loadQueue.then(() => loadOne(bytes));
  loadQueue = next.catch(() => undefined);
  return next;
}

async function loadOne(bytes: Uint8Array): Promise<PeerModelRunner> {
  loaded ??= load();
  const tflite = await loaded;
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const lines: string[] = [];
  logSink = (line) => {
    if (!line.startsWith("INFO:")) lines.push(line);
  };
  try {
    const model = await tflite.loadTFLiteModel(copy, { numThreads: 1 });
    for (const line of lines) console.warn(line);
    return model.modelRunner;
  } catch (err) {
    const errors = [...new Set(lines.map((l) => l.replace(/^ERROR:\s*/, "")))];
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(errors.length ? `${message}: ${errors.join("; ")}` : message, { cause: err });
  } finally {
    logSink = null;
  }
}
