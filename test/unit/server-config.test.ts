/** Server configuration: defaults, environment variables, flags over environment, and messages for bad values. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONFIG_OPTIONS, DEFAULT_CONFIG, loadConfig, parseByteSize } from "../../src/config.js";
import { ConfigError } from "../../src/errors.js";

describe("loadConfig", () => {
  test("defaults: port 8080, ./models, 4 MiB body limit, no token", () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.modelDir, "./models");
    assert.equal(c.bodyLimit, 4 * 1024 * 1024);
    assert.equal(c.apiToken, null);
    assert.equal(c.logLevel, "info");
    assert.ok(c.workers >= 1);
    assert.deepEqual(c, { ...DEFAULT_CONFIG });
  });

  test("environment variables, then flags, then overrides", () => {
    const env = {
      PORT: "9000",
      MODEL_DIR: "/srv/models",
      WORKERS: "0",
      BODY_LIMIT: "1MiB",
      API_TOKEN: "x",
      WATCH: "false",
      LOG_LEVEL: "WARN",
    };
    const c = loadConfig(env, { port: "9100", maxQueue: "7" }, { host: "127.0.0.1" });
    assert.equal(c.port, 9100);
    assert.equal(c.modelDir, "/srv/models");
    assert.equal(c.workers, 0);
    assert.equal(c.bodyLimit, 1024 * 1024);
    assert.equal(c.apiToken, "x");
    assert.equal(c.watch, false);
    assert.equal(c.logLevel, "warn");
    assert.equal(c.maxQueue, 7);
    assert.equal(c.host, "127.0.0.1");
  });

  test("bad values name the variable or flag", () => {
    const bad = (env: Record<string, string>, flags: Record<string, string>, message: RegExp) =>
      assert.throws(
        () => loadConfig(env, flags),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    bad({ PORT: "http" }, {}, /^PORT must be an integer in \[0, 65535\], got "http"$/);
    bad({ PORT: "70000" }, {}, /PORT must be an integer in \[0, 65535\]/);
    bad({}, { workers: "-1" }, /^--workers must be an integer in \[0, 256\], got "-1"$/);
    bad({ MAX_QUEUE: "" }, {}, /MAX_QUEUE must be an integer >= 0/);
    bad({ BODY_LIMIT: "4 parsecs" }, {}, /BODY_LIMIT must be a size such as 4194304, 4MiB or 512KiB/);
    bad({ LOG_LEVEL: "loud" }, {}, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    bad({ WATCH: "maybe" }, {}, /WATCH must be true or false/);
  });

  test("sizes", () => {
    assert.equal(parseByteSize("4194304", "X"), 4194304);
    assert.equal(parseByteSize("512 KiB", "X"), 524288);
    assert.equal(parseByteSize("1.5mb", "X"), 1_500_000);
    assert.equal(parseByteSize("1GiB", "X"), 2 ** 30);
  });

  test("every setting has an environment variable and a flag", () => {
    const keys = new Set(CONFIG_OPTIONS.map((o) => o.key));
    assert.deepEqual([...keys].sort(), Object.keys(DEFAULT_CONFIG).sort());
    for (const o of CONFIG_OPTIONS) {
      assert.match(o.env, /^[A-Z_]+$/);
      assert.match(o.flag, /^--[a-z-]+ <[a-z]+>$/);
    }
  });
});
