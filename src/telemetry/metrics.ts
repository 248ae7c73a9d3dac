/**
 * Every Prometheus metric family the server exports, in one registry: the seed's four measures (inference time,
 * memory, bandwidth, CPU clock speed) plus Triton-style request, failure, queue and model-load metrics. Every
 * series carries a `node` label (NODE_NAME, set by Kubernetes' downward API) so replicas are told apart.
 * Routes and the pool observe into these; nothing here knows about HTTP.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { readCurrentFrequencies, readMaxFrequencies } from "./cpu-frequency.js";
import { HotCounter, HotHistogram } from "./series.js";

/** From 1 µs to 10 s: tiny MCU-class models take microseconds, person detection milliseconds. */
export const INFERENCE_BUCKETS = [
  1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  2.5, 5, 10,
];

export interface MetricsOptions {
  nodeName: string;
  /** Collect prom-client's process and heap metrics (default true). */
  collectDefault?: boolean;
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly inferenceDuration: HotHistogram;
  readonly requestDuration: HotHistogram;
  readonly queueWait: HotHistogram;
  readonly inferenceRequests: HotCounter;
  readonly inferenceFailures: HotCounter;
  readonly requestBytes: HotCounter;
  readonly responseBytes: HotCounter;
  readonly queueDepth: Gauge;
  readonly busyWorkers: Gauge;
  readonly workers: Gauge;
  readonly modelArenaBytes: Gauge<"model">;
  readonly modelWeightsBytes: Gauge<"model">;
  readonly modelLoadFailures: Counter<"model">;
  readonly modelsLoaded: Gauge;
  readonly influxPointsWritten: Counter;
  readonly influxPointsDropped: Counter<"reason">;
  readonly influxWriteErrors: Counter;
  readonly influxBufferedPoints: Gauge;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ node: options.nodeName });
    if (options.collectDefault !== false) collectDefaultMetrics({ register: this.registry });

    this.inferenceDuration = new HotHistogram({
      name: "inference_duration_seconds",
      help: "Time spent in the runtime per inference (worker-side, excluding queueing and HTTP).",
      labelNames: ["model"],
      buckets: INFERENCE_BUCKETS,
      registry: this.registry,
    });
    this.requestDuration = new HotHistogram({
      name: "request_duration_seconds",
      help: "End-to-end HTTP request time, from the first byte read to the response sent.",
      labelNames: ["route", "method", "status"],
      buckets: INFERENCE_BUCKETS,
      registry: this.registry,
    });
    this.queueWait = new HotHistogram({
      name: "inference_queue_wait_seconds",
      help: "Time an inference waited for a free worker.",
      labelNames: ["model"],
      buckets: INFERENCE_BUCKETS,
      registry: this.registry,
    });
    this.inferenceRequests = new HotCounter({
      name: "inference_requests_total",
      help: "Inference requests by model and outcome (success, or the error class).",
      labelNames: ["model", "status"],
      registry: this.registry,
    });
    this.inferenceFailures = new HotCounter({
      name: "inference_failures_total",
      help: "Failed inference requests by reason (invalid_input, overload, timeout, not_found, internal).",
      labelNames: ["model", "reason"],
      registry: this.registry,
    });
    this.requestBytes = new HotCounter({
      name: "request_bytes_total",
      help: "Request body bytes actually received, by route and model.",
      labelNames: ["route", "model"],
      registry: this.registry,
    });
    this.responseBytes = new HotCounter({
      name: "response_bytes_total",
      help: "Response body bytes actually sent, by route and model.",
      labelNames: ["route", "model"],
      registry: this.registry,
    });
    this.queueDepth = new Gauge({
      name: "inference_queue_depth",
      help: "Inferences waiting for a worker.",
      registers,
    });
    this.busyWorkers = new Gauge({
      name: "inference_workers_busy",
      help: "Workers currently running an inference.",
      registers,
    });
    this.workers = new Gauge({
      name: "inference_workers",
      help: "Worker threads in the inference pool (0 when inference runs inline).",
      registers,
    });
    this.modelArenaBytes = new Gauge({
      name: "model_arena_bytes",
      help: "Planned arena (activations and scratch) of each loaded model, per session.",
      labelNames: ["model"],
      registers,
    });
    this.modelWeightsBytes = new Gauge({
      name: "model_weights_bytes",
      help: "Constant data (weights, biases, tables) of each loaded model.",
      labelNames: ["model"],
      registers,
    });
    this.modelLoadFailures = new Counter({
      name: "model_load_failures_total",
      help: "Model files that failed to load (malformed, unsupported op, …).",
      labelNames: ["model"],
      registers,
    });
    this.modelsLoaded = new Gauge({
      name: "models_loaded",
      help: "Models currently loaded and serving.",
      registers,
    });
    this.influxPointsWritten = new Counter({
      name: "influxdb_points_written_total",
      help: "Points the InfluxDB writer delivered.",
      registers,
    });
    this.influxPointsDropped = new Counter({
      name: "influxdb_points_dropped_total",
      help: "Points the InfluxDB writer dropped (buffer full, or shutdown before delivery).",
      labelNames: ["reason"],
      registers,
    });
    this.influxWriteErrors = new Counter({
      name: "influxdb_write_errors_total",
      help: "Failed InfluxDB write attempts (each is retried with backoff).",
      registers,
    });
    this.influxBufferedPoints = new Gauge({
      name: "influxdb_buffered_points",
      help: "Points waiting in the InfluxDB writer's buffer.",
      registers,
    });

    new Gauge({
      name: "node_cpu_frequency_hertz",
      help: "Current CPU clock speed per CPU of this node (cpufreq, else /proc/cpuinfo); absent where unknown.",
      labelNames: ["cpu"],
      registers,
      async collect() {
        this.reset();
        for (const r of await readCurrentFrequencies()) this.set({ cpu: r.cpu }, r.hertz);
      },
    });
    new Gauge({
      name: "node_cpu_max_frequency_hertz",
      help: "Maximum CPU clock speed per CPU of this node, where cpufreq exposes it.",
      labelNames: ["cpu"],
      registers,
      async collect() {
        this.reset();
        for (const r of await readMaxFrequencies()) this.set({ cpu: r.cpu }, r.hertz);
      },
    });
  }

  /** Records a model's memory figures when it (re)loads. */
  setModel(name: string, figures: { arenaBytes: number; weightsBytes: number }): void {
    this.modelArenaBytes.set({ model: name }, figures.arenaBytes);
    this.modelWeightsBytes.set({ model: name }, figures.weightsBytes);
  }

  removeModel(name: string): void {
    this.modelArenaBytes.remove({ model: name });
    this.modelWeightsBytes.remove({ model: name });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
