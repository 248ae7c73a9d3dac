/**
 * The WebAssembly SIMD path of int8 DEPTHWISE_CONV_2D for 3x3 filters without dilation (any stride and depth
 * multiplier), chosen over depthwise-conv-2d-int8-fast.ts when the engine has SIMD; bit-identical to it and to the
 * reference in depthwise-conv-2d.ts. Prepare packs the taps as int16 channel vectors and folds the input zero
 * point into the bias (the padded plane's border holds that zero point); eval copies each batch's input in, runs
 * the kernel (int8-conv-wat.ts) and copies the output out.
 */
import type { TensorDef } from "../../format/model.js";
import { constantView } from "../conv-common.js";
import type { DepthwisePrepared } from "../depthwise-conv-2d.js";
import { instantiate, layout, requantTableBytes, writeRequantTable } from "./int8-conv.js";
import { DEPTHWISE_GROUP_WEIGHT_BYTES } from "./int8-conv-wat.js";

export interface DepthwiseWasm {
  batches: number;
  input: Int8Array;
  output: Int8Array;
  run: () => void;
}

const TAPS = 9;

export function prepareDepthwiseWasm(
  p: DepthwisePrepared,
  filter: TensorDef,
  biasTensor: TensorDef | null,
): DepthwiseWasm | null {
  const w = p.window;
  const q = p.quant!;
  if (w.filterHeight !== 3 || w.filterWidth !== 3 || w.dilationH !== 1 || w.dilationW !== 1) return null;
  if (!filter.data || (biasTensor && !p.bias)) return null;
  const channels = w.outDepth;
  if (w.outHeight === 0 || w.outWidth === 0 || channels === 0 || w.inHeight === 0 || w.inWidth === 0) return null;
  const groups = Math.ceil(channels / 8);
  const planeHeight = (w.outHeight - 1) * w.strideH + 3;
  const planeWidth = (w.outWidth - 1) * w.strideW + 3;
  const inputBytes = w.inHeight * w.inWidth * w.inDepth;
  const outputBytes = w.outHeight * w.outWidth * channels;
  const { offsets, total } = layout([
    requantTableBytes(channels),
    groups * DEPTHWISE_GROUP_WEIGHT_BYTES,
    inputBytes,
    planeHeight * planeWidth * groups * 8,
    outputBytes,
  ]);
  const [tableAt, weightsAt, inputAt, planeAt, outputAt] = offsets;
  const node = instantiate(total);
  if (!node) return null;
  const { memory, kernels } = node;

  const weights = constantView(filter) as Int8Array;
  const folded = new Float64Array(channels);
  // [group][tap][channel in group], int16; channels past the end stay zero.
  const packed = new Int16Array(memory.buffer, weightsAt!, (groups * DEPTHWISE_GROUP_WEIGHT_BYTES) / 2);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let k = 0; k < TAPS; k++) {
      const tap = weights[k * channels + c]!;
      packed[(c >> 3) * TAPS * 8 + k * 8 + (c & 7)] = tap;
      sum += tap;
    }
    folded[c] = (p.bias ? p.bias[c]! : 0) - q.inputZeroPoint * sum;
  }
  if (!writeRequantTable(memory, tableAt!, folded, q.multipliers, q.shifts)) return null;
  const args = [
    inputAt!,
    planeAt!,
    outputAt!,
    weightsAt!,
    tableAt!,
    w.inHeight,
    w.inWidth,
    w.inDepth,
    p.depthMultiplier,
    channels,
    w.outHeight,
    w.outWidth,
    w.strideH,
    w.strideW,
    w.padH,
    w.padW,
    q.inputZeroPoint,
    q.outputZeroPoint,
    q.activationMin,
    q.activationMax,
  ];
  return {
    batches: w.batches,
    input: new Int8Array(memory.buffer, inputAt!, inputBytes),
    output: new Int8Array(memory.buffer, outputAt!, outputBytes),
    run: () => kernels.depthwise3x3(...args),
  };
}

export function depthwiseWasm(f: DepthwiseWasm, input: Int8Array, out: Int8Array): void {
  const inSize = f.input.length;
  const outSize = f.output.length;
  for (let b = 0; b < f.batches; b++) {
    f.input.set(b === 0 && f.batches === 1 ? input : input.subarray(b * inSize, (b + 1) * inSize));
    f.run();
    out.set(f.output, b * outSize);
  }
}
