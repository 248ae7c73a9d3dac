/**
 * Small models for server tests, written with the project's own writer: a slow chain of FULLY_CONNECTED layers
 * (to fill queues and hit timeouts), a two-input/two-output model, and identity models for each datatype the
 * Open Inference Protocol tests send.
 */
import type { DType } from "../../src/format/model.js";
import { writeModel } from "../../src/format/writer.js";

/**
 * input x [1, width] float32 → `layers` × FULLY_CONNECTED(width→width, shared weights, RELU) → FC(width→2) → y [1, 2].
 * Weights are 1/width, so each layer averages and values stay bounded. Time grows with width² × layers.
 */
export function slowModel(width = 512, layers = 16): Uint8Array {
  const weights = new Float32Array(width * width).fill(1 / width);
  const head = new Float32Array(2 * width).fill(1 / width);
  const tensors = [
    { name: "x", dtype: "float32" as const, shape: [1, width] },
    { name: "w", dtype: "float32" as const, shape: [width, width], data: weights },
    { name: "head", dtype: "float32" as const, shape: [2, width], data: head },
  ];
  const operators = [];
  let previous = 0;
  for (let l = 0; l < layers; l++) {
    tensors.push({ name: `h${l}`, dtype: "float32", shape: [1, width] });
    operators.push({
      opName: "FULLY_CONNECTED",
      inputs: [previous, 1, -1],
      outputs: [tensors.length - 1],
      options: { fusedActivationFunction: "RELU" },
    });
    previous = tensors.length - 1;
  }
  tensors.push({ name: "y", dtype: "float32", shape: [1, 2] });
  operators.push({ opName: "FULLY_CONNECTED", inputs: [previous, 2, -1], outputs: [tensors.length - 1] });
  return writeModel({
    description: "slow test model",
    subgraphs: [{ tensors, inputs: [0], outputs: [tensors.length - 1], operators }],
  });
}

/** Inputs a [1,2] and b [1,3] (float32); outputs joined = concat(a, b) [1,5] and b_copy = b [3]. */
export function twoInputModel(): Uint8Array {
  return writeModel({
    subgraphs: [
      {
        tensors: [
          { name: "a", dtype: "float32", shape: [1, 2] },
          { name: "b", dtype: "float32", shape: [1, 3] },
          { name: "joined", dtype: "float32", shape: [1, 5] },
          { name: "b_copy", dtype: "float32", shape: [3] },
        ],
        inputs: [0, 1],
        outputs: [2, 3],
        operators: [
          { opName: "CONCATENATION", inputs: [0, 1], outputs: [2], options: { axis: 1 } },
          { opName: "RESHAPE", inputs: [1], outputs: [3], options: { newShape: [3] } },
        ],
      },
    ],
  });
}

/** x [2,3] of `dtype` → RESHAPE → y [6]; int8/int16 are quantized with scale 0.5 and zero point 1 (int8) / 0. */
export function identityModel(dtype: DType): Uint8Array {
  const quantization =
    dtype === "int8" ? { scale: [0.5], zeroPoint: [1] } : dtype === "int16" ? { scale: [0.25], zeroPoint: [0] } : null;
  return writeModel({
    subgraphs: [
      {
        tensors: [
          { name: "x", dtype, shape: [2, 3], quantization },
          { name: "y", dtype, shape: [6], quantization },
        ],
        inputs: [0],
        outputs: [1],
        operators: [{ opName: "RESHAPE", inputs: [0], outputs: [1], options: { newShape: [6] } }],
      },
    ],
  });
}
