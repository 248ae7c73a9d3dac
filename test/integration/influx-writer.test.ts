/**
 * InfluxWriter against a real InfluxDB 1.x: points arrive with their tags and fields; while the database is down
 * nothing is lost (retries with backoff); with a tiny buffer, exactly the overflowing points are counted as
 * dropped and exactly those are missing.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createInfluxTransport } from "../../src/telemetry/influx-transport.js";
import { InfluxWriter, nanoTimestamp } from "../../src/telemetry/influx-writer.js";
import { poll } from "../support/poll.js";
import { influxQuery, missingBinary, type RunningService, startInfluxDb } from "../support/services.js";

const skip = missingBinary("influxd");

function point(i: number, run: string) {
  return {
    measurement: "inference",
    tags: { model: "iris", version: "1", node: "test-node", status: "ok", run },
    fields: { duration_seconds: i / 1000, bytes_in: 100 + i, bytes_out: 50 },
    timestampNs: nanoTimestamp(),
  };
}

async function countPoints(url: string, db: string, run: string): Promise<number> {
  const rows = await influxQuery(url, db, `SELECT count("bytes_in") FROM "inference" WHERE "run" = '${run}'`);
  return rows.length ? Number(rows[0]![1]) : 0;
}

describe("InfluxWriter with a real InfluxDB", { skip: skip ?? false }, () => {
  let influx: RunningService;
  before(async () => {
    influx = await startInfluxDb();
  });
  after(async () => {
    await influx?.stop();
  });

  test("writes every point with its tags and fields, creating the database", async () => {
    const db = "writer_basic";
    const writer = new InfluxWriter({
      transport: createInfluxTransport({ url: influx.url, database: db }),
      flushIntervalMs: 100,
    });
    for (let i = 0; i < 250; i++) writer.write(point(i, "basic"));
    await writer.close();
    assert.equal(writer.stats.written, 250);
    assert.equal(await countPoints(influx.url, db, "basic"), 250);
    const rows = await influxQuery(influx.url, db, `SELECT * FROM "inference" WHERE "run" = 'basic' LIMIT 1`);
    const columns = ["time", "bytes_in", "bytes_out", "duration_seconds", "model", "node", "run", "status", "version"];
    assert.equal(rows[0]!.length, columns.length);
    assert.ok(rows[0]!.includes("iris") && rows[0]!.includes("test-node") && rows[0]!.includes("ok"));
  });

  test("keeps points while the database is down and delivers them when it returns", async () => {
    const db = "writer_outage";
    const errors: number[] = [];
    const writer = new InfluxWriter({
      transport: createInfluxTransport({ url: influx.url, database: db, timeoutMs: 1000 }),
      flushIntervalMs: 100,
      minRetryDelayMs: 50,
      maxRetryDelayMs: 400,
      onWriteError: (_e, attempt) => errors.push(attempt),
    });
    for (let i = 0; i < 40; i++) writer.write(point(i, "outage"));
    await writer.flush();
    assert.equal(await countPoints(influx.url, db, "outage"), 40);

    const { dir, port } = influx;
    await influx.stop();
    for (let i = 0; i < 60; i++) writer.write(point(i, "outage"));
    await poll("a failed write while InfluxDB is down", async () => (errors.length > 0 ? true : undefined));
    influx = await startInfluxDb({ dir, port });
    await poll(
      "all 100 points in InfluxDB",
      async () => ((await countPoints(influx.url, db, "outage")) === 100 ? true : undefined),
      30_000,
    );
    await writer.close();
    assert.equal(writer.stats.dropped, 0);
    assert.equal(writer.stats.written, 100);
  });

  test("with a tiny buffer, the dropped count equals the points missing", async () => {
    const db = "writer_overflow";
    let droppedEvents = 0;
    const writer = new InfluxWriter({
      transport: createInfluxTransport({ url: influx.url, database: db, timeoutMs: 1000 }),
      flushIntervalMs: 100,
      maxBufferPoints: 5,
      minRetryDelayMs: 50,
      maxRetryDelayMs: 200,
      onDropped: (n) => {
        droppedEvents += n;
      },
    });
    writer.write(point(0, "overflow"));
    await writer.flush();
    const { dir, port } = influx;
    await influx.stop();
    for (let i = 1; i <= 20; i++) writer.write(point(i, "overflow"));
    influx = await startInfluxDb({ dir, port });
    await writer.close(20_000);
    const stored = await countPoints(influx.url, db, "overflow");
    assert.equal(writer.stats.dropped, 15);
    assert.equal(droppedEvents, 15);
    assert.equal(stored, 21 - writer.stats.dropped);
  });
});
