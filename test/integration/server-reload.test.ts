/**
 * The model repository under change, against a real listening server: a model file replaced under traffic
 * swaps in atomically with no failed request (atomic rename and in-place overwrite, inline and pooled models);
 * malformed or truncated files dropped into the directory never take the server down and keep the previous
 * version serving; a removed file unloads its model.
 */
import assert from "node:assert/strict";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { getJson, metricValue, poll, postJson, scrape, startTestServer } from "../support/server-harness.js";
import { PROJECT_ROOT } from "../support/shared.js";

const FLOAT = readFileSync(path.join(PROJECT_ROOT, "models", "iris.tflite"));
const INT8 = readFileSync(path.join(PROJECT_ROOT, "models", "iris_int8.tflite"));
const SAMPLE = [6.1, 2.8, 4.7, 1.2];

async function version(url: string, model: string): Promise<string | null> {
  const entry = (await postJson(`${url}/v2/repository/index`, {})).json.find((e: { name: string }) => e.name === model);
  return entry?.version ?? null;
}

for (const [label, config] of [
  ["inline", { inlineThresholdUs: 1_000_000 }],
  ["worker pool", { inlineThresholdUs: 0, workers: 2 }],
] as const) {
  test(`hot reload under traffic (${label}): no failed request, versions advance`, async () => {
    const s = await startTestServer({
      withIris: false,
      models: { "m.tflite": FLOAT },
      config: { ...config, watch: true },
    });
    try {
      const statuses = new Map<number, number>();
      const versions = new Set<string>();
      let stop = false;
      const client = async () => {
        while (!stop) {
          const r = await postJson(`${s.url}/predict`, { model: "m", input: SAMPLE });
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status === 200) versions.add(r.json.version);
          else assert.fail(`request failed during reload: ${r.status} ${r.text}`);
        }
      };
      const clients = Array.from({ length: 8 }, client);
      const file = path.join(s.dir, "m.tflite");
      // 1: atomic replacement (write a temporary file, rename over the old one).
      writeFileSync(`${file}.tmp`, INT8);
      renameSync(`${file}.tmp`, file);
      await poll("version 2", async () => ((await version(s.url, "m")) === "2" ? true : undefined));
      await poll("traffic on version 2", () => (versions.has("2") ? true : undefined));
      // 2: in-place overwrite, which the watcher may see half-written: the old version serves until it is whole.
      writeFileSync(file, FLOAT);
      await poll("version 3", async () => ((await version(s.url, "m")) === "3" ? true : undefined));
      await poll("traffic on version 3", () => (versions.has("3") ? true : undefined));
      stop = true;
      await Promise.all(clients);
      assert.deepEqual([...statuses.keys()], [200]);
      assert.ok(versions.has("1") && versions.has("2") && versions.has("3"), [...versions].join(","));
    } finally {
      await s.close();
    }
  });
}

describe("malformed model files never take the server down", () => {
  test("garbage, truncated and empty files: reported, previous version keeps serving", async () => {
    const s = await startTestServer({ withIris: true, config: { watch: true } });
    try {
      // A new model that is not a model.
      writeFileSync(path.join(s.dir, "junk.tflite"), "this is not a flatbuffer at all, just text");
      const junk = await poll("junk reported", async () => {
        const e = (await postJson(`${s.url}/v2/repository/index`, {})).json.find(
          (x: { name: string }) => x.name === "junk",
        );
        return e?.reason ? e : undefined;
      });
      assert.equal(junk.state, "UNAVAILABLE");
      assert.match(junk.reason, /not a TFLite model/);
      const r = await postJson(`${s.url}/predict`, { model: "junk", input: SAMPLE });
      assert.equal(r.status, 503);
      assert.match(r.json.error, /model "junk" is not available: .*not a TFLite model/);

      // An existing model overwritten with a truncated copy of itself, then with an empty file.
      const failures = async () => {
        return metricValue(await scrape(s.url), "model_load_failures_total", { model: "iris" }) ?? 0;
      };
      for (const [k, [what, bytes]] of (
        [
          ["truncated", FLOAT.subarray(0, FLOAT.byteLength >> 1)],
          ["empty", Buffer.alloc(0)],
        ] as const
      ).entries()) {
        writeFileSync(path.join(s.dir, "iris.tflite"), bytes);
        await poll(`${what} iris reported`, async () => ((await failures()) === k + 1 ? true : undefined));
        const health = await getJson(`${s.url}/health`);
        assert.equal(health.status, 200);
        const iris = health.json.models.find((m: { name: string }) => m.name === "iris");
        assert.equal(iris.state, "READY");
        assert.equal(iris.version, "1");
        assert.match(iris.reason, /last load failed, still serving version 1/);
        const p = await postJson(`${s.url}/predict`, { input: SAMPLE });
        assert.equal(p.status, 200);
        assert.equal(p.json.version, "1");
      }
      const metrics = await scrape(s.url);
      assert.equal(metricValue(metrics, "model_load_failures_total", { model: "junk" }), 1);
      assert.equal(metricValue(metrics, "model_load_failures_total", { model: "iris" }), 2);
      assert.ok(s.logs.some((l) => /model load failed; the previous version keeps serving/.test(l)));

      // Repaired with the same content it had: nothing to reload, the error is cleared.
      writeFileSync(path.join(s.dir, "iris.tflite"), FLOAT);
      const repaired = await poll("iris repaired", async () => {
        const h = await getJson(`${s.url}/health`);
        const iris = h.json.models.find((m: { name: string }) => m.name === "iris");
        return iris.reason === null ? iris : undefined;
      });
      assert.deepEqual(repaired, {
        name: "iris",
        version: "1",
        state: "READY",
        reason: null,
        mode: "inline",
        default: true,
      });
    } finally {
      await s.close();
    }
  });

  test("a model whose .json is broken keeps the previous version", async () => {
    const s = await startTestServer({ withIris: true, config: { watch: true } });
    try {
      writeFileSync(path.join(s.dir, "iris.json"), "{ labels: nope");
      await poll("broken json reported", async () => {
        const e = (await postJson(`${s.url}/v2/repository/index`, {})).json.find(
          (x: { name: string }) => x.name === "iris",
        );
        return e.reason ? e : undefined;
      });
      const r = await postJson(`${s.url}/predict`, { input: SAMPLE });
      assert.equal(r.status, 200);
      assert.equal(r.json.predictions[0].label, "versicolor");
    } finally {
      await s.close();
    }
  });

  test("a removed file unloads its model; the server stays ready with the others", async () => {
    const s = await startTestServer({ withIris: true, config: { watch: true } });
    try {
      rmSync(path.join(s.dir, "iris_int8.tflite"));
      await poll("iris_int8 gone", async () => {
        const r = await postJson(`${s.url}/predict`, { model: "iris_int8", input: SAMPLE });
        return r.status === 404 ? r : undefined;
      });
      assert.equal((await getJson(`${s.url}/health`)).status, 200);
      assert.equal((await postJson(`${s.url}/predict`, { input: SAMPLE })).status, 200);
    } finally {
      await s.close();
    }
  });

  test("with no loadable model the server answers but is not ready", async () => {
    const s = await startTestServer({ withIris: false, models: { "bad.tflite": "nope" } });
    try {
      const h = await getJson(`${s.url}/health`);
      assert.equal(h.status, 503);
      assert.equal(h.json.status, "no model loaded");
      assert.equal((await getJson(`${s.url}/v2/health/ready`)).status, 503);
      assert.equal((await getJson(`${s.url}/v2/health/live`)).status, 200);
      const r = await postJson(`${s.url}/predict`, { input: SAMPLE });
      assert.equal(r.status, 503);
      assert.match(r.json.error, /no model is loaded/);
    } finally {
      await s.close();
    }
  });
});
