/**
 * The hot-path series give exactly the exposition prom-client's own Histogram and Counter give for the same
 * observations (prom-client is the reference), so Prometheus sees no difference.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Counter, Histogram, Registry } from "prom-client";
import { HotCounter, HotHistogram } from "../../src/telemetry/series.js";

const BUCKETS = [1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1];

test("HotHistogram and HotCounter render as prom-client's Histogram and Counter", async () => {
  const reference = new Registry();
  const ours = new Registry();
  for (const r of [reference, ours]) r.setDefaultLabels({ node: "n1" });
  const refHistogram = new Histogram({
    name: "d_seconds",
    help: "h",
    labelNames: ["route", "status"],
    buckets: BUCKETS,
    registers: [reference],
  });
  const refCounter = new Counter({ name: "b_total", help: "c", labelNames: ["route"], registers: [reference] });
  const hotHistogram = new HotHistogram({
    name: "d_seconds",
    help: "h",
    labelNames: ["route", "status"],
    buckets: BUCKETS,
    registry: ours,
  });
  const hotCounter = new HotCounter({ name: "b_total", help: "c", labelNames: ["route"], registry: ours });
  const cached = hotHistogram.labels({ route: "/predict", status: "200" });
  let x = 7;
  for (let i = 0; i < 500; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const value = (x / 2147483648) ** 6 * 2; // spans every bucket, and a few beyond the last bound
    const route = i % 3 ? "/predict" : "/v2/models/:name/infer";
    const status = i % 7 ? "200" : "400";
    refHistogram.observe({ route, status }, value);
    if (route === "/predict" && status === "200") cached.observe(value);
    else hotHistogram.observe({ route, status }, value);
    refCounter.inc({ route }, i);
    hotCounter.inc({ route }, i);
  }
  // Bucket bounds exactly on a value land in that bucket (le is inclusive) in both.
  refHistogram.observe({ route: "/predict", status: "200" }, 1e-4);
  cached.observe(1e-4);
  // Series and labels may come out in another order (neither carries meaning in the exposition format); every
  // sample, with its label set and value, must be identical.
  const normalize = (line: string) =>
    line.replace(
      /\{([^}]*)\}/,
      (_, body: string) =>
        `{${body
          .split(/,(?=[a-z_]+=)/)
          .sort()
          .join(",")}}`,
    );
  const lines = async (r: Registry) => (await r.metrics()).split("\n").map(normalize).sort();
  assert.deepEqual(await lines(ours), await lines(reference));
});
