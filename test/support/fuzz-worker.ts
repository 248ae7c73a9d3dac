/**
 * Fuzz worker: mutates seed models and loads/runs each copy. Anything but success or one of our named errors
 * is reported as a failure. It announces each case before running it, so the parent can name the case that hangs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { EdgeInferenceError, Model } from "../../src/index.js";

interface Job {
  seeds: { name: string; bytes: Uint8Array }[];
  iterations: number;
  seed: number;
}

const job = workerData as Job;
let state = job.seed >>> 0 || 1;
function rand(n: number): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}

const INTERESTING = [0, 1, 0xff, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 16, 1024, 0x10000];

function mutate(src: Uint8Array): { bytes: Uint8Array; how: string } {
  const kind = rand(5);
  if (kind === 0) {
    const len = rand(src.length);
    return { bytes: src.slice(0, len), how: `truncate to ${len}` };
  }
  const bytes = src.slice();
  if (kind === 1) {
    const n = 1 + rand(8);
    for (let i = 0; i < n; i++) bytes[rand(bytes.length)] = rand(256);
    return { bytes, how: `${n} random bytes` };
  }
  if (kind === 2) {
    const at = rand(Math.max(1, bytes.length - 4)) & ~3;
    const v = INTERESTING[rand(INTERESTING.length)]!;
    new DataView(bytes.buffer).setUint32(at, v >>> 0, true);
    return { bytes, how: `word at ${at} = ${v}` };
  }
  if (kind === 3) {
    // Only the first 1 KiB holds most of the structure (vtables, offsets) of small models.
    const at = rand(Math.min(bytes.length, 1024));
    bytes[at] = rand(256);
    return { bytes, how: `header byte ${at}` };
  }
  const from = rand(bytes.length);
  const to = rand(bytes.length);
  const len = rand(64);
  bytes.copyWithin(to, from, Math.min(bytes.length, from + len));
  return { bytes, how: `copy ${len} bytes ${from}→${to}` };
}

const counts = { loaded: 0, ran: 0, rejected: 0 };
for (let i = 0; i < job.iterations; i++) {
  const seed = job.seeds[rand(job.seeds.length)]!;
  const { bytes, how } = mutate(seed.bytes);
  const label = `${seed.name}: ${how}`;
  parentPort!.postMessage({ type: "case", label });
  try {
    const model = Model.fromBytes(bytes, {
      maxMemoryBytes: 64 * 1024 * 1024,
      limits: { maxTensorBytes: 16 * 1024 * 1024 },
    });
    counts.loaded++;
    const session = model.createSession();
    for (let k = 0; k < model.inputs.length; k++) {
      const view = session.input(k);
      const raw = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      for (let b = 0; b < raw.length; b++) raw[b] = rand(256);
    }
    session.invoke();
    counts.ran++;
  } catch (err) {
    if (err instanceof EdgeInferenceError) {
      counts.rejected++;
      if (!err.message) parentPort!.postMessage({ type: "failure", label, error: `${err.name} with an empty message` });
    } else {
      parentPort!.postMessage({ type: "failure", label, error: (err as Error)?.stack ?? String(err) });
    }
  }
}
parentPort!.postMessage({ type: "done", counts });
