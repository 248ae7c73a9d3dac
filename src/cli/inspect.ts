/** `edge-infer inspect`: what a model takes and returns, what it computes, and what memory it needs. */
import type { Command } from "commander";
import { Model } from "../runtime/model.js";
import { formatBytes, formatCount, table } from "./format.js";

export interface ModelReport {
  file: string;
  description: string;
  inputs: Model["inputs"];
  outputs: Model["outputs"];
  ops: { op: string; count: number; macs: number }[];
  totalMacs: number;
  weightsBytes: number;
  variableBytes: number;
  arenaBytes: number;
}

export function describeModel(file: string, model: Model): ModelReport {
  const byOp = new Map<string, { op: string; count: number; macs: number }>();
  for (const o of model.ops) {
    const e = byOp.get(o.op) ?? { op: o.op, count: 0, macs: 0 };
    e.count += 1;
    e.macs += o.macs;
    byOp.set(o.op, e);
  }
  return {
    file,
    description: model.def.description,
    inputs: model.inputs,
    outputs: model.outputs,
    ops: [...byOp.values()],
    totalMacs: model.totalMacs,
    weightsBytes: model.weightsBytes,
    variableBytes: model.variableBytes,
    arenaBytes: model.arenaBytes,
  };
}

function tensorRows(list: Model["inputs"]): (string | number)[][] {
  return list.map((t, k) => [
    k,
    t.name || "(unnamed)",
    t.dtype,
    `[${t.shape.join(",")}]`,
    t.scale === null ? "-" : t.scale.toPrecision(6),
    t.zeroPoint === null ? "-" : t.zeroPoint,
  ]);
}

export function renderReport(r: ModelReport): string {
  const header = ["#", "name", "dtype", "shape", "scale", "zero point"];
  return [
    `Model ${r.file}${r.description ? ` — ${r.description}` : ""}`,
    "",
    "Inputs",
    table(header, tensorRows(r.inputs)),
    "",
    "Outputs",
    table(header, tensorRows(r.outputs)),
    "",
    "Operators",
    table(
      ["op", "count", "MACs"],
      [
        ...r.ops.map((o) => [o.op, o.count, formatCount(o.macs)]),
        ["total", r.ops.reduce((s, o) => s + o.count, 0), formatCount(r.totalMacs)],
      ],
    ),
    "",
    `Weights:        ${formatBytes(r.weightsBytes)} (${r.weightsBytes} bytes)`,
    `Arena (planned): ${formatBytes(r.arenaBytes)} (${r.arenaBytes} bytes)`,
    `Variable state: ${formatBytes(r.variableBytes)} (${r.variableBytes} bytes)`,
  ].join("\n");
}

export function registerInspectCommand(program: Command): void {
  program
    .command("inspect")
    .description("show a model's inputs, outputs, operators (counts and MACs), weight bytes and planned arena")
    .argument("<model>", "path to a .tflite file")
    .option("--json", "print machine-readable JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      const model = await Model.fromFile(file);
      const report = describeModel(file, model);
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report)}\n`);
    });
}
