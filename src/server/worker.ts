/**
 * Inference worker thread: keeps one Model and one Session per model version (key) it has been sent, runs
 * batches on them, and answers each task with its outputs (transferred, not copied). It never decides anything:
 * which versions exist, queueing and timeouts belong to the pool on the main thread.
 */
import { parentPort } from "node:worker_threads";
import { Model, type Session, type TypedArray } from "../index.js";
import { runBatch } from "./execute.js";
import type { FromWorker, ToWorker } from "./pool.js";

if (!parentPort) throw new Error("worker.ts must run as a worker thread");
const port = parentPort;
const sessions = new Map<string, Session>();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "load": {
      if (sessions.has(message.key)) return;
      try {
        const model = Model.fromBytes(new Uint8Array(message.bytes));
        sessions.set(message.key, model.createSession());
      } catch (err) {
        post({ type: "load-error", key: message.key, message: (err as Error).message });
      }
      return;
    }
    case "drop":
      sessions.delete(message.key);
      return;
    case "run": {
      const session = sessions.get(message.key);
      if (!session) {
        post({
          type: "error",
          id: message.id,
          name: "KernelError",
          message: `model version ${message.key} is not loaded in this worker`,
        });
        return;
      }
      try {
        const { outputs, inferenceMs } = runBatch(session, message.inputs, message.batch);
        post(
          { type: "result", id: message.id, outputs, inferenceMs },
          outputs.map((o: TypedArray) => o.buffer as ArrayBuffer),
        );
      } catch (err) {
        const e = err as Error;
        post({ type: "error", id: message.id, name: e.name, message: e.message });
      }
      return;
    }
  }
});
