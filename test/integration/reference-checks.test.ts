/**
 * The application-level checks of ../shared/oracle/manifest.json's reference_checks: micro speech labels from
 * the raw WAV clips (framed here, run through the audio preprocessor and the classifier), person detection
 * scores, and the LSTM MNIST digits — each against what TFLM's own run recorded.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { Model } from "../../src/index.js";
import { loadManifest, oraclePath, readBytes, SHARED_DIR, sharedUnavailable } from "../support/shared.js";

const skip = sharedUnavailable();

function loadModel(name: string): Model {
  return Model.fromBytes(readBytes(oraclePath(loadManifest().models[name]!.file)));
}

/** 16-bit mono PCM samples of a WAV file. */
function readWav(file: string): Int16Array {
  const b = readFileSync(file);
  let p = 12;
  while (p + 8 <= b.length) {
    const id = b.toString("ascii", p, p + 4);
    const size = b.readUInt32LE(p + 4);
    if (id === "data") {
      const copy = b.buffer.slice(b.byteOffset + p + 8, b.byteOffset + p + 8 + size);
      return new Int16Array(copy);
    }
    p += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

describe("reference checks", { skip: skip ?? false }, () => {
  if (skip) return;
  const checks = loadManifest().reference_checks as Record<string, Record<string, Record<string, unknown>>>;

  test("micro speech: WAV → audio preprocessor → classifier gives TFLM's scores and labels", () => {
    const labels = ["silence", "unknown", "yes", "no"];
    const preprocessor = loadModel("audio_preprocessor_int8");
    const classifier = loadModel("micro_speech_quantized");
    for (const [clip, expected] of Object.entries(checks.micro_speech_labels!)) {
      const samples = readWav(path.join(SHARED_DIR, "data", `${clip}.wav`));
      // 30 ms windows (480 samples) every 20 ms (320 samples): 49 frames of 40 features for one second.
      const session = preprocessor.createSession();
      const features = new Int8Array(49 * 40);
      for (let f = 0; f < 49; f++) {
        const [out] = session.run([samples.subarray(f * 320, f * 320 + 480)]);
        features.set(out as Int8Array, f * 40);
      }
      const [scores] = classifier.createSession().run([features]);
      assert.deepEqual([...(scores as Int8Array)], expected.scores_int8, `${clip} scores`);
      assert.equal(labels[argmax(scores as Int8Array)], expected.predicted, clip);
    }
  });

  test("person detection: scores of the four images", () => {
    const model = loadModel("person_detect");
    for (const [name, expected] of Object.entries(checks.person_detection!)) {
      const [out] = model
        .createSession()
        .run([new Int8Array(readBytes(oraclePath(`cases/person_detect/${name}.in0.bin`)).buffer)]);
      const scores = out as Int8Array;
      // Output order is [no_person, person], as in TFLM's person_detection example.
      assert.equal(scores[1], expected.person_score, `${name} person score`);
      assert.equal(scores[0], expected.no_person_score, `${name} no-person score`);
    }
  });

  for (const name of ["trained_lstm", "trained_lstm_int8"]) {
    test(`${name}: MNIST samples 0–9 are classified as digits 0–9`, () => {
      const model = loadModel(name);
      const expected = checks[`${name}_sample_argmax`]!.predicted as Record<string, number>;
      for (const [sample, digit] of Object.entries(expected)) {
        const input = readBytes(oraclePath(`cases/${name}/${sample}.in0.bin`));
        const session = model.createSession();
        const view = session.input(0);
        new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(input);
        session.invoke();
        assert.equal(argmax(session.output(0) as Int8Array | Float32Array), digit, sample);
      }
    });
  }
});
