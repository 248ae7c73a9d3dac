/**
 * Overload against a real listening server: a full queue answers 503 with Retry-After and the server goes on;
 * requests past REQUEST_TIMEOUT_MS answer 504 (queued or running) and the pool recovers; memory and queue depth
 * stay bounded under a flood.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getJson, metricValue, postJson, scrape, startTestServer, type TestServer } from "../support/server-harness.js";
import { slowModel } from "../support/server-models.js";

const slowInput = () => ({ model: "slow", input: new Array(512).fill(1) });

describe("overload: bounded queue", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      withIris: true,
      models: { "slow.tflite": slowModel(512, 8) },
      config: { workers: 1, maxQueue: 2, inlineThresholdUs: 0, requestTimeoutMs: 20_000 },
    });
  });
  after(() => s.close());

  test("past MAX_QUEUE: 503 with Retry-After; the rest succeed; the server stays up", async () => {
    const results = await Promise.all(Array.from({ length: 24 }, () => postJson(`${s.url}/predict`, slowInput())));
    const ok = results.filter((r) => r.status === 200);
    const rejected = results.filter((r) => r.status === 503);
    assert.equal(ok.length + rejected.length, results.length, results.map((r) => r.status).join(","));
    assert.ok(ok.length >= 3, `${ok.length} succeeded: one running plus a full queue of 2 at least`);
    assert.ok(rejected.length > 0, "some requests were turned away");
    for (const r of rejected) {
      assert.equal(r.json.code, "OVERLOADED");
      assert.match(r.json.error, /busy and 2 requests are queued \(MAX_QUEUE 2\)/);
      assert.ok(Number(r.headers.get("retry-after")) >= 1);
    }
    const health = await getJson(`${s.url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await postJson(`${s.url}/predict`, slowInput())).status, 200);
    const metrics = await scrape(s.url);
    assert.ok(metricValue(metrics, "inference_requests_total", { model: "slow", status: "failure" })! >= 1);
    assert.ok(metricValue(metrics, "inference_failures_total", { model: "slow", reason: "overloaded" })! >= 1);
  });

  test("OIP gets the same 503 in its own error format", async () => {
    const body = { inputs: [{ name: "x", shape: [1, 512], datatype: "FP32", data: new Array(512).fill(1) }] };
    const results = await Promise.all(
      Array.from({ length: 16 }, () => postJson(`${s.url}/v2/models/slow/infer`, body)),
    );
    const rejected = results.filter((r) => r.status === 503);
    assert.ok(rejected.length > 0);
    for (const r of rejected) assert.deepEqual(Object.keys(r.json), ["error"]);
  });

  test("a flood keeps queue depth at MAX_QUEUE and memory bounded", async () => {
    const before = process.memoryUsage().rss;
    let maxDepth = 0;
    let done = false;
    const sampler = (async () => {
      while (!done) {
        const depth = metricValue(await scrape(s.url), "inference_queue_depth") ?? 0;
        maxDepth = Math.max(maxDepth, depth);
      }
    })();
    const statuses = new Map<number, number>();
    // 1,200 requests carrying 512 inputs each, 150 at a time, against a 1-worker pool.
    for (let wave = 0; wave < 8; wave++) {
      const results = await Promise.all(Array.from({ length: 150 }, () => postJson(`${s.url}/predict`, slowInput())));
      for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    done = true;
    await sampler;
    assert.deepEqual([...statuses.keys()].sort(), [200, 503]);
    assert.ok(maxDepth <= 2, `queue depth reached ${maxDepth}`);
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    assert.ok(grown < 300, `RSS grew by ${grown.toFixed(0)} MiB`);
    assert.equal((await getJson(`${s.url}/health`)).status, 200);
  });
});

describe("overload: request timeout", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      withIris: true,
      models: { "slow.tflite": slowModel(512, 48) },
      config: { workers: 1, maxQueue: 8, inlineThresholdUs: 1000, requestTimeoutMs: 25 },
    });
  });
  after(() => s.close());

  test("a request still running after REQUEST_TIMEOUT_MS is a 504; queued ones time out too", async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => postJson(`${s.url}/predict`, slowInput())));
    for (const r of results) {
      assert.equal(r.status, 504, r.text);
      assert.equal(r.json.code, "TIMEOUT");
      assert.match(r.json.error, /timed out (during inference|waiting for an inference worker)/);
    }
    assert.ok(
      results.some((r) => /waiting/.test(r.json.error)),
      "at least one timed out in the queue",
    );
  });

  test("the pool recovers: fast requests go through afterwards", async () => {
    const r = await postJson(`${s.url}/predict`, { model: "iris", input: [5.1, 3.5, 1.4, 0.2] });
    assert.equal(r.status, 200);
    const oip = await postJson(`${s.url}/v2/models/slow/infer`, {
      inputs: [{ name: "x", shape: [1, 512], datatype: "FP32", data: new Array(512).fill(1) }],
    });
    assert.equal(oip.status, 504);
    assert.deepEqual(Object.keys(oip.json), ["error"]);
  });
});
