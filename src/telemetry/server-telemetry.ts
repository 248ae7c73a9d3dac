/**
 * The server's telemetry: one interface the routes, the repository and the pool call (`observe*`), and its
 * implementation — every observation into the Prometheus families of metrics.ts and, when INFLUX_URL is set, one
 * InfluxDB point per inference request plus a periodic node_stats snapshot. Observing never waits on I/O:
 * InfluxWriter buffers and sends in the background. Nothing else in the project touches prom-client.
 */
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { readCurrentFrequencies } from "./cpu-frequency.js";
import { createInfluxTransport, type InfluxConfig } from "./influx-transport.js";
import { InfluxWriter, nanoTimestamp } from "./influx-writer.js";
import { ServerMetrics } from "./metrics.js";
import type { CounterSeries, HistogramSeries } from "./series.js";

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
  /** Worker threads in the pool (0 when inference runs inline). */
  workers: number;
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

interface RequestSeries {
  duration: { observe(value: number): void };
  requestBytes: { inc(value: number): void };
  responseBytes: { inc(value: number): void };
}

/**
 * A model's per-inference series, looked up once each: a series appears in the registry when first observed (a
 * model that never failed has no failure series), exactly as when each observation looked up its labels.
 */
class ModelInferenceSeries {
  private successSeries: CounterSeries | null = null;
  private failureSeries: CounterSeries | null = null;
  private durationSeries: HistogramSeries | null = null;
  private queueWaitSeries: HistogramSeries | null = null;

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly model: string,
  ) {}

  get success(): CounterSeries {
    this.successSeries ??= this.metrics.inferenceRequests.labels({ model: this.model, status: "success" });
    return this.successSeries;
  }

  get failure(): CounterSeries {
    this.failureSeries ??= this.metrics.inferenceRequests.labels({ model: this.model, status: "failure" });
    return this.failureSeries;
  }

  get duration(): HistogramSeries {
    this.durationSeries ??= this.metrics.inferenceDuration.labels({ model: this.model });
    return this.durationSeries;
  }

  get queueWait(): HistogramSeries {
    this.queueWaitSeries ??= this.metrics.queueWait.labels({ model: this.model });
    return this.queueWaitSeries;
  }
}

export interface InfluxSettings extends InfluxConfig {
  /** How often a node_stats snapshot is written, and the writer's flush interval. */
  intervalMs: number;
  batchSize?: number;
  maxBufferPoints?: number;
}

export interface TelemetryOptions {
  nodeName: string;
  influx?: InfluxSettings | null;
  logger?: Pick<Logger, "warn" | "info" | "error">;
  defaultMetrics?: boolean;
}

/** ServerTelemetry on the project's metric families, with the InfluxDB exporter when configured. */
export class Telemetry implements ServerTelemetry {
  readonly metrics: ServerMetrics;
  readonly writer: InfluxWriter | null;
  private readonly nodeName: string;
  private probe: QueueProbe | null = null;
  private readonly loaded = new Set<string>();
  /** Labelled children by route/method/status/model: a label lookup per request would cost more than Iris. */
  private readonly seriesCache = new Map<string, Map<number, Map<string, Map<string, RequestSeries>>>>();
  /** The same for inference observations, by model name. */
  private readonly inferenceCache = new Map<string, ModelInferenceSeries>();
  private snapshotTimer: NodeJS.Timeout | null = null;
  private readonly logger: TelemetryOptions["logger"];

  constructor(options: TelemetryOptions) {
    this.nodeName = options.nodeName;
    this.logger = options.logger;
    this.metrics = new ServerMetrics({ nodeName: options.nodeName, collectDefault: options.defaultMetrics });
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
    this.writer = options.influx ? this.createWriter(options.influx) : null;
    if (this.writer && options.influx) {
      this.snapshotTimer = setInterval(() => void this.writeSnapshot(), options.influx.intervalMs);
      this.snapshotTimer.unref();
    }
  }

  get registry() {
    return this.metrics.registry;
  }

  private createWriter(settings: InfluxSettings): InfluxWriter {
    const transport = createInfluxTransport(settings);
    const m = this.metrics;
    const writer = new InfluxWriter({
      transport,
      flushIntervalMs: Math.min(settings.intervalMs, 1000),
      batchSize: settings.batchSize,
      maxBufferPoints: settings.maxBufferPoints,
      onWritten: (n) => m.influxPointsWritten.inc(n),
      onDropped: (n, reason) => {
        m.influxPointsDropped.inc({ reason }, n);
        this.logger?.warn({ dropped: n, reason, target: transport.describe() }, "InfluxDB points dropped");
      },
      onWriteError: (err, attempt, retryInMs) => {
        m.influxWriteErrors.inc();
        // One line per outage, then every 10th attempt: a database that is away must not flood the logs.
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger?.warn(
            { err: err.message, attempt, retryInMs, target: transport.describe() },
            "InfluxDB write failed; retrying",
          );
        }
      },
    });
    Object.assign(m.influxBufferedPoints, {
      collect(this: { set(v: number): void }) {
        this.set(writer.buffered);
      },
    });
    this.logger?.info({ target: transport.describe() }, "writing inference points to InfluxDB");
    return writer;
  }

  observeInference(o: InferenceObservation): void {
    const series = this.inferenceSeries(o.model);
    if (o.status === "failure") {
      series.failure.inc();
      this.metrics.inferenceFailures.inc({ model: o.model, reason: (o.reason ?? "INTERNAL").toLowerCase() });
    } else {
      series.success.inc();
    }
    if (o.inferenceSeconds !== undefined) series.duration.observe(o.inferenceSeconds);
    // Inline inferences never queue; only pooled ones have a wait worth a histogram sample.
    if (o.queueSeconds !== undefined && o.queueSeconds > 0) series.queueWait.observe(o.queueSeconds);
  }

  private inferenceSeries(model: string): ModelInferenceSeries {
    let series = this.inferenceCache.get(model);
    if (!series) {
      series = new ModelInferenceSeries(this.metrics, model);
      this.inferenceCache.set(model, series);
    }
    return series;
  }

  observeRequest(o: RequestObservation): void {
    const series = this.requestSeries(o);
    series.duration.observe(o.durationSeconds);
    series.requestBytes.inc(o.requestBytes);
    series.responseBytes.inc(o.responseBytes);
    if (this.writer && o.model) {
      this.writer.write({
        measurement: "inference",
        tags: {
          model: o.model,
          version: o.version ?? "",
          node: this.nodeName,
          status: o.status < 400 ? "success" : String(o.status),
        },
        fields: {
          duration_seconds: o.durationSeconds,
          ...(o.inferenceSeconds !== undefined ? { inference_seconds: o.inferenceSeconds } : {}),
          bytes_in: o.requestBytes,
          bytes_out: o.responseBytes,
        },
        timestampNs: nanoTimestamp(),
      });
    }
  }

  private requestSeries(o: RequestObservation): RequestSeries {
    // Nested maps keyed by the label values themselves (route and model names are the same string objects on
    // every request, whose hashes V8 keeps): no key string is built per request.
    let byStatus = this.seriesCache.get(o.route);
    if (!byStatus) {
      byStatus = new Map();
      this.seriesCache.set(o.route, byStatus);
    }
    let byMethod = byStatus.get(o.status);
    if (!byMethod) {
      byMethod = new Map();
      byStatus.set(o.status, byMethod);
    }
    let byModel = byMethod.get(o.method);
    if (!byModel) {
      byModel = new Map();
      byMethod.set(o.method, byModel);
    }
    const model = o.model ?? "";
    let series = byModel.get(model);
    if (!series) {
      const m = this.metrics;
      series = {
        duration: m.requestDuration.labels({ route: o.route, method: o.method, status: String(o.status) }),
        requestBytes: m.requestBytes.labels({ route: o.route, model }),
        responseBytes: m.responseBytes.labels({ route: o.route, model }),
      };
      // Unmatched routes carry their own label value, so the cache stays as small as the route table.
      byModel.set(model, series);
    }
    return series;
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
    this.metrics.workers.set(probe.workers);
  }

  /** One node_stats point: memory, CPU clock speed, queue depth and busy workers. */
  private async writeSnapshot(): Promise<void> {
    if (!this.writer) return;
    const memory = process.memoryUsage();
    const frequencies = await readCurrentFrequencies();
    const fields: Record<string, number> = {
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      heap_total_bytes: memory.heapTotal,
      external_bytes: memory.external,
      array_buffers_bytes: memory.arrayBuffers,
      queue_depth: this.probe?.depth() ?? 0,
      busy_workers: this.probe?.busyWorkers() ?? 0,
    };
    if (frequencies.length > 0) {
      fields.cpu_frequency_hertz = frequencies.reduce((s, f) => s + f.hertz, 0) / frequencies.length;
      for (const f of frequencies) fields[`cpu${f.cpu}_frequency_hertz`] = f.hertz;
    }
    this.writer.write({
      measurement: "node_stats",
      tags: { node: this.nodeName },
      fields,
      timestampNs: nanoTimestamp(),
    });
  }

  async close(): Promise<void> {
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    await this.writer?.close();
  }
}
