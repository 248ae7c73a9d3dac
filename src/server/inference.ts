/**
 * Runs one request's inference where its model version lives — on the event loop for tiny models (measured at
 * load: the pool's message round trip costs more than they do), otherwise in the worker pool — and reports the
 * outcome to telemetry. Both API plugins (predict, OIP) come through here; neither touches the pool directly.
 */
import { EdgeInferenceError } from "../errors.js";
import type { TypedArray } from "../index.js";
import type { ServerTelemetry } from "../telemetry/server-telemetry.js";
import { runBatch } from "./execute.js";
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

  /** `startedAt` is the request's arrival (performance.now()); the timeout counts from there. */
  async run(loaded: LoadedModel, inputs: TypedArray[], batch: number, startedAt: number): Promise<InferenceResult> {
    let result: InferenceResult;
    try {
      if (loaded.mode === "inline" || !this.pool) {
        const { outputs, inferenceMs } = runBatch(loaded.session!, inputs, batch);
        result = { outputs, inferenceMs, queueMs: 0 };
      } else {
        result = await this.pool.run(loaded.key, inputs, batch, startedAt + this.timeoutMs);
      }
    } catch (err) {
      this.failed(loaded, err);
      throw err;
    }
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
