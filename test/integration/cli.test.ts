/**
 * The edge-infer command line as a user runs it: the built CLI in a child process, on real model files.
 * Oracle cases (../shared) must reproduce TFLM's bytes, including --frames cases.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { loadManifest, ORACLE_DIR, oraclePath, PROJECT_ROOT, sharedUnavailable } from "../support/shared.js";

const run = promisify(execFile);
const CLI = path.join(PROJECT_ROOT, "dist", "cli", "main.js");
const IRIS = path.join(PROJECT_ROOT, "models", "iris.tflite");

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("edge-infer CLI", () => {
  test("--help lists every command, and each command has its own help", async () => {
    const top = await cli(["--help"]);
    assert.equal(top.code, 0);
    for (const command of ["serve", "inspect", "run", "bench"]) {
      assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
      const help = await cli([command, "--help"]);
      assert.equal(help.code, 0, `${command} --help`);
      assert.match(help.stdout, /Usage: edge-infer/);
    }
  });

  test("inspect --json describes the bundled Iris model", async () => {
    const { code, stdout } = await cli(["inspect", IRIS, "--json"]);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.inputs[0].shape, [1, 4]);
    assert.deepEqual(report.outputs[0].shape, [1, 3]);
    assert.ok(report.arenaBytes > 0 && report.weightsBytes > 0 && report.totalMacs > 0);
  });

  test("run with a .json input prints three class probabilities summing to 1", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "edge-cli-"));
    const input = path.join(dir, "x.json");
    writeFileSync(input, JSON.stringify([[5.1, 3.5, 1.4, 0.2]]));
    const { code, stdout } = await cli(["run", IRIS, "--in", input, "--out-dir", dir]);
    assert.equal(code, 0);
    const result = JSON.parse(stdout);
    const probs: number[] = result.outputs[0].data;
    assert.equal(probs.length, 3);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(readFileSync(path.join(dir, "out0.bin")).byteLength, 12);
  });

  test("bad usage fails with a clear message and a non-zero exit", async () => {
    const missing = await cli(["run", IRIS]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /--in/);
    const wrongSize = path.join(mkdtempSync(path.join(os.tmpdir(), "edge-cli-")), "x.bin");
    writeFileSync(wrongSize, Buffer.alloc(3));
    const short = await cli(["run", IRIS, "--in", wrongSize]);
    assert.equal(short.code, 2);
    assert.match(short.stderr, /holds 3 bytes, input .* needs 16/);
    const notModel = await cli(["inspect", wrongSize]);
    assert.equal(notModel.code, 2);
    assert.match(notModel.stderr, /ModelFormatError/);
  });

  const skip = sharedUnavailable();
  describe("oracle cases through the CLI", { skip: skip ?? false }, () => {
    if (skip) return;
    const { models } = loadManifest();
    const cases: [string, string][] = [
      ["person_detect", "person_rawbytes"],
      ["person_detect", "no_person_rawbytes"],
      ["audio_preprocessor_int8", "yes_1000ms"],
      ["keyword_scrambled", "rand0"],
      ["seanet_add0", "rand0"],
    ];
    for (const [name, caseName] of cases) {
      test(`${name}/${caseName} writes TFLM's bytes`, async () => {
        const entry = models[name]!;
        const c = entry.cases.find((x) => x.name === caseName)!;
        const out = mkdtempSync(path.join(os.tmpdir(), "edge-cli-"));
        const args = [
          "run",
          oraclePath(entry.file),
          ...c.inputs.flatMap((f) => ["--in", oraclePath(f)]),
          "--out-dir",
          out,
        ];
        if (c.sequential_frames) args.push("--frames", String(c.sequential_frames));
        const { code, stderr } = await cli(args);
        assert.equal(code, 0, stderr);
        c.outputs.forEach((f, k) => {
          assert.ok(readFileSync(path.join(out, `out${k}.bin`)).equals(readFileSync(oraclePath(f))), `output ${k}`);
        });
      });
    }
    test("person_detect scores: person 113, no person -113", async () => {
      const { stdout } = await cli([
        "run",
        path.join(ORACLE_DIR, "models", "person_detect.tflite"),
        "--in",
        path.join(ORACLE_DIR, "cases", "person_detect", "person_rawbytes.in0.bin"),
      ]);
      assert.deepEqual(JSON.parse(stdout).outputs[0].data, [-113, 113]);
    });
  });
});
