/**
 * `edge-infer run`: one fresh session, inputs from files, raw outputs written as out<k>.bin and printed as JSON.
 * With --frames N, N consecutive input tensors go through the same session and the outputs are concatenated,
 * exactly like the oracle's sequential cases.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { InputError } from "../errors.js";
import { dtypeByteSize } from "../format/model.js";
import { Model } from "../runtime/model.js";
import { viewOf } from "../runtime/tensor.js";
import { type BmpConversion, readInputFile } from "./input-files.js";

interface RunOptions {
  in: string[];
  outDir?: string;
  frames: string;
  bmp: BmpConversion;
}

export async function runModelFiles(file: string, opts: RunOptions) {
  const model = await Model.fromFile(file);
  const frames = Number(opts.frames);
  if (!Number.isInteger(frames) || frames < 1)
    throw new InputError(`--frames must be a positive integer, got ${opts.frames}`);
  if (opts.in.length !== model.inputs.length) {
    throw new InputError(
      `model takes ${model.inputs.length} input(s) (${model.inputs.map((t) => `"${t.name}"`).join(", ")}), got ${opts.in.length} --in file(s)`,
    );
  }
  const inputs = await Promise.all(opts.in.map((f, k) => readInputFile(f, model.inputs[k]!, frames, opts.bmp)));
  const session = model.createSession();
  const outputs = model.outputs.map((t) => new Uint8Array(t.byteLength * frames));
  for (let f = 0; f < frames; f++) {
    inputs.forEach((bytes, k) => {
      const size = model.inputs[k]!.byteLength;
      const view = session.input(k);
      new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes.subarray(f * size, (f + 1) * size));
    });
    session.invoke();
    model.outputs.forEach((t, k) => {
      const view = session.output(k);
      outputs[k]!.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), f * t.byteLength);
    });
  }
  if (opts.outDir) {
    await mkdir(opts.outDir, { recursive: true });
    await Promise.all(outputs.map((bytes, k) => writeFile(path.join(opts.outDir!, `out${k}.bin`), bytes)));
  }
  return model.outputs.map((t, k) => {
    const bytes = outputs[k]!;
    const values = viewOf(t.dtype, bytes.buffer, bytes.byteOffset, bytes.byteLength / dtypeByteSize(t.dtype));
    const data = Array.from(values as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? Number(v) : v));
    return {
      name: t.name,
      dtype: t.dtype,
      shape: frames > 1 ? [frames, ...t.shape] : t.shape,
      data,
      ...(t.scale !== null && t.zeroPoint !== null
        ? { dequantized: data.map((v) => (v - t.zeroPoint!) * t.scale!) }
        : {}),
    };
  });
}

export function registerRunCommand(program: Command): void {
  program
    .command("run")
    .description("run a model once on input files (one --in per model input, in input order)")
    .argument("<model>", "path to a .tflite file")
    .requiredOption(
      "--in <file>",
      "input file: .bin (raw little-endian tensor bytes), .json (array of numbers) or .bmp (8-bit image); repeat per input",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option("--out-dir <dir>", "write raw outputs there as out0.bin, out1.bin, …")
    .option("--frames <n>", "feed N consecutive input tensors from each file to one session; outputs concatenated", "1")
    .option("--bmp <mode>", "BMP to int8: 'offset' (pixel − 128) or 'raw' (bytes reinterpreted)", "offset")
    .action(async (file: string, opts: RunOptions) => {
      if (opts.bmp !== "offset" && opts.bmp !== "raw")
        throw new InputError(`--bmp must be offset or raw, got ${opts.bmp}`);
      const outputs = await runModelFiles(file, opts);
      process.stdout.write(`${JSON.stringify({ model: file, outputs })}\n`);
    });
}
