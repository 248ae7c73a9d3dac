/**
 * Starts real InfluxDB 1.x and Prometheus servers for tests: loopback only, free ports, temporary data
 * directories, stopped and removed afterwards. Under CI=true a missing binary is an error; elsewhere the caller
 * skips with the message returned by `missingBinary`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { poll } from "./poll.js";

export function missingBinary(name: string): string | null {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return null;
  } catch {
    const message = `${name} is not installed (apt-get install ${name === "influxd" ? "influxdb" : "prometheus"})`;
    if (process.env.CI === "true") throw new Error(`${message}; .ci/run must install it`);
    return message;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
  logs(): string;
}

function spawnService(cmd: string, args: string[], dir: string): { child: ChildProcess; logs: () => string } {
  const child = spawn(cmd, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, logs: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** InfluxDB 1.x. `dir` may be given to restart on the same data (the no-loss test). */
export async function startInfluxDb(options: { dir?: string; port?: number } = {}): Promise<RunningService> {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), "edge-influx-"));
  const port = options.port ?? (await freePort());
  const rpcPort = await freePort();
  const config = path.join(dir, "influxdb.conf");
  writeFileSync(
    config,
    [
      "reporting-disabled = true",
      `bind-address = "127.0.0.1:${rpcPort}"`,
      "[meta]",
      `  dir = "${path.join(dir, "meta")}"`,
      "[data]",
      `  dir = "${path.join(dir, "data")}"`,
      `  wal-dir = "${path.join(dir, "wal")}"`,
      "  query-log-enabled = false",
      "[http]",
      `  bind-address = "127.0.0.1:${port}"`,
      "  log-enabled = false",
      "[monitor]",
      "  store-enabled = false",
      "",
    ].join("\n"),
  );
  const { child, logs } = spawnService("influxd", ["-config", config], dir);
  const url = `http://127.0.0.1:${port}`;
  await poll(
    "InfluxDB to answer /ping",
    async () => {
      if (child.exitCode !== null) throw new Error(`influxd exited: ${logs()}`);
      const res = await fetch(`${url}/ping`);
      return res.status === 204 ? true : undefined;
    },
    30_000,
  );
  return {
    url,
    port,
    dir,
    process: child,
    logs,
    async stop() {
      await stopChild(child);
    },
  };
}

export async function influxQuery(url: string, db: string, q: string): Promise<unknown[][]> {
  const res = await fetch(`${url}/query?db=${encodeURIComponent(db)}&q=${encodeURIComponent(q)}`);
  const body = (await res.json()) as {
    results: { series?: { columns: string[]; values: unknown[][] }[]; error?: string }[];
  };
  const result = body.results[0]!;
  if (result.error) throw new Error(result.error);
  return result.series?.[0]?.values ?? [];
}

export async function startPrometheus(configYaml: string): Promise<RunningService> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edge-prom-"));
  const port = await freePort();
  const config = path.join(dir, "prometheus.yml");
  writeFileSync(config, configYaml);
  const { child, logs } = spawnService(
    "prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    dir,
  );
  const url = `http://127.0.0.1:${port}`;
  await poll(
    "Prometheus to be ready",
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${logs()}`);
      const res = await fetch(`${url}/-/ready`);
      return res.ok ? true : undefined;
    },
    30_000,
  );
  return {
    url,
    port,
    dir,
    process: child,
    logs,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function promQuery(
  url: string,
  query: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== "success") throw new Error(`query failed: ${JSON.stringify(body)}`);
  return body.data.result;
}
