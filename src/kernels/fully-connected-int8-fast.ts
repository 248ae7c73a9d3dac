/**
 * The fast path of int8 FULLY_CONNECTED with constant weights and bias, bit-identical to the reference in
 * fully-connected.ts.
 *
 * Why it is fast: in prepare, the filter offset is applied to the weights, the input offset is folded into the
 * bias (bias + input_offset * sum(w)), and the weights of units u and u+1 are packed in one double
 * (w[u] + w[u+1] * 2^24), so one float64 multiply-add does two exact multiply-accumulates on the raw input. The two
 * halves of a packed sum separate exactly while the low one stays below 2^23 in magnitude, so the depth runs in
 * chunks short enough for the largest weight (515 inputs for |w| <= 127). Two packed rows share each input load.
 */
import type { TensorDef } from "../format/model.js";
import { constantView, type RequantizeTables, requantizeFast, requantizeTables } from "./conv-common.js";
import type { FullyConnectedPrepared } from "./fully-connected.js";

const TWO_POW_23 = 8388608;
const TWO_POW_24 = 16777216;
/** |x| <= 128 for int8 inputs. */
const MAX_INPUT_MAGNITUDE = 128;

export interface FullyConnectedInt8 {
  batches: number;
  units: number;
  depth: number;
  /** ceil(units / 2) packed rows of `depth` doubles; a missing last unit packs as zero. */
  pairs: number;
  packed: Float64Array;
  /** Inputs per chunk: chunk * max|w| * 128 < 2^23. */
  chunk: number;
  /** bias[u] + input_offset * sum_d (w[u][d] + filter_offset), one entry per pair half (zero past the end). */
  bias: Float64Array;
  requantize: RequantizeTables;
  outputOffset: number;
  min: number;
  max: number;
}

/** The packed layout of an int8 layer, or null when the weights or bias are known only at eval. */
export function prepareFullyConnectedInt8(
  p: FullyConnectedPrepared,
  filter: TensorDef,
  biasTensor: TensorDef | null,
): FullyConnectedInt8 | null {
  if (p.kind !== "int8" || !filter.data || (biasTensor && !p.bias)) return null;
  const weights = constantView(filter) as Int8Array;
  const { units, depth } = p;
  const pairs = (units + 1) >> 1;
  const packed = new Float64Array(pairs * depth);
  const bias = new Float64Array(pairs * 2);
  let largest = 1;
  for (let u = 0; u < units; u++) {
    let sum = 0;
    const half = u & 1 ? TWO_POW_24 : 1;
    const row = (u >> 1) * depth;
    for (let d = 0; d < depth; d++) {
      const w = weights[u * depth + d]! + p.filterOffset;
      packed[row + d] += w * half;
      sum += w;
      largest = Math.max(largest, Math.abs(w));
    }
    bias[u] = (p.bias ? p.bias[u]! : 0) + p.inputOffset * sum;
  }
  return {
    batches: p.batches,
    units,
    depth,
    pairs,
    packed,
    chunk: Math.max(1, Math.floor((TWO_POW_23 - 1) / (largest * MAX_INPUT_MAGNITUDE))),
    bias,
    requantize: requantizeTables({
      inputZeroPoint: -p.inputOffset,
      outputZeroPoint: p.outputOffset,
      multipliers: p.multipliers,
      shifts: p.shifts,
      activationMin: p.activationMin,
      activationMax: p.activationMax,
    }),
    outputOffset: p.outputOffset,
    min: p.activationMin,
    max: p.activationMax,
  };
}

/** Requantizes, offsets and clamps the exact sum of unit u (its int32 wrap first, as the reference's accumulator). */
function finish(f: FullyConnectedInt8, sum: number, u: number): number {
  const v = requantizeFast(sum | 0, u, f.requantize) + f.outputOffset;
  return Math.min(Math.max(v, f.min), f.max);
}

/** Low half of a packed sum (|low| < 2^23); the high half is (total - low) / 2^24. */
function lowHalf(total: number): number {
  return total - Math.floor((total + TWO_POW_23) / TWO_POW_24) * TWO_POW_24;
}

/** Writes the two units of pair `pair` of batch b from their separated sums. */
function writePair(f: FullyConnectedInt8, out: Int8Array, b: number, pair: number, low: number, high: number) {
  const u = pair * 2;
  out[b * f.units + u] = finish(f, low + f.bias[u]!, u);
  if (u + 1 < f.units) out[b * f.units + u + 1] = finish(f, high + f.bias[u + 1]!, u + 1);
}

export function fullyConnectedInt8(f: FullyConnectedInt8, input: Int8Array, out: Int8Array): void {
  const { depth, chunk, packed, pairs } = f;
  for (let b = 0; b < f.batches; b++) {
    const x0 = b * depth;
    let pair = 0;
    for (; pair + 2 <= pairs; pair += 2) {
      const rowA = pair * depth;
      const rowB = rowA + depth;
      let lowA = 0;
      let highA = 0;
      let lowB = 0;
      let highB = 0;
      for (let start = 0; start < depth; start += chunk) {
        const end = Math.min(depth, start + chunk);
        let a = 0;
        let c = 0;
        for (let d = start; d < end; d++) {
          const x = input[x0 + d]!;
          a += packed[rowA + d]! * x;
          c += packed[rowB + d]! * x;
        }
        const la = lowHalf(a);
        const lc = lowHalf(c);
        lowA += la;
        highA += (a - la) / TWO_POW_24;
        lowB += lc;
        highB += (c - lc) / TWO_POW_24;
      }
      writePair(f, out, b, pair, lowA, highA);
      writePair(f, out, b, pair + 1, lowB, highB);
    }
    if (pair < pairs) {
      const row = pair * depth;
      let low = 0;
      let high = 0;
      for (let start = 0; start < depth; start += chunk) {
        const end = Math.min(depth, start + chunk);
        let a = 0;
        for (let d = start; d < end; d++) a += packed[row + d]! * input[x0 + d]!;
        const la = lowHalf(a);
        low += la;
        high += (a - la) / TWO_POW_24;
      }
      writePair(f, out, b, pair, low, high);
    }
  }
}
