/**
 * `edge-infer bench`: warm latency percentiles of one session on fixed random inputs, with a progress bar, then
 * where the time goes (per-op profile from a separate profiled pass, so the timing pass carries no profiling cost).
 */

import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { Model } from "../runtime/model.js";
import type { Session } from "../runtime/session.js";
import { formatCount, percentile, table } from "./format.js";

export interface BenchResult {
  runs: number;
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
  minMs: number;
  meanMs: number;
}

/** Deterministic pseudo-random bytes (xorshift32) so runs are comparable. */
export function fillRandomInputs(session: Session, seed = 12345): void {
  let x = seed >>> 0 || 1;
  session.model.inputs.forEach((t, k) => {
    const view = session.input(k);
    if (view instanceof Float32Array || view instanceof Float64Array) {
      for (let i = 0; i < view.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        view[i] = ((x >>> 0) / 2 ** 32) * 2 - 1;
      }
    } else if (!(view instanceof BigInt64Array || view instanceof BigUint64Array)) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      // Shape operands (e.g. TRANSPOSE_CONV's output shape) must stay valid: leave int32 inputs of rank 1 alone.
      if (t.dtype === "int32" && t.shape.length === 1) return;
      for (let i = 0; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
    }
  });
}

export function timeInvocations(session: Session, runs: number, onTick?: () => void): BenchResult {
  const times = new Array<number>(runs);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    session.invoke();
    times[i] = Number(process.hrtime.bigint() - start) / 1e6;
    onTick?.();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    runs,
    medianMs: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    minMs: sorted[0]!,
    meanMs: times.reduce((a, b) => a + b, 0) / runs,
  };
}

export function registerBenchCommand(program: Command): void {
  program
    .command("bench")
    .description("measure warm inference latency (percentiles) and show the per-op profile")
    .argument("<model>", "path to a .tflite file")
    .option("--runs <n>", "timed invocations", "200")
    .option("--warmup <n>", "untimed invocations first", "20")
    .option("--json", "print machine-readable JSON")
    .action(async (file: string, opts: { runs: string; warmup: string; json?: boolean }) => {
      const runs = Number(opts.runs);
      const warmup = Number(opts.warmup);
      if (!Number.isInteger(runs) || runs < 1)
        throw new InputError(`--runs must be a positive integer, got ${opts.runs}`);
      if (!Number.isInteger(warmup) || warmup < 0)
        throw new InputError(`--warmup must be an integer ≥ 0, got ${opts.warmup}`);
      const model = await Model.fromFile(file);
      const session = model.createSession();
      fillRandomInputs(session);
      for (let i = 0; i < warmup; i++) session.invoke();
      const bar =
        opts.json || !process.stderr.isTTY
          ? null
          : new SingleBar({ format: "bench [{bar}] {value}/{total}", hideCursor: true });
      bar?.start(runs, 0);
      const result = timeInvocations(session, runs, bar ? () => bar.increment() : undefined);
      bar?.stop();
      const profile = session.startProfile();
      for (let i = 0; i < Math.min(runs, 50); i++) session.invoke();
      session.stopProfile();
      const total = profile.reduce((s, p) => s + p.ms, 0) || 1;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ model: file, ...result, arenaBytes: model.arenaBytes, profile }, null, 2)}\n`,
        );
        return;
      }
      const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
      process.stdout.write(
        [
          `${file}: ${runs} runs after ${warmup} warm-up`,
          `median ${us(result.medianMs)}  p90 ${us(result.p90Ms)}  p99 ${us(result.p99Ms)}  min ${us(result.minMs)}`,
          "",
          table(
            ["#", "op", "µs/call", "share", "MACs", "GMAC/s"],
            profile.map((p) => {
              const perCall = p.ms / Math.max(1, p.calls);
              return [
                p.index,
                p.op,
                (perCall * 1000).toFixed(1),
                `${((100 * p.ms) / total).toFixed(1)}%`,
                formatCount(p.macs),
                p.macs && perCall > 0 ? (p.macs / perCall / 1e6).toFixed(2) : "-",
              ];
            }),
          ),
        ].join("\n") + "\n",
      );
    });
}
