/**
 * The server as users and Kubernetes run it: the built CLI (`dist/cli/main.js serve`) as a child process,
 * configured by environment variables and flags. SIGTERM drains: readiness turns 503 at once, requests in
 * flight finish, the process exits 0.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { describe, test } from "node:test";
import {
  cliUnavailable,
  getJson,
  makeModelDir,
  metricValue,
  poll,
  postJson,
  scrape,
  startChildServer,
} from "../support/server-harness.js";
import { slowModel } from "../support/server-models.js";

const skip = cliUnavailable();

describe("edge-infer serve as a child process", { skip: skip ?? false }, () => {
  test("SIGTERM: readiness 503 at once, in-flight requests finish, exit code 0", async () => {
    const dir = makeModelDir({ "slow.tflite": slowModel(512, 24) });
    const server = await startChildServer({
      MODEL_DIR: dir,
      WORKERS: "1",
      MAX_QUEUE: "16",
      INLINE_THRESHOLD_US: "1000",
      SHUTDOWN_DELAY_MS: "400",
      SHUTDOWN_GRACE_MS: "15000",
    });
    try {
      assert.equal((await getJson(`${server.url}/health`)).status, 200);
      // Six slow requests on one worker: most of them are still queued or running when the signal arrives.
      const inFlight = Array.from({ length: 6 }, () =>
        postJson(`${server.url}/predict`, { model: "slow", input: new Array(512).fill(1) }),
      );
      await poll("requests queued", async () => {
        return (metricValue(await scrape(server.url), "inference_queue_depth") ?? 0) >= 2 ? true : undefined;
      });
      server.child.kill("SIGTERM");
      const health = await poll("readiness off", async () => {
        const h = await getJson(`${server.url}/health`);
        return h.status === 503 ? h : undefined;
      });
      assert.equal(health.json.status, "draining");
      assert.equal((await getJson(`${server.url}/v2/health/ready`)).status, 503);
      const results = await Promise.all(inFlight);
      assert.deepEqual(
        results.map((r) => r.status),
        [200, 200, 200, 200, 200, 200],
      );
      assert.equal(await server.exited, 0);
      assert.ok(server.output.some((l) => l.includes('"server closed"')));
    } finally {
      server.child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("configuration from the environment, flags winning over it; API_TOKEN turns auth on", async () => {
    const dir = makeModelDir();
    const server = await startChildServer({ MODEL_DIR: "/nonexistent", API_TOKEN: "t0ken", WORKERS: "0" }, [
      "--model-dir",
      dir,
      "--body-limit",
      "1KiB",
    ]);
    try {
      const health = await getJson(`${server.url}/health`);
      assert.equal(health.status, 200);
      assert.ok(health.json.models.every((m: { mode: string }) => m.mode === "inline"));
      assert.equal((await postJson(`${server.url}/predict`, { input: [5.1, 3.5, 1.4, 0.2] })).status, 401);
      const ok = await postJson(
        `${server.url}/predict`,
        { input: [5.1, 3.5, 1.4, 0.2] },
        { authorization: "Bearer t0ken" },
      );
      assert.equal(ok.status, 200);
      assert.equal(ok.json.predictions[0].label, "setosa");
      const big = await postJson(
        `${server.url}/predict`,
        { input: new Array(400).fill(1.5) },
        { authorization: "Bearer t0ken" },
      );
      assert.equal(big.status, 413);
      server.child.kill("SIGINT");
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an invalid setting stops the server with a message naming it", async () => {
    await assert.rejects(startChildServer({ PORT: "eighty" }), /PORT must be an integer in \[0, 65535\], got "eighty"/);
  });
});
