/**
 * Runs one request's inference where its model version lives — on the event loop for tiny models (measured at
 * load: the pool's message round trip costs more than they do), otherwise in the worker pool — and reports the
 * outcome to telemetry. Both API plugins (predict, OIP) come through here; neither touches the pool directly.
 */
import { EdgeInferenceError } from "../errors.js";
import type { TypedArray } from "../index.js";
import type { ServerTelemetry } from "../telemetry/server-telemetry.js";
import { type BatchResult, runBatch } from "./execute.js";
import type { WorkerPool } from "./pool.js";
import type { LoadedModel } from "./repository.js";

export interface InferenceResult {
  outputs: TypedArray[];
  inferenceMs: number;
  queueMs: number;
}

export class InferenceService {
  constructor(
    private readonly pool: WorkerPool | null,
    private readonly telemetry: ServerTelemetry,
    private readonly timeoutMs: number,
  ) {}

  /**
   * `startedAt` is the request's arrival (performance.now()); the timeout counts from there. Inline models answer
   * synchronously (a result, or a thrown error): no promise or extra event-loop turn for what takes microseconds;
   * pooled ones answer with a promise. Callers may `await` either.
   */
  run(
    loaded: LoadedModel,
    inputs: TypedArray[],
    batch: number,
    startedAt: number,
  ): InferenceResult | Promise<InferenceResult> {
    if (loaded.mode === "inline" || !this.pool) {
      let outcome: BatchResult;
      try {
        outcome = runBatch(loaded.session!, inputs, batch);
      } catch (err) {
        this.failed(loaded, err);
        throw err;
      }
      return this.succeeded(loaded, { outputs: outcome.outputs, inferenceMs: outcome.inferenceMs, queueMs: 0 });
    }
    let pending: Promise<InferenceResult>;
    try {
      pending = this.pool.run(loaded.key, inputs, batch, startedAt + this.timeoutMs);
    } catch (err) {
      this.failed(loaded, err);
      return Promise.reject(err);
    }
    return pending.then(
      (result) => this.succeeded(loaded, result),
      (err: unknown) => {
        this.failed(loaded, err);
        throw err;
      },
    );
  }

  private succeeded(loaded: LoadedModel, result: InferenceResult): InferenceResult {
    this.telemetry.observeInference({
      model: loaded.name,
      version: loaded.version,
      status: "success",
      inferenceSeconds: result.inferenceMs / 1000,
      queueSeconds: result.queueMs / 1000,
    });
    return result;
  }

  /** Counts a request that failed for this model, before or during inference. */
  failed(loaded: LoadedModel, err: unknown): void {
    this.telemetry.observeInference({
      model: loaded.name,
      version: loaded.version,
      status: "failure",
      reason: err instanceof EdgeInferenceError ? err.code : "INTERNAL",
    });
  }
}
