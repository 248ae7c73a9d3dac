/**
 * Histograms and counters for the per-request hot path. prom-client hashes the label set on every observe
 * (~0.4–0.9 µs), which is more than the default model's whole inference; these keep one plain record per label
 * set, found once and then updated with a few number operations, and hand prom-client's Registry the same data
 * shape its own metrics do at scrape time — so exposition, default labels and formatting stay prom-client's.
 */
import type { Registry } from "prom-client";

interface ExportedValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface Exported {
  name: string;
  help: string;
  type: "histogram" | "counter";
  values: ExportedValue[];
  aggregator: "sum";
}

/** What a Registry needs from a metric (the subset prom-client's own classes implement). */
abstract class HotMetric<Series> {
  protected readonly series = new Map<string, { labels: Record<string, string>; data: Series }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // prom-client's Registry accepts any object with name/get/reset; its TypeScript types name only its classes.
    registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  protected abstract create(): Series;

  /** The record for one label set; callers keep it and update it directly. */
  labels(values: Readonly<Record<string, string>>): Series {
    const key = this.labelNames.map((n) => values[n] ?? "").join("\u0000");
    let entry = this.series.get(key);
    if (!entry) {
      const labels: Record<string, string> = {};
      for (const n of this.labelNames) labels[n] = values[n] ?? "";
      entry = { labels, data: this.create() };
      this.series.set(key, entry);
    }
    return entry.data;
  }

  remove(values: Readonly<Record<string, string>>): void {
    this.series.delete(this.labelNames.map((n) => values[n] ?? "").join("\u0000"));
  }

  reset(): void {
    this.series.clear();
  }

  abstract get(): Promise<Exported>;
}

export class HistogramSeries {
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class HotHistogram extends HotMetric<HistogramSeries> {
  private readonly bounds: Float64Array;

  constructor(options: {
    name: string;
    help: string;
    labelNames: readonly string[];
    buckets: readonly number[];
    registry: Registry;
  }) {
    super(options.name, options.help, options.labelNames, options.registry);
    this.bounds = Float64Array.from([...options.buckets].sort((a, b) => a - b));
  }

  protected create(): HistogramSeries {
    return new HistogramSeries(this.bounds);
  }

  observe(labels: Readonly<Record<string, string>>, value: number): void {
    this.labels(labels).observe(value);
  }

  async get(): Promise<Exported> {
    const values: ExportedValue[] = [];
    for (const { labels, data } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += data.counts[i]!;
        values.push({ labels: { ...labels, le: bound }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { ...labels, le: "+Inf" }, value: data.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: data.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: data.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: "histogram", values, aggregator: "sum" };
  }
}

export class CounterSeries {
  value = 0;

  inc(amount = 1): void {
    this.value += amount;
  }
}

export class HotCounter extends HotMetric<CounterSeries> {
  constructor(options: { name: string; help: string; labelNames: readonly string[]; registry: Registry }) {
    super(options.name, options.help, options.labelNames, options.registry);
  }

  protected create(): CounterSeries {
    return new CounterSeries();
  }

  inc(labels: Readonly<Record<string, string>>, amount = 1): void {
    this.labels(labels).inc(amount);
  }

  async get(): Promise<Exported> {
    const values = [...this.series.values()].map(({ labels, data }) => ({ labels, value: data.value }));
    return { name: this.name, help: this.help, type: "counter", values, aggregator: "sum" };
  }
}
