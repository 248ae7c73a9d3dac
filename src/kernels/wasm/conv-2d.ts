/**
 * The WebAssembly SIMD path of int8 CONV_2D for 1x1 filters with stride 1 (MobileNet's pointwise layers), chosen
 * over conv-2d-int8-fast.ts when the engine has SIMD; bit-identical to it and to the reference in conv-2d.ts.
 * Prepare packs the weights as int16 pairs, folds the input zero point into the bias and lays out the node's
 * instance memory; eval copies the input in, runs the GEMM (int8-conv-wat.ts) and copies the output out.
 */
import type { TensorDef } from "../../format/model.js";
import type { ConvPrepared } from "../conv-2d.js";
import { constantView } from "../conv-common.js";
import { instantiate, layout, requantTableBytes, writeRequantTable } from "./int8-conv.js";

export interface PointwiseWasm {
  input: Int8Array;
  output: Int8Array;
  run: () => void;
}

export function preparePointwiseWasm(
  p: ConvPrepared,
  filter: TensorDef,
  bias: Float64Array | null,
  biasTensor: TensorDef | null,
): PointwiseWasm | null {
  const w = p.window;
  const q = p.quant!;
  if (w.filterHeight !== 1 || w.filterWidth !== 1 || w.strideH !== 1 || w.strideW !== 1) return null;
  if (w.padH !== 0 || w.padW !== 0 || w.inHeight !== w.outHeight || w.inWidth !== w.outWidth) return null;
  if (!filter.data || (biasTensor && !bias) || p.filterDepth !== w.inDepth) return null;
  const pixels = w.batches * w.outHeight * w.outWidth;
  const depth = w.inDepth;
  const channels = w.outDepth;
  if (pixels === 0 || depth === 0 || channels === 0) return null;
  const evenDepth = depth + (depth & 1);
  const groups = Math.ceil(channels / 8);
  const tilePixels = Math.ceil(pixels / 4) * 4;
  const { offsets, total } = layout([
    requantTableBytes(channels),
    groups * evenDepth * 16,
    pixels * depth,
    tilePixels * evenDepth * 2,
    tilePixels * channels,
  ]);
  const [tableAt, weightsAt, inputAt, wideAt, outputAt] = offsets;
  const node = instantiate(total);
  if (!node) return null;
  const { memory, kernels } = node;

  const weights = constantView(filter) as Int8Array;
  const folded = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = 0; k < depth; k++) sum += weights[c * depth + k]!;
    folded[c] = (bias ? bias[c]! : 0) - q.inputZeroPoint * sum;
  }
  if (!writeRequantTable(memory, tableAt!, folded, q.multipliers, q.shifts)) return null;
  // [group][k / 2][channel in group][k % 2]; channels past the end and the odd depth's pad stay zero.
  const packed = new Int16Array(memory.buffer, weightsAt!, groups * evenDepth * 8);
  for (let c = 0; c < channels; c++) {
    const base = (c >> 3) * evenDepth * 8 + (c & 7) * 2;
    for (let k = 0; k < depth; k++) packed[base + (k >> 1) * 16 + (k & 1)] = weights[c * depth + k]!;
  }
  const args = [
    inputAt!,
    wideAt!,
    outputAt!,
    weightsAt!,
    tableAt!,
    pixels,
    depth,
    channels,
    q.outputZeroPoint,
    q.activationMin,
    q.activationMax,
  ];
  return {
    input: new Int8Array(memory.buffer, inputAt!, pixels * depth),
    output: new Int8Array(memory.buffer, outputAt!, pixels * channels),
    run: () => kernels.pointwise(...args),
  };
}

export function pointwiseWasm(f: PointwiseWasm, input: Int8Array, out: Int8Array): void {
  f.input.set(input);
  f.run();
  out.set(f.output);
}
