/**
 * InfluxDB transports over the maintained client libraries: `influx` for 1.x (InfluxQL, database created if
 * missing, optional user/password) and `@influxdata/influxdb-client` for 2.x/3.x (token, org, bucket).
 */
import { InfluxDB as InfluxV2, Point } from "@influxdata/influxdb-client";
import { InfluxDB as InfluxV1 } from "influx";
import type { InfluxPoint, InfluxTransport } from "./influx-writer.js";

export interface InfluxConfig {
  url: string;
  /** 1.x */
  database?: string;
  username?: string;
  password?: string;
  /** 2.x / 3.x: a token selects the v2 write API. */
  token?: string;
  org?: string;
  bucket?: string;
  timeoutMs?: number;
}

function v1Transport(config: InfluxConfig): InfluxTransport {
  const url = new URL(config.url);
  const database = config.database ?? "edge_inference";
  const client = new InfluxV1({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "https:" ? 443 : 8086)),
    protocol: url.protocol === "https:" ? "https" : "http",
    database,
    username: config.username,
    password: config.password,
    options: { timeout: config.timeoutMs ?? 5000 },
  });
  return {
    async prepare() {
      const names = await client.getDatabaseNames();
      if (!names.includes(database)) await client.createDatabase(database);
    },
    async write(points) {
      await client.writePoints(
        points.map((p) => ({ measurement: p.measurement, tags: p.tags, fields: p.fields, timestamp: p.timestampNs })),
        { precision: "n" },
      );
    },
    describe: () => `InfluxDB 1.x at ${url.origin}, database ${database}`,
  };
}

function v2Transport(config: InfluxConfig): InfluxTransport {
  const bucket = config.bucket ?? config.database ?? "edge_inference";
  const org = config.org ?? "";
  const client = new InfluxV2({ url: config.url, token: config.token, timeout: config.timeoutMs ?? 5000 });
  return {
    async prepare() {
      // Buckets on 2.x/3.x are provisioned by their owner; a token rarely may create them, so nothing to do.
    },
    async write(points) {
      // Retries and buffering are ours (InfluxWriter), so the client's own are switched off.
      const api = client.getWriteApi(org, bucket, "ns", { maxRetries: 0, batchSize: points.length + 1 });
      api.writePoints(
        points.map((p) => {
          const point = new Point(p.measurement).timestamp(p.timestampNs);
          for (const [k, v] of Object.entries(p.tags)) point.tag(k, v);
          for (const [k, v] of Object.entries(p.fields)) {
            if (typeof v === "number") point.floatField(k, v);
            else if (typeof v === "boolean") point.booleanField(k, v);
            else point.stringField(k, v);
          }
          return point;
        }),
      );
      await api.close();
    },
    describe: () => `InfluxDB 2.x/3.x at ${config.url}, org ${org || "(default)"}, bucket ${bucket}`,
  };
}

export function createInfluxTransport(config: InfluxConfig): InfluxTransport {
  return config.token ? v2Transport(config) : v1Transport(config);
}
