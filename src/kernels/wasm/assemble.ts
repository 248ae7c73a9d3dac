/**
 * Turns WebAssembly text into a compiled WebAssembly.Module, synchronously, with the npm `wabt` package.
 * wabt only initialises asynchronously while kernels prepare synchronously, so the text is assembled in a
 * short-lived worker thread while this thread blocks on a shared flag (the pattern of `synckit`); it runs once per
 * module text and thread, at first use, and costs a few tens of milliseconds. Any failure (no wabt, no worker
 * threads, an engine without the features the text uses) returns null, silently: callers then keep their
 * JavaScript path.
 */
import { createRequire } from "node:module";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/** The parts of the WebAssembly global used here (the project's ES2022 lib, without DOM, does not declare it). */
export interface WebAssemblyApi {
  Module: new (binary: Uint8Array) => CompiledWasm;
  Instance: new (module: CompiledWasm, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  validate(binary: Uint8Array): boolean;
}
/** An opaque WebAssembly.Module. */
export type CompiledWasm = { readonly __compiledWasm: unique symbol };
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** WebAssembly, when the engine has it. */
export const webAssembly = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** Generous: assembling takes ~50 ms; a stuck worker must not hang model loading. */
const ASSEMBLY_TIMEOUT_MS = 20_000;

/** Runs in the worker (CommonJS, as eval workers do): assembles, replies on the port, then raises the flag. */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { wabtPath, name, text, features, flag, port } = workerData;
(async () => {
  let binary = null;
  try {
    const wabt = await require(wabtPath)();
    const parsed = wabt.parseWat(name, text, features);
    try {
      binary = parsed.toBinary({}).buffer;
    } finally {
      parsed.destroy();
    }
  } catch {
    binary = null;
  }
  port.postMessage(binary);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
})();
`;

function assembleBinary(name: string, text: string, features: Record<string, boolean>): Uint8Array | null {
  const wabtPath = createRequire(import.meta.url).resolve("wabt");
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { wabtPath, name, text, features, flag, port: port2 },
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  try {
    Atomics.wait(flag, 0, 0, ASSEMBLY_TIMEOUT_MS);
    const reply = receiveMessageOnPort(port1)?.message;
    return reply instanceof Uint8Array ? reply : null;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

const compiled = new Map<string, CompiledWasm | null>();

/** The compiled module for `text`, assembled once per thread; null when wabt or the engine cannot provide it. */
export function compileWat(name: string, text: string, features: Record<string, boolean>): CompiledWasm | null {
  let module = compiled.get(text);
  if (module === undefined) {
    try {
      const binary = webAssembly ? assembleBinary(name, text, features) : null;
      module = binary && webAssembly ? new webAssembly.Module(binary) : null;
    } catch {
      module = null;
    }
    compiled.set(text, module);
  }
  return module;
}
