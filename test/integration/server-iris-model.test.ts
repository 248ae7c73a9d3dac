/**
 * The default model that ships with the server: rebuilt by `npm run build:models`'s script byte for byte,
 * accurate on the Iris data (≥ 95 %), float and int8 versions agreeing (≥ 97 %), and read by an independent
 * runtime — TensorFlow Lite's own interpreter (tfjs-tflite, WebAssembly) — with the same outputs.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { argmax, buildIrisModels, irisData } from "../../models/build-iris.js";
import { Model, type TensorSummary } from "../../src/index.js";
import { PROJECT_ROOT } from "../support/shared.js";
import { loadPeerModel } from "../support/tfjs-tflite.js";

const file = (name: string) => new Uint8Array(readFileSync(path.join(PROJECT_ROOT, "models", name)));
const data = irisData();

function quantize(t: TensorSummary, values: number[]): number[] {
  return values.map((v) => Math.max(-128, Math.min(127, Math.round(v / t.scale!) + t.zeroPoint!)));
}

describe("default Iris model", () => {
  test("the committed files are what models/build-iris.ts builds", () => {
    const { files } = buildIrisModels();
    for (const [name, contents] of Object.entries(files)) {
      const committed = readFileSync(path.join(PROJECT_ROOT, "models", name));
      const built = typeof contents === "string" ? Buffer.from(contents) : Buffer.from(contents);
      assert.ok(committed.equals(built), `${name} differs from a fresh build: run npm run build:models`);
    }
  });

  test("sidecars: labels, default flag", () => {
    const float = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "models", "iris.json"), "utf8"));
    const int8 = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "models", "iris_int8.json"), "utf8"));
    assert.deepEqual(float.labels, ["setosa", "versicolor", "virginica"]);
    assert.equal(float.default, true);
    assert.equal(int8.default, false);
  });

  test("accuracy ≥ 95 % (float32 and int8) and float/int8 agreement ≥ 97 % in our runtime", () => {
    const float = Model.fromBytes(file("iris.tflite"));
    const int8 = Model.fromBytes(file("iris_int8.tflite"));
    assert.deepEqual(float.opCounts, { FULLY_CONNECTED: 2, SOFTMAX: 1 });
    assert.equal(int8.inputs[0]!.dtype, "int8");
    assert.equal(int8.outputs[0]!.dtype, "int8");
    const fs = float.createSession();
    const qs = int8.createSession();
    let floatCorrect = 0;
    let int8Correct = 0;
    let agree = 0;
    data.x.forEach((x, s) => {
      const f = argmax(fs.run([x])[0] as Float32Array);
      const q = argmax(qs.run([quantize(int8.inputs[0]!, x)])[0] as Int8Array);
      if (f === data.y[s]) floatCorrect++;
      if (q === data.y[s]) int8Correct++;
      if (f === q) agree++;
    });
    const n = data.x.length;
    assert.ok(floatCorrect / n >= 0.95, `float32 accuracy ${floatCorrect}/${n}`);
    assert.ok(int8Correct / n >= 0.95, `int8 accuracy ${int8Correct}/${n}`);
    assert.ok(agree / n >= 0.97, `float/int8 agreement ${agree}/${n}`);
  });

  test("TensorFlow Lite's interpreter (tfjs-tflite) loads both files and computes the same outputs", async () => {
    for (const name of ["iris.tflite", "iris_int8.tflite"]) {
      const ours = Model.fromBytes(file(name));
      const session = ours.createSession();
      const peer = await loadPeerModel(file(name));
      assert.equal(peer.getInputs()[0]!.name, "measurements");
      assert.equal(peer.getInputs()[0]!.shape, "1,4");
      assert.equal(peer.getOutputs()[0]!.dataType, ours.outputs[0]!.dtype);
      let worst = 0;
      for (const x of data.x) {
        const input = ours.inputs[0]!.dtype === "int8" ? quantize(ours.inputs[0]!, x) : x;
        const expected = session.run([input])[0]!;
        (peer.getInputs()[0]!.data() as Float32Array).set(input);
        assert.ok(peer.infer(), `${name}: tfjs-tflite inference failed`);
        const actual = peer.getOutputs()[0]!.data();
        for (let i = 0; i < 3; i++) worst = Math.max(worst, Math.abs(Number(actual[i]) - Number(expected[i])));
      }
      peer.cleanUp();
      // Float within float32 rounding of the softmax; int8 bit-identical here (PEERS.md allows a few units).
      assert.ok(worst <= (name.includes("int8") ? 1 : 1e-5), `${name}: largest difference ${worst}`);
    }
  });
});
