/** Runs one oracle case the way TFLM's harness did, and compares outputs by the manifest's conventions. */
import assert from "node:assert/strict";
import type { Model } from "../../src/index.js";
import type { OracleCase, OracleModel } from "./shared.js";
import { oraclePath, readBytes } from "./shared.js";

/** A fresh session per case; with sequential_frames, N frames through the one session, outputs concatenated. */
export function runCase(model: Model, entry: OracleModel, c: OracleCase): Uint8Array[] {
  const session = model.createSession();
  const frames = c.sequential_frames ?? 1;
  const inputs = c.inputs.map((f) => readBytes(oraclePath(f)));
  const outputs = entry.outputs.map((o) => new Uint8Array(o.bytes * frames));
  for (let f = 0; f < frames; f++) {
    inputs.forEach((bytes, k) => {
      const size = entry.inputs[k]!.bytes;
      const view = session.input(k);
      new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes.subarray(f * size, (f + 1) * size));
    });
    session.invoke();
    entry.outputs.forEach((o, k) => {
      const view = session.output(k);
      outputs[k]!.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), f * o.bytes);
    });
  }
  return outputs;
}

export function compareOutput(actual: Uint8Array, expected: Uint8Array, dtype: string, label: string): void {
  assert.equal(actual.byteLength, expected.byteLength, `${label}: byte length`);
  if (dtype === "float32") {
    const a = new Float32Array(actual.buffer, actual.byteOffset, actual.byteLength / 4);
    const e = new Float32Array(expected.buffer.slice(expected.byteOffset, expected.byteOffset + expected.byteLength));
    for (let i = 0; i < e.length; i++) {
      const tolerance = Math.max(1e-6, 1e-5 * Math.abs(e[i]!));
      if (!(Math.abs(a[i]! - e[i]!) <= tolerance)) {
        assert.fail(`${label}: element ${i} is ${a[i]}, TFLM gives ${e[i]} (tolerance ${tolerance})`);
      }
    }
    return;
  }
  for (let i = 0; i < expected.byteLength; i++) {
    if (actual[i] !== expected[i]) {
      const diffs = [...expected].filter((b, j) => b !== actual[j]).length;
      assert.fail(`${label}: ${diffs} of ${expected.byteLength} bytes differ from TFLM, first at byte ${i}`);
    }
  }
}
