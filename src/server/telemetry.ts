/**
 * What the server reports, as one interface the routes, the repository and the pool call — `observe*` — and an
 * implementation on the project's metric families (src/telemetry/metrics.ts, one prom-client Registry). Nothing
 * else in src/server touches prom-client. Exporters that need more (the InfluxDB writer) implement or wrap this
 * interface and are passed to buildApp; callers do not change.
 */
import type { Registry } from "prom-client";
import { ServerMetrics } from "../telemetry/metrics.js";

export interface InferenceObservation {
  model: string;
  version: string;
  status: "success" | "failure";
  /** Error code (INVALID_INPUT, TIMEOUT, OVERLOADED, …) for failures. */
  reason?: string;
  /** Time inside the runtime, when the inference ran. */
  inferenceSeconds?: number;
  /** Time spent waiting for a worker, when the request went through the pool. */
  queueSeconds?: number;
}

export interface RequestObservation {
  route: string;
  method: string;
  status: number;
  durationSeconds: number;
  requestBytes: number;
  responseBytes: number;
  model?: string;
  version?: string;
  /** Time inside the runtime, for inference requests. */
  inferenceSeconds?: number;
}

export interface ModelLoadObservation {
  model: string;
  version?: string;
  ok: boolean;
  arenaBytes?: number;
  weightsBytes?: number;
  error?: string;
}

export interface QueueProbe {
  depth(): number;
  busyWorkers(): number;
}

/** The hooks the server calls; `registry` is what GET /metrics exposes. */
export interface ServerTelemetry {
  readonly registry: Registry;
  observeInference(o: InferenceObservation): void;
  observeRequest(o: RequestObservation): void;
  observeModelLoad(o: ModelLoadObservation): void;
  observeModelUnload(model: string): void;
  setQueueProbe(probe: QueueProbe): void;
  /** Flushes anything buffered (an InfluxDB writer); called once at shutdown. */
  close(): Promise<void>;
}

export interface MetricsTelemetryOptions {
  /** The `node` label on every series (NODE_NAME). */
  nodeName: string;
  /** Also export prom-client's process and heap metrics (default true). */
  collectDefault?: boolean;
}

/** ServerTelemetry on the project's metric families, without exporters. */
export class MetricsTelemetry implements ServerTelemetry {
  readonly metrics: ServerMetrics;
  private probe: QueueProbe | null = null;
  private readonly loaded = new Set<string>();

  constructor(options: MetricsTelemetryOptions) {
    this.metrics = new ServerMetrics({ nodeName: options.nodeName, collectDefault: options.collectDefault });
    const probe = () => this.probe;
    // Queue gauges are read when Prometheus scrapes, not updated per request.
    Object.assign(this.metrics.queueDepth, {
      collect(this: { set(v: number): void }) {
        this.set(probe()?.depth() ?? 0);
      },
    });
    Object.assign(this.metrics.busyWorkers, {
      collect(this: { set(v: number): void }) {
        this.set(probe()?.busyWorkers() ?? 0);
      },
    });
  }

  get registry(): Registry {
    return this.metrics.registry;
  }

  observeInference(o: InferenceObservation): void {
    const m = this.metrics;
    m.inferenceRequests.inc({ model: o.model, status: o.status });
    if (o.status === "failure")
      m.inferenceFailures.inc({ model: o.model, reason: (o.reason ?? "INTERNAL").toLowerCase() });
    if (o.inferenceSeconds !== undefined) m.inferenceDuration.observe({ model: o.model }, o.inferenceSeconds);
    if (o.queueSeconds !== undefined && o.queueSeconds > 0) m.queueWait.observe({ model: o.model }, o.queueSeconds);
  }

  observeRequest(o: RequestObservation): void {
    const m = this.metrics;
    m.requestDuration.observe({ route: o.route, method: o.method, status: String(o.status) }, o.durationSeconds);
    m.requestBytes.inc({ route: o.route, model: o.model ?? "" }, o.requestBytes);
    m.responseBytes.inc({ route: o.route, model: o.model ?? "" }, o.responseBytes);
  }

  observeModelLoad(o: ModelLoadObservation): void {
    if (!o.ok) {
      this.metrics.modelLoadFailures.inc({ model: o.model });
      return;
    }
    this.metrics.setModel(o.model, { arenaBytes: o.arenaBytes ?? 0, weightsBytes: o.weightsBytes ?? 0 });
    this.loaded.add(o.model);
    this.metrics.modelsLoaded.set(this.loaded.size);
  }

  observeModelUnload(model: string): void {
    this.metrics.removeModel(model);
    this.loaded.delete(model);
    this.metrics.modelsLoaded.set(this.loaded.size);
  }

  setQueueProbe(probe: QueueProbe): void {
    this.probe = probe;
  }

  async close(): Promise<void> {}
}
