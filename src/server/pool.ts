/**
 * The inference worker pool: N worker threads (worker.ts), each holding one session per model version, fed from
 * one bounded FIFO queue. It owns queueing, back-pressure (OverloadError past MAX_QUEUE), per-request deadlines
 * (TimeoutError), and worker failure (a crashed or stuck worker is replaced and given every loaded model again).
 * It knows model versions only as opaque keys with their file bytes; which versions exist is the repository's.
 *
 * Written on worker_threads rather than piscina because every worker must hold every loaded model: loads and
 * drops are broadcast to all workers in order with the tasks, which a task-stealing pool cannot promise.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import {
  type EdgeInferenceError,
  InputError,
  KernelError,
  OverloadError,
  TimeoutError,
  UnavailableError,
} from "../errors.js";
import type { TypedArray } from "../index.js";

export type ToWorker =
  | { type: "load"; key: string; bytes: SharedArrayBuffer }
  | { type: "drop"; key: string }
  | { type: "run"; id: number; key: string; inputs: TypedArray[]; batch: number };

export type FromWorker =
  | { type: "result"; id: number; outputs: TypedArray[]; inferenceMs: number }
  | { type: "error"; id: number; name: string; message: string }
  | { type: "load-error"; key: string; message: string };

export interface PoolRunResult {
  outputs: TypedArray[];
  inferenceMs: number;
  queueMs: number;
}

export interface PoolOptions {
  size: number;
  maxQueue: number;
  /** Called when a worker fails or a model fails to load in one. */
  onWorkerProblem?: (message: string, detail: Record<string, unknown>) => void;
}

interface Task {
  id: number;
  key: string;
  inputs: TypedArray[];
  batch: number;
  enqueuedAt: number;
  startedAt: number;
  timer: NodeJS.Timeout | null;
  resolve(result: PoolRunResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  spawnedAt: number;
  task: Task | null;
  /** Set when the running task timed out: the worker is replaced if it does not finish by then. */
  stuckTimer: NodeJS.Timeout | null;
}

/**
 * The worker entry beside this file: worker.js when built. When running from source (worker.ts, under tsx),
 * loader hooks registered with --import do not reach worker threads on Node 20, so a two-line bootstrap
 * registers tsx inside the worker before importing it.
 */
function workerEntry(): { file: string | URL; eval: boolean } {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const file = path.join(path.dirname(here), `worker${ext}`);
  if (!existsSync(file)) throw new Error(`inference worker not found at ${file}`);
  if (ext !== ".ts") return { file, eval: false };
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
  return { file: bootstrap, eval: true };
}

const ERROR_CLASSES: Record<string, new (message: string) => EdgeInferenceError> = {
  InputError,
  KernelError,
};

export class WorkerPool {
  readonly size: number;
  private readonly maxQueue: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly models = new Map<string, SharedArrayBuffer>();
  private readonly entry = workerEntry();
  private nextId = 1;
  private closed = false;
  /** Workers that died soon after starting, in a row: respawns back off so a broken setup cannot spin. */
  private earlyFailures = 0;
  private readonly respawnTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: PoolOptions) {
    this.size = options.size;
    this.maxQueue = options.maxQueue;
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.entry.file, { eval: this.entry.eval });
    const slot: Slot = { worker, spawnedAt: performance.now(), task: null, stuckTimer: null };
    worker.on("message", (m: FromWorker) => this.onMessage(slot, m));
    worker.on("error", (err) => this.replace(slot, `worker failed: ${err.message}`));
    worker.on("exit", (code) => {
      if (!this.closed && this.slots.includes(slot)) this.replace(slot, `worker exited with code ${code}`);
    });
    worker.unref();
    for (const [key, bytes] of this.models) worker.postMessage({ type: "load", key, bytes } satisfies ToWorker);
    return slot;
  }

  /** Replaces a failed or stuck worker: its running task fails, the new worker gets every loaded model. */
  private replace(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    this.options.onWorkerProblem?.(reason, { task: slot.task?.key });
    if (slot.stuckTimer) clearTimeout(slot.stuckTimer);
    const task = slot.task;
    slot.task = null;
    this.slots.splice(index, 1);
    slot.worker.removeAllListeners("exit");
    void slot.worker.terminate();
    if (task) this.settle(task, null, new KernelError(`inference failed: ${reason}`));
    this.earlyFailures = performance.now() - slot.spawnedAt < 2000 ? this.earlyFailures + 1 : 0;
    const delay = this.earlyFailures <= 1 ? 0 : Math.min(10_000, 100 * 2 ** this.earlyFailures);
    const respawn = () => {
      if (this.closed) return;
      this.slots.push(this.spawn());
      this.pump();
    };
    if (delay === 0) {
      respawn();
      return;
    }
    const timer = setTimeout(() => {
      this.respawnTimers.delete(timer);
      respawn();
    }, delay);
    timer.unref();
    this.respawnTimers.add(timer);
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === "load-error") {
      this.options.onWorkerProblem?.(`model ${m.key} failed to load in a worker: ${m.message}`, { key: m.key });
      return;
    }
    const task = slot.task;
    if (!task || task.id !== m.id) return;
    slot.task = null;
    if (slot.stuckTimer) {
      clearTimeout(slot.stuckTimer);
      slot.stuckTimer = null;
    }
    if (m.type === "result") {
      this.settle(
        task,
        { outputs: m.outputs, inferenceMs: m.inferenceMs, queueMs: task.startedAt - task.enqueuedAt },
        null,
      );
    } else {
      const Class = ERROR_CLASSES[m.name] ?? KernelError;
      this.settle(task, null, new Class(m.message));
    }
    this.pump();
  }

  /** Resolves or rejects a task once; a task already settled by its timer is ignored. */
  private settle(task: Task, result: PoolRunResult | null, err: Error | null): void {
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    const { resolve, reject } = task;
    task.resolve = () => {};
    task.reject = () => {};
    if (err) reject(err);
    else resolve(result!);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.task === null && s.stuckTimer === null);
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    task.startedAt = performance.now();
    slot.worker.postMessage(
      { type: "run", id: task.id, key: task.key, inputs: task.inputs, batch: task.batch } satisfies ToWorker,
      task.inputs.map((a) => a.buffer as ArrayBuffer),
    );
  }

  /** Gives every worker (and every future worker) a model version. */
  load(key: string, bytes: Uint8Array): void {
    if (this.models.has(key)) return;
    const shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    this.models.set(key, shared);
    for (const slot of this.slots) slot.worker.postMessage({ type: "load", key, bytes: shared } satisfies ToWorker);
  }

  /** Frees a model version in every worker; call once no request uses it. */
  drop(key: string): void {
    if (!this.models.delete(key)) return;
    for (const slot of this.slots) slot.worker.postMessage({ type: "drop", key } satisfies ToWorker);
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  get busyWorkers(): number {
    return this.slots.reduce((n, s) => n + (s.task ? 1 : 0), 0);
  }

  /**
   * Runs a batch on some worker. Rejects with OverloadError when every worker is busy and the queue is full,
   * with TimeoutError when the result is not back by `deadline` (a performance.now() time).
   */
  run(key: string, inputs: TypedArray[], batch: number, deadline: number): Promise<PoolRunResult> {
    if (this.closed) return Promise.reject(new UnavailableError("the server is shutting down"));
    if (!this.models.has(key)) return Promise.reject(new KernelError(`model version ${key} is not in the pool`));
    const idle = this.queue.length === 0 ? this.slots.find((s) => s.task === null && s.stuckTimer === null) : undefined;
    if (!idle && this.queue.length >= this.maxQueue) {
      return Promise.reject(
        new OverloadError(
          `all ${this.size} inference workers are busy and ${this.queue.length} requests are queued (MAX_QUEUE ${this.maxQueue})`,
        ),
      );
    }
    return new Promise<PoolRunResult>((resolve, reject) => {
      const now = performance.now();
      const task: Task = {
        id: this.nextId++,
        key,
        inputs,
        batch,
        enqueuedAt: now,
        startedAt: now,
        timer: null,
        resolve,
        reject,
      };
      task.timer = setTimeout(() => this.expire(task), Math.max(0, deadline - now));
      if (idle) this.start(idle, task);
      else this.queue.push(task);
    });
  }

  private expire(task: Task): void {
    task.timer = null;
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(task, null, new TimeoutError("request timed out waiting for an inference worker"));
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    this.settle(task, null, new TimeoutError("request timed out during inference"));
    if (!slot) return;
    // The worker is still computing: give it as long again to finish, then replace it.
    const grace = Math.max(1000, performance.now() - task.startedAt);
    slot.stuckTimer = setTimeout(() => {
      slot.stuckTimer = null;
      if (slot.task === task) this.replace(slot, `worker still busy ${Math.round(grace)} ms after a timeout`);
    }, grace);
  }

  /** Fails queued tasks, waits for running ones (up to `graceMs`), then terminates the workers. */
  async close(graceMs = 0): Promise<void> {
    if (this.closed) return;
    for (const task of this.queue.splice(0))
      this.settle(task, null, new UnavailableError("the server is shutting down"));
    const deadline = Date.now() + graceMs;
    while (this.busyWorkers > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.closed = true;
    for (const timer of this.respawnTimers) clearTimeout(timer);
    await Promise.all(
      this.slots.map((s) => {
        if (s.stuckTimer) clearTimeout(s.stuckTimer);
        return s.worker.terminate();
      }),
    );
  }
}
