/**
 * HTTP benchmark (`npm run bench:http`): autocannon, 64 connections, 10 s per target, load generator in this
 * process and each server in its own child process, all on this machine's cores:
 *   1. a bare Fastify 5 JSON echo (`{"input": [...]}` → `{"output": [...]}`, no model) — the ceiling;
 *   2. our POST /predict with the default Iris model, inference on the event loop (the default for tiny models);
 *   3. the same through the worker pool (INLINE_THRESHOLD_US=0) — the inline-versus-pool measurement;
 *   4. person_detect (int8, 96×96×1) through the Open Inference Protocol's binary tensor extension, when
 *      ../shared is present.
 * Prints req/s, p50 and p99 latency and the ratio ours/bare. BENCH_DURATION=<s> shortens every run;
 * `--write <file>` also puts the results in a marked section of that file (bench/RESULTS.md), leaving the rest.
 * Runs the built server (dist/) when present, else the sources through tsx.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer;
}) => Promise<AutocannonResult>;

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHARED = path.resolve(ROOT, process.env.EDGE_SHARED_DIR ?? "../shared");
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 64;

const BARE_SERVER = `
import Fastify from "fastify";
const app = Fastify();
app.post("/predict", async (request) => ({ output: request.body.input }));
await app.listen({ port: 0, host: "127.0.0.1" });
console.log(JSON.stringify({ msg: "listening", port: app.server.address().port }));
`;

interface Child {
  process: ChildProcess;
  url: string;
}

function waitForPort(child: ChildProcess, readyMessage: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let port = 0;
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === "listening") port = entry.port!;
          if (entry.msg === readyMessage && port) resolve(`http://127.0.0.1:${port}`);
        } catch {}
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.on("exit", (code) => reject(new Error(`server exited with code ${code} before it was ready`)));
  });
}

async function startBare(): Promise<Child> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", BARE_SERVER], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { process: child, url: await waitForPort(child, "listening") };
}

async function startOurs(modelDir: string, env: Record<string, string>): Promise<Child> {
  const built = path.join(ROOT, "dist", "cli", "main.js");
  const args = existsSync(built)
    ? [built, "serve"]
    : ["--import", "tsx", path.join(ROOT, "src", "cli", "main.ts"), "serve"];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", MODEL_DIR: modelDir, WATCH: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { process: child, url: await waitForPort(child, "models loaded") };
}

async function stop(child: Child): Promise<void> {
  const exited = new Promise((r) => child.process.once("exit", r));
  child.process.kill("SIGTERM");
  await exited;
}

interface Row {
  target: string;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

async function measure(
  target: string,
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<Row> {
  // A short warm-up lets the JIT settle before the measured run.
  await autocannon({ url, connections: CONNECTIONS, duration: Math.min(2, DURATION), method: "POST", headers, body });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, method: "POST", headers, body });
  const row = {
    target,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failures: r.non2xx + r.errors + r.timeouts,
  };
  process.stdout.write(
    `  ${target}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.failures} failures\n`,
  );
  return row;
}

function binaryRequest(input: Uint8Array): { body: Buffer; headers: Record<string, string> } {
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        { name: "input", shape: [1, 96, 96, 1], datatype: "INT8", parameters: { binary_data_size: input.byteLength } },
      ],
      outputs: [{ name: "MobilenetV1/Predictions/Reshape_1", parameters: { binary_data: true } }],
    }),
  );
  return {
    body: Buffer.concat([header, input]),
    headers: {
      "content-type": "application/octet-stream",
      "inference-header-content-length": String(header.byteLength),
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edge-bench-"));
  for (const f of ["iris.tflite", "iris.json"]) copyFileSync(path.join(ROOT, "models", f), path.join(dir, f));
  const personModel = path.join(SHARED, "oracle", "models", "person_detect.tflite");
  const personInput = path.join(SHARED, "oracle", "cases", "person_detect", "person.in0.bin");
  const withPerson = existsSync(personModel) && existsSync(personInput);
  if (withPerson) copyFileSync(personModel, path.join(dir, "person_detect.tflite"));
  const json = { "content-type": "application/json" };
  const irisBody = JSON.stringify({ input: [5.1, 3.5, 1.4, 0.2] });
  process.stdout.write(
    `autocannon: ${CONNECTIONS} connections, ${DURATION} s per target, ${os.availableParallelism()} cores\n`,
  );
  const rows: Row[] = [];
  const startLoad = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  try {
    const bare = await startBare();
    rows.push(await measure("bare Fastify JSON echo", `${bare.url}/predict`, irisBody, json));
    await stop(bare);

    const inline = await startOurs(dir, {});
    rows.push(await measure("POST /predict iris (inline)", `${inline.url}/predict`, irisBody, json));
    if (withPerson) {
      const { body, headers } = binaryRequest(readFileSync(personInput));
      rows.push(
        await measure("OIP binary person_detect (pool)", `${inline.url}/v2/models/person_detect/infer`, body, headers),
      );
    }
    await stop(inline);

    const pooled = await startOurs(dir, { INLINE_THRESHOLD_US: "0" });
    rows.push(await measure("POST /predict iris (worker pool)", `${pooled.url}/predict`, irisBody, json));
    await stop(pooled);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const bareRps = rows[0]!.rps;
  const lines = ["| target | req/s | p50 ms | p99 ms | ours/bare | failures |", "|---|---:|---:|---:|---:|---:|"];
  for (const r of rows) {
    const ratio = r.target.includes("/predict") || r === rows[0] ? (r.rps / bareRps).toFixed(2) : "-";
    lines.push(`| ${r.target} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${ratio} | ${r.failures} |`);
  }
  const ours = rows.find((r) => r.target.includes("(inline)"))!;
  const pool = rows.find((r) => r.target.includes("(worker pool)"))!;
  const summary = [
    `ratio ours/bare for /predict: ${(ours.rps / bareRps).toFixed(2)} (goal >= 0.8)`,
    `inline/pool for the Iris model: ${(ours.rps / pool.rps).toFixed(2)}`,
    ...(withPerson ? [] : [`(person_detect skipped: ${personModel} not found)`]),
  ];
  process.stdout.write(`\n${lines.join("\n")}\n\n${summary.join("\n")}\n`);
  const target = process.argv.indexOf("--write");
  if (target >= 0 && process.argv[target + 1])
    writeSection(process.argv[target + 1]!, [...lines, "", ...summary.map((l) => `- ${l}`)], startLoad);
}

const START = "<!-- http-bench:start -->";
const END = "<!-- http-bench:end -->";

/** Replaces (or appends) this benchmark's marked section of `file`. */
function writeSection(file: string, body: string[], startLoad: string): void {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
    if (execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT }).toString().trim()) {
      commit += " + uncommitted changes under src/";
    }
  } catch {}
  const section = [
    START,
    "## HTTP benchmark (`npm run bench:http`)",
    "",
    `${new Date().toISOString()} · Node ${process.version} · ${os.availableParallelism()} CPUs · load average ${startLoad} at start, ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        " ",
      )} at the end · commit ${commit} · autocannon ${CONNECTIONS} connections, ${DURATION} s per target, load generator on the same cores`,
    "",
    ...body,
    END,
  ].join("\n");
  const path_ = path.resolve(process.cwd(), file);
  const old = existsSync(path_) ? readFileSync(path_, "utf8") : "";
  const at = old.indexOf(START);
  const end = old.indexOf(END);
  const next =
    at >= 0 && end > at
      ? `${old.slice(0, at)}${section}${old.slice(end + END.length)}`
      : `${old.trimEnd()}${old ? "\n\n" : ""}${section}\n`;
  writeFileSync(path_, next);
  process.stdout.write(`wrote the results to ${file}\n`);
}

await main();
