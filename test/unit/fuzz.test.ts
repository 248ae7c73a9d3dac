/**
 * Fuzz: thousands of mutated and truncated copies of real models each either load and run, or throw one of our
 * named errors with a message. A worker thread with a heap limit runs them; a case that makes no progress for
 * 10 s counts as a hang. `npm run fuzz` runs a long version (FUZZ_ITERATIONS, FUZZ_TIME_MS).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { loadManifest, oraclePath, PROJECT_ROOT, readBytes, sharedUnavailable } from "../support/shared.js";

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 3000);
const HANG_MS = 10_000;

function seeds(): { name: string; bytes: Uint8Array }[] {
  const list: { name: string; bytes: Uint8Array }[] = [];
  const modelsDir = path.join(PROJECT_ROOT, "models");
  if (existsSync(modelsDir)) {
    for (const f of readdirSync(modelsDir)) {
      if (f.endsWith(".tflite")) list.push({ name: f, bytes: readBytes(path.join(modelsDir, f)) });
    }
  }
  if (!sharedUnavailable()) {
    const { models } = loadManifest();
    for (const name of [
      "hello_world_int8",
      "hello_world_float",
      "keyword_scrambled",
      "micro_speech_quantized",
      "seanet_add0",
      "seanet_conv0",
      "seanet_strided_slice0",
      "seanet_transpose_conv0",
      "audio_preprocessor_int8",
      "trained_lstm_int8",
    ]) {
      const entry = models[name];
      if (entry) list.push({ name, bytes: readBytes(oraclePath(entry.file)) });
    }
  }
  return list;
}

test(`fuzz: ${ITERATIONS} mutated models load and run or fail with a named error`, {
  timeout: 30 * 60_000,
}, async (t) => {
  const list = seeds();
  assert.ok(list.length > 0, "no seed models found (models/ or ../shared)");
  const failures: string[] = [];
  const counts = await new Promise<{ loaded: number; ran: number; rejected: number }>((resolve, reject) => {
    // Workers do not inherit tsx's loader hooks: register them in a tiny bootstrap, then load the worker.
    const workerUrl = new URL("../support/fuzz-worker.ts", import.meta.url).href;
    const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: { seeds: list, iterations: ITERATIONS, seed: Number(process.env.FUZZ_SEED ?? 20261128) },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let current = "(none)";
    let timer = setTimeout(onHang, HANG_MS);
    function onHang() {
      void worker.terminate();
      reject(new Error(`no progress for ${HANG_MS} ms; last case: ${current}`));
    }
    worker.on("message", (m: { type: string; label?: string; error?: string; counts?: never }) => {
      clearTimeout(timer);
      timer = setTimeout(onHang, HANG_MS);
      if (m.type === "case") current = m.label!;
      else if (m.type === "failure") failures.push(`${m.label}: ${m.error}`);
      else if (m.type === "done") {
        clearTimeout(timer);
        resolve(m.counts!);
      }
    });
    worker.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`worker died on case ${current}: ${err.message}`));
    });
  });
  t.diagnostic(`loaded ${counts.loaded}, ran ${counts.ran}, rejected with a named error ${counts.rejected}`);
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} mutated models escaped with an unnamed error`);
  assert.equal(counts.loaded + counts.rejected >= ITERATIONS, true);
  assert.ok(counts.rejected > 0, "no mutation was rejected: the fuzzer is not reaching the verifier");
  assert.ok(counts.ran > 0, "no mutated model ran: the fuzzer is not reaching the kernels");
});
