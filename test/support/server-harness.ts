/**
 * A real listening server (port 0, loopback) on a temporary model directory, for integration tests; logs are
 * captured instead of printed. Also: polling without fixed sleeps, and starting the built CLI as a child process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { loadConfig, type ServerConfig } from "../../src/config.js";
import { type RunningServer, startServer } from "../../src/server/start.js";
import { PROJECT_ROOT } from "./shared.js";

export { poll } from "./poll.js";

export const IRIS_FILES = ["iris.tflite", "iris.json", "iris_int8.tflite", "iris_int8.json"];

export interface TestServer {
  url: string;
  dir: string;
  logs: string[];
  server: RunningServer;
  close(): Promise<void>;
}

export function makeModelDir(models: Record<string, Uint8Array | string> = {}, withIris = true): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edge-models-"));
  if (withIris) for (const f of IRIS_FILES) copyFileSync(path.join(PROJECT_ROOT, "models", f), path.join(dir, f));
  for (const [file, contents] of Object.entries(models)) writeFileSync(path.join(dir, file), contents);
  return dir;
}

export async function startTestServer(
  options: {
    config?: Partial<ServerConfig>;
    models?: Record<string, Uint8Array | string>;
    withIris?: boolean;
    dir?: string;
  } = {},
): Promise<TestServer> {
  const dir = options.dir ?? makeModelDir(options.models, options.withIris ?? true);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const config = loadConfig(
    {},
    {},
    { port: 0, host: "127.0.0.1", modelDir: dir, workers: 2, pollIntervalMs: 0, ...options.config },
  );
  const server = await startServer(config, { logStream });
  return {
    url: `http://127.0.0.1:${server.port}`,
    dir,
    logs,
    server,
    async close() {
      await server.shutdown("test done");
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes.
  return { status: response.status, headers: response.headers, json: json as any, text };
}

export async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes.
  return { status: response.status, headers: response.headers, json: json as any, text };
}

export const CLI_ENTRY = path.join(PROJECT_ROOT, "dist", "cli", "main.js");

/** Why the built CLI cannot be used (not built yet), or null. Under CI=true a missing build is an error. */
export function cliUnavailable(): string | null {
  if (existsSync(CLI_ENTRY)) return null;
  const message = "dist/cli/main.js is not built (run npm run build)";
  if (process.env.CI === "true") throw new Error(`${message}; npm test builds it first`);
  return message;
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<number | null>;
}

/** Starts `edge-infer serve` from dist as a child process and waits for its "listening" log line. */
export async function startChildServer(env: Record<string, string>, args: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [CLI_ENTRY, "serve", ...args], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  let buffered = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === "models loaded") resolve(line);
        } catch {}
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) =>
      reject(new Error(`server exited with code ${code} before loading models:\n${output.join("\n")}`)),
    );
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    await ready;
  } finally {
    clearTimeout(timeout);
  }
  const listening = output
    .map((l) => {
      try {
        return JSON.parse(l) as { msg?: string; port?: number };
      } catch {
        return {};
      }
    })
    .find((e) => e.msg === "listening");
  return { child, url: `http://127.0.0.1:${listening!.port}`, output, exited };
}

/** The value of one series in Prometheus text, matched by name and (a subset of) its labels. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

export async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}
