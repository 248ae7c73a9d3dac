/**
 * The seed's four metrics end to end, against real servers started here: the inference server (built CLI, as a
 * child process), a real Prometheus scraping it every second and remote-writing to a real InfluxDB 1.x, and the
 * server's own InfluxDB writer. Polls until ready; never a fixed sleep.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { readCurrentFrequencies } from "../../src/telemetry/cpu-frequency.js";
import { localPrometheusConfig } from "../support/prometheus-config.js";
import {
  type ChildServer,
  cliUnavailable,
  metricValue,
  poll,
  postJson,
  scrape,
  startChildServer,
} from "../support/server-harness.js";
import {
  influxQuery,
  missingBinary,
  promQuery,
  type RunningService,
  startInfluxDb,
  startPrometheus,
} from "../support/services.js";

const skip = missingBinary("influxd") ?? missingBinary("prometheus") ?? cliUnavailable();
const NODE = "edge-test-node";
const DB = "edge_inference";

async function predict(url: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await postJson(`${url}/predict`, { input: [5.1 + i / 100, 3.5, 1.4, 0.2] });
    assert.equal(res.status, 200, res.text);
  }
}

async function influxCount(url: string, where: string): Promise<number> {
  const rows = await influxQuery(url, DB, `SELECT count("bytes_in") FROM "inference" WHERE ${where}`);
  return rows.length ? Number(rows[0]![1]) : 0;
}

async function stop(server: ChildServer | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill("SIGTERM");
  await server.exited;
}

describe("metrics with real Prometheus and InfluxDB", { skip: skip ?? false, timeout: 180_000 }, () => {
  let influx: RunningService;
  let prometheus: RunningService;
  let server: ChildServer;

  before(async () => {
    influx = await startInfluxDb();
    server = await startChildServer({
      NODE_NAME: NODE,
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      INFLUX_INTERVAL_MS: "500",
      WORKERS: "1",
      WATCH: "false",
    });
    prometheus = await startPrometheus(
      localPrometheusConfig({
        serverTarget: new URL(server.url).host,
        influxUrl: influx.url,
        influxDb: "prometheus",
        scrapeInterval: "1s",
      }),
    );
    await fetch(`${influx.url}/query?q=${encodeURIComponent("CREATE DATABASE prometheus")}`, { method: "POST" });
  });
  after(async () => {
    await stop(server);
    await prometheus?.stop();
    await influx?.stop();
  });

  test("Prometheus sees exactly N inferences and all four seed measures", async () => {
    const n = 25;
    await predict(server.url, n);
    const counted = await poll(
      "Prometheus to report the N inferences",
      async () => {
        const r = await promQuery(
          prometheus.url,
          `sum(inference_requests_total{model="iris",status="success",node="${NODE}"})`,
        );
        return r.length && Number(r[0]!.value[1]) === n ? n : undefined;
      },
      30_000,
    );
    assert.equal(counted, n);
    // Inference time, memory, bandwidth, clock speed — as series in Prometheus, not just on /metrics.
    const seed = [
      `inference_duration_seconds_count{model="iris"}`,
      `request_duration_seconds_count{route="/predict"}`,
      "process_resident_memory_bytes",
      `model_arena_bytes{model="iris"}`,
      `request_bytes_total{route="/predict",model="iris"}`,
      `response_bytes_total{route="/predict",model="iris"}`,
    ];
    if ((await readCurrentFrequencies()).length > 0) seed.push("node_cpu_frequency_hertz");
    for (const q of seed) {
      const r = await promQuery(prometheus.url, q);
      assert.ok(r.length > 0, `no series for ${q}`);
      assert.equal(r[0]!.metric.node, NODE, `${q} carries the node label`);
    }
    const bytesIn = await promQuery(prometheus.url, `request_bytes_total{route="/predict",model="iris"}`);
    assert.ok(Number(bytesIn[0]!.value[1]) >= n * 20, "request bytes count the bodies received");
  });

  test("our own metric families pass promtool check metrics", async (t) => {
    if (missingBinary("promtool")) return t.skip("promtool missing");
    const text = await scrape(server.url);
    // prom-client's default process/nodejs families are not ours (some break promtool's naming rules).
    const ours = text
      .split("\n# HELP ")
      .filter((block, i) => i > 0 || block.startsWith("# HELP"))
      .map((block) => (block.startsWith("# HELP ") ? block.slice(7) : block))
      .filter((block) => !/^(nodejs_|process_)/.test(block))
      .map((block) => `# HELP ${block}`)
      .join("\n");
    execFileSync("promtool", ["check", "metrics"], { input: `${ours.trim()}\n` });
    assert.match(ours, /# TYPE inference_requests_total counter/);
  });

  test("the server's writer stores one InfluxDB point per inference, with tags and fields", async () => {
    const before = await influxCount(influx.url, `"node" = '${NODE}'`);
    const n = 30;
    await predict(server.url, n);
    await poll("N new points in InfluxDB", async () =>
      (await influxCount(influx.url, `"node" = '${NODE}'`)) === before + n ? true : undefined,
    );
    const rows = await influxQuery(
      influx.url,
      DB,
      `SELECT "bytes_in", "bytes_out", "duration_seconds", "model", "version", "node", "status" FROM "inference" ORDER BY time DESC LIMIT 1`,
    );
    const [, bytesIn, bytesOut, duration, model, version, node, status] = rows[0]!;
    assert.ok(Number(bytesIn) > 20 && Number(bytesOut) > 20 && Number(duration) > 0);
    assert.equal(model, "iris");
    assert.ok(String(version).length > 0);
    assert.equal(node, NODE);
    assert.equal(status, "success");
    const stats = await poll("a node_stats snapshot", async () => {
      const r = await influxQuery(influx.url, DB, `SELECT * FROM "node_stats" ORDER BY time DESC LIMIT 1`);
      return r.length ? r : undefined;
    });
    assert.ok(stats.length === 1);
  });

  test("Prometheus remote_write lands the server's series in InfluxDB", async () => {
    const rows = await poll(
      "inference_requests_total in InfluxDB's prometheus database",
      async () => {
        const r = await influxQuery(
          influx.url,
          "prometheus",
          `SELECT last("value") FROM "inference_requests_total" WHERE "model" = 'iris' AND "status" = 'success'`,
        ).catch(() => []);
        return r.length ? r : undefined;
      },
      45_000,
    );
    assert.ok(Number(rows[0]![1]) >= 25);
  });
});

describe("InfluxDB outage: nothing is lost silently", { skip: skip ?? false, timeout: 180_000 }, () => {
  test("points written while InfluxDB is down arrive when it returns", async () => {
    let influx = await startInfluxDb();
    const server = await startChildServer({
      NODE_NAME: "outage-node",
      INFLUX_URL: influx.url,
      INFLUX_INTERVAL_MS: "200",
      WORKERS: "0",
      WATCH: "false",
    });
    try {
      await predict(server.url, 10);
      await poll("10 points", async () => ((await influxCount(influx.url, "true")) === 10 ? true : undefined));
      const { dir, port } = influx;
      await influx.stop();
      await predict(server.url, 15);
      await poll("a failed write to be counted", async () => {
        const v = metricValue(await scrape(server.url), "influxdb_write_errors_total");
        return v && v > 0 ? true : undefined;
      });
      influx = await startInfluxDb({ dir, port });
      await poll(
        "all 25 points",
        async () => ((await influxCount(influx.url, "true")) === 25 ? true : undefined),
        30_000,
      );
      assert.equal(
        metricValue(await scrape(server.url), "influxdb_points_dropped_total", { reason: "buffer full" }) ?? 0,
        0,
      );
    } finally {
      await stop(server);
      await influx.stop();
    }
  });

  test("with a tiny buffer, the overflow count equals the points missing", async () => {
    let influx = await startInfluxDb();
    const server = await startChildServer({
      NODE_NAME: "overflow-node",
      INFLUX_URL: influx.url,
      INFLUX_INTERVAL_MS: "100000",
      INFLUX_MAX_BUFFER: "5",
      WORKERS: "0",
      WATCH: "false",
    });
    try {
      await predict(server.url, 3);
      await poll("3 points", async () => ((await influxCount(influx.url, "true")) === 3 ? true : undefined));
      const { dir, port } = influx;
      await influx.stop();
      await predict(server.url, 20);
      influx = await startInfluxDb({ dir, port });
      await poll(
        "the buffered points",
        async () => ((await influxCount(influx.url, "true")) === 8 ? true : undefined),
        30_000,
      );
      const dropped = metricValue(await scrape(server.url), "influxdb_points_dropped_total", { reason: "buffer full" });
      assert.equal(dropped, 23 - (await influxCount(influx.url, "true")));
    } finally {
      await stop(server);
      await influx.stop();
    }
  });
});
