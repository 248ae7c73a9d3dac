/**
 * `npm run bench`: warm latency per call of our runtime beside a peer (tfjs-tflite: TensorFlow Lite + XNNPACK in
 * WebAssembly) on the same models and the same inputs (each oracle model's case rand0), with TFLM's native
 * reference timings from the manifest; arena bytes against TFLM's `arena_used_bytes`; the per-op profile of
 * person_detect. A benchmark, never a test: it asserts nothing and always exits 0 unless it cannot start.
 *
 *   npm run bench                          four models, arena summary for every oracle model
 *   npm run bench -- --arena               … plus the arena table of every oracle model
 *   npm run bench -- --arena --write bench/RESULTS.md   … and write the same report as Markdown
 *   npm run bench -- --budget-ms 1000      time spent timing each runtime on each model (default 2500)
 *
 * Every figure per call includes copying the input in and the outputs out, as ../shared/docs/PEERS.md's do.
 * TFLM's native figure times Invoke() alone.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatCount, percentile } from "../src/cli/format.js";
import { Model } from "../src/runtime/model.js";
import type { Session } from "../src/runtime/session.js";
import type { TypedArray } from "../src/runtime/tensor.js";
import {
  loadManifest,
  type OracleCase,
  type OracleModel,
  oraclePath,
  PROJECT_ROOT,
  readBytes,
  sharedUnavailable,
} from "../test/support/shared.js";
import { liteRtInstalled, liteRtPeer } from "./peers/litert.js";
import { bytesOf, type Peer, type PeerSession } from "./peers/peer.js";
import { zeroRank1QuantizedDimension } from "./peers/quantized-dimension.js";
import { tfjsTflite } from "./peers/tfjs-tflite.js";

interface BenchModel {
  name: string;
  /** The peers reject the unmodified file; give them a copy with rank-1 quantized_dimension zeroed. */
  patchForPeers?: boolean;
  /** Per peer name: invocations its timed session may make in all (warm-up and timing), to stay clear of a crash. */
  peerLimits?: Record<string, { maxCalls: number; why: string }>;
}

const MODELS: BenchModel[] = [
  { name: "person_detect", patchForPeers: true },
  { name: "micro_speech_quantized" },
  { name: "hello_world_int8" },
  {
    name: "keyword_scrambled",
    peerLimits: {
      "tfjs-tflite": {
        maxCalls: 300,
        why: "it crashes with `memory access out of bounds` at the ~366th invocation of an SVDF model (PEERS.md)",
      },
    },
  },
];

const CASE = "rand0";

// ---------------------------------------------------------------------------------------------------------------
// Arguments

interface Options {
  arena: boolean;
  write: string | null;
  budgetMs: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { arena: false, write: null, budgetMs: 2500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--arena") opts.arena = true;
    else if (a === "--write") opts.write = argv[++i] ?? fail("--write needs a file");
    else if (a === "--budget-ms") {
      opts.budgetMs = Number(argv[++i]);
      if (!(opts.budgetMs > 0)) fail("--budget-ms needs a positive number");
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(
        "usage: npm run bench -- [--arena] [--write <file.md>] [--budget-ms <ms per runtime per model>]\n",
      );
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  return opts;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Timing

/** One runtime calling one model; samples are µs per call (a sample is the mean of a batch of calls). */
class Contender {
  readonly samples: number[] = [];
  calls = 0;
  batch = 1;
  error: string | null = null;

  constructor(
    private readonly fn: () => void,
    private readonly maxCalls = Number.POSITIVE_INFINITY,
  ) {}

  private call(): void {
    this.calls++;
    this.fn();
  }

  /**
   * Untimed warm-up for `warmupMs` (at least 10 calls, at most a fifth of the cap), then sizes the batch from the
   * later warm-up calls so that one sample lasts about `batchUs`.
   */
  warm(warmupMs: number, batchUs: number): void {
    const times: number[] = [];
    const cap = Math.max(5, Math.floor(this.maxCalls / 5));
    const end = performance.now() + warmupMs;
    while ((times.length < 10 || performance.now() < end) && times.length < cap) {
      const t0 = performance.now();
      this.call();
      times.push((performance.now() - t0) * 1000);
    }
    const late = times.slice(Math.floor(times.length / 2)).sort((a, b) => a - b);
    const est = Math.max(0.01, percentile(late, 50));
    this.batch = Math.max(1, Math.min(5000, Math.ceil(batchUs / est)));
  }

  /** Takes samples for about `ms` (at least `minSamples`, at most `maxSamples`), within the call cap. */
  round(ms: number, minSamples: number, maxSamples: number, roundsLeft: number): void {
    const callBudget = Math.floor((this.maxCalls - this.calls) / roundsLeft);
    const sampleCap = Math.min(maxSamples, Math.floor(callBudget / this.batch));
    const end = performance.now() + ms;
    for (let s = 0; s < sampleCap && (s < minSamples || performance.now() < end); s++) {
      const t0 = performance.now();
      for (let b = 0; b < this.batch; b++) this.call();
      this.samples.push(((performance.now() - t0) * 1000) / this.batch);
    }
  }

  stats(): { median: number; p90: number } | null {
    if (this.samples.length === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { median: percentile(sorted, 50), p90: percentile(sorted, 90) };
  }
}

const ROUNDS = 5;
const BATCH_US = 50;

/** Warm-up, then rounds interleaved between the contenders, so that the machine's noise falls on all alike. */
function measure(contenders: Contender[], budgetMs: number): void {
  for (const c of contenders) guarded(c, () => c.warm(150, BATCH_US));
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of contenders) if (!c.error) guarded(c, () => c.round(budgetMs / ROUNDS, 4, 400, ROUNDS - r));
  }
}

function guarded(c: Contender, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    c.error = `failed at call ${c.calls}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Our runtime, called the way a server would: copy input bytes in, invoke, copy outputs out.

function ourCall(session: Session): (inputs: readonly Uint8Array[]) => TypedArray[] {
  const inputViews = session.model.inputs.map((_, k) => bytesOf(session.input(k)));
  const n = session.model.outputs.length;
  return (inputs) => {
    for (let k = 0; k < inputViews.length; k++) inputViews[k]!.set(inputs[k]!);
    session.invoke();
    const out = new Array<TypedArray>(n);
    for (let k = 0; k < n; k++) out[k] = session.output(k).slice();
    return out;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Output comparison (information only)

type Numeric = ArrayLike<number | bigint>;

function compare(a: Numeric, b: Numeric): { differing: number; maxAbs: number; count: number } {
  let differing = 0;
  let maxAbs = 0;
  const count = Math.min(a.length, b.length);
  for (let i = 0; i < count; i++) {
    const d = Math.abs(Number(a[i]) - Number(b[i]));
    if (d !== 0) differing++;
    if (d > maxAbs) maxAbs = d;
  }
  return { differing: differing + Math.abs(a.length - b.length), maxAbs, count };
}

interface Diff {
  differing: number;
  maxAbs: number;
  count: number;
}

function diff(outs: readonly Numeric[], refs: readonly Numeric[]): Diff {
  const total: Diff = { differing: 0, maxAbs: 0, count: 0 };
  outs.forEach((o, k) => {
    const c = compare(o, refs[k] ?? []);
    total.differing += c.differing;
    total.maxAbs = Math.max(total.maxAbs, c.maxAbs);
    total.count += c.count;
  });
  return total;
}

function describeDiff(d: Diff): string {
  if (d.differing === 0) return `identical (${d.count} values)`;
  return `${d.differing} of ${d.count} values differ, max |Δ| = ${d.maxAbs} units`;
}

function preview(outs: readonly Numeric[]): string {
  const flat = outs.flatMap((o) => Array.from(o as ArrayLike<number>, Number));
  return `[${flat.slice(0, 8).join(", ")}${flat.length > 8 ? ", …" : ""}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Report

/** The report, printed at the end (progress goes to stderr meanwhile). */
const lines: string[] = [];
function out(line = ""): void {
  lines.push(line);
}

/** A Markdown table padded for the terminal too; the first `left` columns are left-aligned, the others right. */
function mdTable(headers: string[], rows: (string | number)[][], left = 1): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(3, ...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    `| ${r.map((v, c) => (c < left ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(" | ")} |`;
  out(line(cells[0]!));
  out(`| ${widths.map((w, c) => (c < left ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`);
  for (const r of cells.slice(1)) out(line(r));
}

const us = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b >= 10 ? 1 : 2)}×`;

function gitDescription(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    return `${commit.trim()}${dirty.trim() ? " + uncommitted changes under src/" : ""}`;
  } catch {
    return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

interface Stats {
  median: number;
  p90: number;
}

interface PeerResult {
  peer: Peer;
  stats: Stats | null;
  /** Why there is no figure. */
  why: string | null;
  /** Ran an in-memory patched copy of the model. */
  patched: boolean;
  casesChecked: number;
  casesDiffering: number;
  /** Largest difference from our outputs, in units of the output type. */
  maxDelta: number;
  notes: string[];
}

interface Row {
  name: string;
  ours: Stats | null;
  oursError: string | null;
  oursExact: boolean;
  peers: PeerResult[];
  tflmUs: number;
  arena: string;
  notes: string[];
}

function caseInputs(m: OracleModel): Uint8Array[] {
  const c = m.cases.find((x) => x.name === CASE);
  if (!c) throw new Error(`no case ${CASE}`);
  return c.inputs.map((f) => readBytes(oraclePath(f)));
}

function readCase(m: OracleModel, c: OracleCase, proto: readonly TypedArray[]) {
  const inputs = c.inputs.map((f) => readBytes(oraclePath(f)));
  const outputs = c.outputs.map((f, k) => {
    const bytes = readBytes(oraclePath(f));
    const like = proto[k]!;
    const Ctor = like.constructor as new (b: ArrayBufferLike, o: number, n: number) => TypedArray;
    return new Ctor(bytes.buffer, bytes.byteOffset, bytes.byteLength / like.BYTES_PER_ELEMENT);
  });
  if (inputs.length !== m.inputs.length) throw new Error(`case ${c.name}: ${inputs.length} inputs`);
  return { name: c.name, inputs, outputs };
}

/** The model bytes a peer gets, or why it cannot load the model at all. */
async function peerModelBytes(
  peer: Peer,
  bench: BenchModel,
  bytes: Uint8Array,
  notes: string[],
): Promise<Uint8Array | string> {
  try {
    (await peer.load(bytes)).dispose();
    return bytes;
  } catch (err) {
    const reason = (err as Error).message;
    if (!bench.patchForPeers) return `rejects the model: ${reason}`;
    const patch = zeroRank1QuantizedDimension(bytes);
    try {
      (await peer.load(patch.bytes)).dispose();
    } catch (err2) {
      return `rejects the model, even patched: ${(err2 as Error).message}`;
    }
    notes.push(
      `rejects the unmodified file (${reason.split("; ")[0]}); runs here on an in-memory copy with ` +
        `quantized_dimension zeroed on ${patch.patched.length} rank-1 tensors`,
    );
    return patch.bytes;
  }
}

async function benchModel(bench: BenchModel, peers: readonly Peer[], budgetMs: number): Promise<Row> {
  const m = loadManifest().models[bench.name];
  if (!m) throw new Error(`${bench.name} is not in the manifest`);
  const bytes = readBytes(oraclePath(m.file));
  const model = Model.fromBytes(bytes);
  const state = model.variableBytes;
  const row: Row = {
    name: bench.name,
    ours: null,
    oursError: null,
    oursExact: false,
    peers: [],
    tflmUs: m.invoke_median_us,
    arena:
      `${formatCount(model.arenaBytes + state)} / ${formatCount(m.arena_used_bytes)}` +
      (state ? ` (incl. ${formatCount(state)} state)` : ""),
    notes: [],
  };
  const proto = model.outputs.map((_, k) => model.createSession().output(k));
  const cases = m.cases.filter((c) => !c.sequential_frames).map((c) => readCase(m, c, proto));
  const timed = cases.find((c) => c.name === CASE);
  if (!timed) throw new Error(`${bench.name} has no case ${CASE}`);

  // Outputs, information only: each case on a fresh session (as the oracle ran it), against the oracle.
  const ourOutputs = cases.map((c) => ourCall(model.createSession())(c.inputs));
  const oracleDiffs = cases.map((c, i) => diff(ourOutputs[i]!, c.outputs));
  const inexact = cases.flatMap((c, i) =>
    oracleDiffs[i]!.differing ? [`${c.name}: ${describeDiff(oracleDiffs[i]!)}`] : [],
  );
  row.oursExact = inexact.length === 0;
  row.notes.push(
    `ours vs TFLM oracle, fresh session per case: ${cases.length - inexact.length} of ${cases.length} cases ` +
      `identical${inexact.length ? ` (${inexact.join("; ")})` : ""}`,
  );

  const session = model.createSession();
  const oursFn = ourCall(session);
  // Also ours without the copies, on its own session: TFLM's figure times Invoke() alone.
  const bare = model.createSession();
  ourCall(bare)(timed.inputs);
  const invokeOnly = new Contender(() => bare.invoke());
  const contenders: Contender[] = [new Contender(() => oursFn(timed.inputs)), invokeOnly];
  const peerContenders: (Contender | null)[] = [];
  const sessions: PeerSession[] = [];
  for (const peer of peers) {
    const result: PeerResult = {
      peer,
      stats: null,
      why: null,
      patched: false,
      casesChecked: 0,
      casesDiffering: 0,
      maxDelta: 0,
      notes: [],
    };
    row.peers.push(result);
    const limit = bench.peerLimits?.[peer.name];
    const peerBytes = await peerModelBytes(peer, bench, bytes, result.notes);
    result.patched = peerBytes !== bytes;
    if (typeof peerBytes === "string") {
      result.why = peerBytes;
      peerContenders.push(null);
      continue;
    }
    try {
      // Against our outputs, case by case (a fresh peer instance per case for models with state).
      let checker = await peer.load(peerBytes);
      const diffs: string[] = [];
      for (let i = 0; i < cases.length; i++) {
        if (i > 0 && m.has_variable_tensors) {
          checker.dispose();
          checker = await peer.load(peerBytes);
        }
        const peerOut = checker.call(cases[i]!.inputs);
        const d = diff(peerOut, ourOutputs[i]!);
        result.casesChecked++;
        if (d.differing) result.casesDiffering++;
        result.maxDelta = Math.max(result.maxDelta, d.maxAbs);
        diffs.push(
          d.differing === 0
            ? `${cases[i]!.name} identical`
            : `${cases[i]!.name}: ${describeDiff(d)} (peer ${preview(peerOut)}, ours ${preview(ourOutputs[i]!)})`,
        );
      }
      checker.dispose();
      result.notes.push(`outputs vs ours: ${diffs.join("; ")}`);
      const s = await peer.load(peerBytes);
      sessions.push(s);
      const c = new Contender(() => s.call(timed.inputs), limit?.maxCalls);
      contenders.push(c);
      peerContenders.push(c);
    } catch (err) {
      result.why = `fails when called: ${(err as Error).message}`;
      peerContenders.push(null);
    }
  }

  measure(contenders, budgetMs);
  const oc = contenders[0]!;
  row.ours = oc.stats();
  row.oursError = oc.error;
  const bareStats = invokeOnly.stats();
  row.notes.push(
    `ours: ${oc.samples.length} samples × ${oc.batch} call(s)` +
      (bareStats
        ? `; \`invoke()\` alone (no copies, as TFLM's figure): median ${us(bareStats.median)} µs = ` +
          `${ratio(bareStats.median, row.tflmUs)} TFLM native`
        : ""),
  );
  row.peers.forEach((r, k) => {
    const c = peerContenders[k];
    if (!c) return;
    if (c.error) r.why = c.error;
    else r.stats = c.stats();
    const limit = bench.peerLimits?.[r.peer.name];
    r.notes.push(
      `${c.samples.length} samples × ${c.batch} call(s)` +
        (limit ? `; timed session capped at ${limit.maxCalls} calls (made ${c.calls}): ${limit.why}` : ""),
    );
  });
  for (const s of sessions) s.dispose();
  return row;
}

function printSpeedTable(rows: Row[], peers: readonly Peer[]): void {
  out("## Warm latency per call (µs)");
  out();
  out(`Peers: ${peers.map((p) => p.label).join("; ")}. Input: each model's oracle case \`${CASE}\`.`);
  out();
  const multi = peers.length > 1;
  mdTable(
    [
      "model",
      "ours median / p90",
      ...peers.flatMap((p) => [`${multi ? p.name : "peer"} median / p90`, `ours/${multi ? p.name : "peer"}`]),
      "TFLM native median",
      "ours/TFLM",
      "arena bytes ours / TFLM",
    ],
    rows.map((r) => [
      r.name,
      r.ours ? `${us(r.ours.median)} / ${us(r.ours.p90)}` : "failed",
      ...r.peers.flatMap((p) => [
        p.stats ? `${us(p.stats.median)} / ${us(p.stats.p90)}` : "(see below)",
        r.ours && p.stats ? ratio(r.ours.median, p.stats.median) : "-",
      ]),
      us(r.tflmUs),
      r.ours ? ratio(r.ours.median, r.tflmUs) : "-",
      r.arena,
    ]),
  );
  out();
  for (const r of rows) {
    out(`- **${r.name}**`);
    if (r.oursError) out(`  - ours ${r.oursError}`);
    for (const n of r.notes) out(`  - ${n}`);
    for (const p of r.peers) {
      if (p.why) out(`  - ${p.peer.name}: **no figure**: ${p.why}`);
      for (const n of p.notes) out(`  - ${p.peer.name}: ${n}`);
    }
  }
  out();
}

function profileSection(budgetMs: number): string {
  const m = loadManifest().models.person_detect!;
  const model = Model.fromBytes(readBytes(oraclePath(m.file)));
  const session = model.createSession();
  const call = ourCall(session);
  const inputs = caseInputs(m);
  for (let i = 0; i < 5; i++) call(inputs);
  const profile = session.startProfile();
  const end = performance.now() + budgetMs;
  let runs = 0;
  while (runs < 10 || (runs < 50 && performance.now() < end)) {
    call(inputs);
    runs++;
  }
  session.stopProfile();
  const total = profile.reduce((s, p) => s + p.ms, 0) || 1;
  const perCall = (ms: number, calls: number) => (ms * 1000) / Math.max(1, calls);
  out("## Per-op profile of person_detect (ours)");
  out();
  out(
    `${runs} profiled calls (mean per call; profiling adds a timer per op). Total ${us((total * 1000) / runs)} µs per ` +
      `call, ${formatCount(model.totalMacs)} MACs.`,
  );
  out();
  // Grouped by op and filter size (strides and multipliers apart).
  const byOp = new Map<string, { count: number; ms: number; macs: number }>();
  profile.forEach((p, k) => {
    const key = `${p.op} ${kernelShape(model, k).replace(/\/.*$| .*$/, "")}`.trim();
    const e = byOp.get(key) ?? { count: 0, ms: 0, macs: 0 };
    e.count++;
    e.ms += p.ms;
    e.macs += p.macs;
    byOp.set(key, e);
  });
  const groups = [...byOp.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const totalMacs = model.totalMacs || 1;
  const where = groups
    .filter(([, e]) => e.ms / total >= 0.01)
    .map(
      ([op, e]) =>
        `${op}: ${((100 * e.ms) / total).toFixed(0)}% of the time for ${((100 * e.macs) / totalMacs).toFixed(1)}% ` +
        (e.macs ? `of the MACs (${(e.macs / (e.ms / runs) / 1e6).toFixed(2)} GMAC/s)` : "of the MACs"),
    )
    .join("; ");
  out(`Where the time goes: ${where}.`);
  out();
  mdTable(
    ["op, filter", "count", "µs per call", "share", "MACs", "GMAC/s"],
    groups.map(([op, e]) => {
      const t = e.ms / runs;
      return [
        op,
        e.count,
        us(t * 1000),
        `${((100 * e.ms) / total).toFixed(1)}%`,
        formatCount(e.macs),
        e.macs ? (e.macs / t / 1e6).toFixed(2) : "-",
      ];
    }),
  );
  out();
  mdTable(
    ["#", "op", "kernel", "input → output", "µs per call", "share", "MACs", "GMAC/s"],
    profile.map((p, k) => {
      const t = perCall(p.ms, p.calls);
      return [
        p.index,
        p.op,
        kernelShape(model, k),
        ioShape(model, k),
        us(t),
        `${((100 * p.ms) / total).toFixed(1)}%`,
        formatCount(p.macs),
        p.macs && t > 0 ? (p.macs / t / 1e3).toFixed(2) : "-",
      ];
    }),
    4,
  );
  out();
  return where;
}

function summarySection(rows: Row[], peers: readonly Peer[], where: string, arena: ArenaSummary): void {
  out("## Summary");
  out();
  const pd = rows.find((r) => r.name === "person_detect");
  if (pd?.ours) {
    const vsTflm = pd.ours.median / pd.tflmUs;
    const vsPeers = pd.peers
      .filter((p) => p.stats)
      .map((p) => `${ratio(pd.ours!.median, p.stats!.median)} ${p.peer.name}'s ${us(p.stats!.median)} µs`)
      .join(", ");
    out(
      `- **person_detect**: ours ${us(pd.ours.median)} µs median (p90 ${us(pd.ours.p90)}) = ${ratio(pd.ours.median, pd.tflmUs)} ` +
        `TFLM's native reference (${us(pd.tflmUs)} µs): first speed target (≤ TFLM native) ` +
        `**${vsTflm <= 1 ? "met" : "not met"}** in this run. Against the XNNPACK peers: ${vsPeers || "no peer figure"}.`,
    );
  }
  for (const r of rows) {
    if (r === pd || !r.ours) continue;
    const vsPeers = r.peers
      .filter((p) => p.stats)
      .map((p) => `${ratio(r.ours!.median, p.stats!.median)} ${p.peer.name}`)
      .join(", ");
    out(
      `- ${r.name}: ours ${us(r.ours.median)} µs = ${ratio(r.ours.median, r.tflmUs)} TFLM native` +
        `${vsPeers ? `, ${vsPeers}` : ""}.`,
    );
  }
  out(`- Where person_detect's time goes (ours): ${where}.`);
  out(
    `- Arena: ${arena.below} of ${arena.count} oracle models at or below TFLM's \`arena_used_bytes\`` +
      `${arena.over.length ? `; over: ${arena.over.join(", ")}` : ""}` +
      `${arena.failed.length ? `; failed to load: ${arena.failed.join("; ")}` : ""}.`,
  );
  const allExact = rows.every((r) => r.oursExact);
  for (const peer of peers) {
    const results = rows.flatMap((r) => r.peers.filter((p) => p.peer === peer).map((p) => ({ row: r, p })));
    const facts: string[] = [];
    for (const { row, p } of results) {
      if (p.why) facts.push(`no figure for ${row.name} (${p.why})`);
      else if (p.patched) facts.push(`runs ${row.name} only as a patched copy`);
    }
    const checked = results.reduce((n, x) => n + x.p.casesChecked, 0);
    const differing = results.filter((x) => x.p.casesDiffering > 0);
    facts.push(
      differing.length
        ? `its outputs differ from ours${allExact ? " (= TFLM's)" : ""} by at most ${Math.max(...differing.map((x) => x.p.maxDelta))} ` +
            `units in ${differing.reduce((n, x) => n + x.p.casesDiffering, 0)} of ${checked} cases ` +
            `(${differing.map((x) => x.row.name).join(", ")}), identical in the others`
        : `its outputs equal ours in all ${checked} cases run`,
    );
    out(`- ${peer.name}: ${facts.join("; ")}.`);
  }
  const exact = rows.filter((r) => r.oursExact).length;
  out(`- Ours: outputs identical to the TFLM oracle in every case of ${exact} of ${rows.length} benchmarked models.`);
  out();
}

function notesSection(): void {
  out("## Method and caveats");
  out();
  for (const note of [
    "One call = copy the case's raw input bytes into the runtime's input tensor(s), invoke, copy the output(s) " +
      "out, as in ../shared/docs/PEERS.md. Ours: `Model.fromBytes(bytes).createSession()`, `session.input(k)` " +
      "views, `session.invoke()`, `session.output(k).slice()`.",
    "Warm-up ≥ 150 ms untimed, then 5 rounds interleaving ours and each peer; a sample is the mean of a batch of " +
      "calls sized to last ≥ 50 µs (so sub-µs calls are not lost in timer overhead; their p90 is over batch means).",
    "TFLM's figure is the manifest's `invoke_median_us`: TFLM's reference kernels, C++ -O2, on this machine kind, " +
      "Invoke() alone (inputs copied outside the timed region) — for hello_world_int8 the copy and the call into " +
      "the runtime are most of our figure.",
    "tfjs-tflite: test/support/tfjs-tflite.ts loads it (single-threaded SIMD build forced); its tensor wrappers " +
      "are fetched once per session and their `data()` views taken per call. Fetching them per call " +
      "(`getInputs()`/`getOutputs()`) adds several µs (~7 µs on hello_world_int8, measured once), which likely " +
      "explains PEERS.md's 4.2 µs there.",
    "LiteRT.js: optional (bench/peers/litert.ts, skipped if @litertjs/core is absent); low-level Emscripten " +
      "bindings because its public API has no int8/int16 tensors; relaxed SIMD enabled at run time with " +
      "`v8.setFlagsFromString`; dynamic dimensions (hello_world's batch) fixed to 1 to size the input buffers; " +
      "`run()` allocates new output buffers per call (part of its figure).",
    "Both peers reject person_detect.tflite as shipped (`quantized_dimension` 3 on 14 rank-1 bias tensors, which " +
      "TFLM ignores); they run an in-memory copy with those fields zeroed (bench/peers/quantized-dimension.ts). " +
      "Our runtime runs the unmodified file.",
    "Arena: ours = planned arena (activations + kernel scratch) + variable-tensor state. TFLM's " +
      "`arena_used_bytes` also holds its bookkeeping (tensor/node structs, per-op data, 64-bit host), while our " +
      "per-op data (packed weights, multipliers) lives on the JS heap, outside this figure.",
  ]) {
    out(`- ${note}`);
  }
  out();
}

const dims = (shape: readonly number[]) => (shape.length === 4 ? shape.slice(1) : shape).join("×");

/** Filter size and stride of a convolution node (e.g. "3×3/2 dw"), else "". */
function kernelShape(model: Model, k: number): string {
  const n = model.nodes[k]!;
  const filter = model.graph.tensors[n.def.inputs[1] ?? -1];
  if (!filter || (n.def.opName !== "CONV_2D" && n.def.opName !== "DEPTHWISE_CONV_2D")) return "";
  const stride = Number(n.def.options.strideW ?? 1);
  const multiplier = Number(n.def.options.depthMultiplier ?? 1);
  return `${filter.shape[1]}×${filter.shape[2]}${stride > 1 ? `/${stride}` : ""}${multiplier > 1 ? ` ×${multiplier}` : ""}`;
}

function ioShape(model: Model, k: number): string {
  const n = model.nodes[k]!;
  const input = model.graph.tensors[n.def.inputs[0] ?? -1];
  const output = model.graph.tensors[n.def.outputs[0] ?? -1];
  return input && output ? `${dims(input.shape)} → ${dims(output.shape)}` : "";
}

interface ArenaSummary {
  below: number;
  count: number;
  over: string[];
  failed: string[];
}

function arenaSection(full: boolean): ArenaSummary {
  const manifest = loadManifest();
  const rows: (string | number)[][] = [];
  const over: string[] = [];
  const failed: string[] = [];
  let below = 0;
  let oursSum = 0;
  let tflmSum = 0;
  for (const name of Object.keys(manifest.models).sort((a, b) => a.localeCompare(b, "en", { numeric: true }))) {
    const m = manifest.models[name]!;
    try {
      const model = Model.fromBytes(readBytes(oraclePath(m.file)));
      const state = model.variableBytes;
      const total = model.arenaBytes + state;
      oursSum += total;
      tflmSum += m.arena_used_bytes;
      if (total <= m.arena_used_bytes) below++;
      else over.push(`${name} (+${formatCount(total - m.arena_used_bytes)} B)`);
      rows.push([
        name,
        formatCount(model.arenaBytes),
        formatCount(state),
        formatCount(total),
        formatCount(m.arena_used_bytes),
        `${((100 * total) / m.arena_used_bytes).toFixed(0)}%`,
        total <= m.arena_used_bytes ? "yes" : "**no**",
      ]);
    } catch (err) {
      failed.push(`${name}: ${(err as Error).message}`);
      rows.push([name, "-", "-", "-", formatCount(m.arena_used_bytes), "-", "load failed"]);
    }
  }
  const count = Object.keys(manifest.models).length;
  out("## Arena bytes against TFLM's `arena_used_bytes`");
  out();
  out(
    `Ours = planned arena (activations + kernel scratch) + variable-tensor state (kept beside the arena, but inside ` +
      `TFLM's). TFLM's figure also holds its own bookkeeping (tensor and node structs, per-op data; 64-bit host).`,
  );
  out();
  out(
    `**${below} of ${count} models at or below TFLM**; over: ${over.length ? over.join(", ") : "none"}; failed to ` +
      `load: ${failed.length ? failed.join("; ") : "none"}. Sum over the loaded models: ours ${formatCount(oursSum)} B, ` +
      `TFLM ${formatCount(tflmSum)} B (${((100 * oursSum) / (tflmSum || 1)).toFixed(0)}%).`,
  );
  out();
  if (full) {
    mdTable(["model", "ours arena", "ours state", "ours total", "TFLM arena_used_bytes", "ours/TFLM", "≤ TFLM"], rows);
    out();
  } else {
    out("(`npm run bench -- --arena` lists every model.)");
    out();
  }
  return { below, count, over, failed };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const why = sharedUnavailable();
  if (why) fail(why);
  const started = performance.now();
  const load0 = os.loadavg();
  const peers: Peer[] = liteRtInstalled() ? [tfjsTflite, liteRtPeer] : [tfjsTflite];

  const rows: Row[] = [];
  for (const bench of MODELS) {
    process.stderr.write(`bench: ${bench.name}…\n`);
    rows.push(await benchModel(bench, peers, opts.budgetMs));
  }
  const body = lines.splice(0);
  printSpeedTable(rows, peers);
  process.stderr.write("bench: person_detect profile…\n");
  const where = profileSection(Math.min(opts.budgetMs, 2000));
  process.stderr.write("bench: arena bytes of every oracle model…\n");
  const arena = arenaSection(opts.arena);
  notesSection();
  const sections = lines.splice(0, lines.length, ...body);
  lines.length = 0;

  out("# Runtime benchmark");
  out();
  out(
    `${new Date().toISOString()} · Node ${process.version} · ${os.availableParallelism()} CPUs ` +
      `(${os.cpus()[0]?.model ?? "?"}, nproc ${os.availableParallelism()}) · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · ` +
      `load average ${load0.map((x) => x.toFixed(2)).join(" ")} at start, ` +
      `${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")} at the end · commit ${gitDescription()} · took ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  out();
  out(
    "Produced by `npm run bench -- --arena --write bench/RESULTS.md`. The machine's 2 cores are shared with other " +
      "work: figures are noisy; compare within one run (ours and the peers are timed in interleaved rounds).",
  );
  out();
  summarySection(rows, peers, where, arena);
  lines.push(...sections);
  process.stdout.write(`${lines.join("\n")}\n`);
  if (opts.write) {
    const file = path.resolve(process.cwd(), opts.write);
    // The HTTP benchmark keeps its own marked section in the same file; carry it over.
    const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
    const http = /<!-- http-bench:start -->[\s\S]*<!-- http-bench:end -->/.exec(previous)?.[0];
    writeFileSync(file, `${lines.join("\n").trimEnd()}\n${http ? `\n${http}\n` : ""}`);
    process.stderr.write(`bench: wrote ${file}\n`);
  }
}

await main();
