/** The README documents what exists: every server setting, and every metric family the server exports. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CONFIG_OPTIONS } from "../../src/config.js";
import { ServerMetrics } from "../../src/telemetry/metrics.js";
import { PROJECT_ROOT } from "../support/shared.js";

const readme = readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

test("every configuration variable is in the README's table", () => {
  const missing = CONFIG_OPTIONS.map((o) => o.env).filter((env) => !readme.includes(`\`${env}\``));
  assert.deepEqual(missing, []);
});

test("every metric family of ours is documented in the README", async () => {
  const metrics = new ServerMetrics({ nodeName: "n", collectDefault: false });
  const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
  assert.ok(names.length > 10);
  const missing = names.filter((name) => !readme.includes(name));
  assert.deepEqual(missing, []);
});
