/**
 * BATCH_MATMUL: out[..., m, n] = Σ_k lhs[..., m, k] · rhs[..., k, n] with adj_x / adj_y transposes and
 * broadcast batch dimensions (ranks 2-5), for float32, int8 (int32 accumulator, zero points) and int16 (64-bit
 * accumulator, zero points 0), as TFLM's batch_matmul.cc. Elements are read through strides instead of TFLM's
 * transposed copies; the k-order of every sum, and so every float32 rounding, is the same.
 */
import { KernelError } from "../errors.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import { extendShape, requireInputs, requireOutputs, requireType, scaleOf, zeroPointOf } from "./data-common.js";
import {
  integerRange,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
} from "./fixed-point.js";

interface BatchMatMulPrepared {
  kind: "float32" | "int8" | "int16";
  rows: number;
  cols: number;
  depth: number;
  /** Element offsets of each output batch's lhs and rhs matrices (broadcast already resolved). */
  lhsOffsets: Int32Array;
  rhsOffsets: Int32Array;
  /** Steps between consecutive rows (m) / depth (k) elements of lhs, and depth (k) / columns (n) of rhs. */
  lhsRowStep: number;
  lhsDepthStep: number;
  rhsDepthStep: number;
  rhsColStep: number;
  lhsZeroPoint: number;
  rhsZeroPoint: number;
  outputZeroPoint: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

function shapes(ctx: NodeContext) {
  const name = ctx.node.opName;
  const [lhs, rhs] = requireInputs(ctx, 2);
  const [output] = requireOutputs(ctx, 1);
  requireType(name, lhs!, "lhs", ["float32", "int8", "int16"]);
  if (rhs!.dtype !== lhs!.dtype || output!.dtype !== lhs!.dtype) {
    throw new KernelError(`${name}: lhs ${lhs!.dtype}, rhs ${rhs!.dtype} and output ${output!.dtype} must match`);
  }
  for (const [t, role] of [
    [lhs!, "lhs"],
    [rhs!, "rhs"],
  ] as const) {
    if (t.shape.length < 2 || t.shape.length > 5)
      throw new KernelError(`${name}: ${role} rank ${t.shape.length} is not 2 to 5`);
  }
  const adjX = ctx.node.options.adjX === true;
  const adjY = ctx.node.options.adjY === true;
  const rank = Math.max(lhs!.shape.length, rhs!.shape.length);
  const lhsShape = extendShape(lhs!.shape, rank);
  const rhsShape = extendShape(rhs!.shape, rank);
  const rows = lhsShape[adjX ? rank - 1 : rank - 2]!;
  const depth = lhsShape[adjX ? rank - 2 : rank - 1]!;
  const rhsDepth = rhsShape[adjY ? rank - 1 : rank - 2]!;
  const cols = rhsShape[adjY ? rank - 2 : rank - 1]!;
  if (depth !== rhsDepth) throw new KernelError(`${name}: lhs depth ${depth} differs from rhs depth ${rhsDepth}`);
  return { name, lhs: lhs!, rhs: rhs!, output: output!, adjX, adjY, rank, lhsShape, rhsShape, rows, depth, cols };
}

export const batchMatMul: Kernel<BatchMatMulPrepared> = {
  prepare(ctx) {
    const { name, lhs, rhs, output, adjX, adjY, rank, lhsShape, rhsShape, rows, depth, cols } = shapes(ctx);
    const batchRank = rank - 2;
    const batchShape: number[] = [];
    for (let i = 0; i < batchRank; i++) {
      const l = lhsShape[i]!;
      const r = rhsShape[i]!;
      if (l !== r && l !== 1 && r !== 1)
        throw new KernelError(`${name}: batch dimension ${i} cannot broadcast ${l} with ${r}`);
      batchShape.push(l === 1 ? r : l);
    }
    const batchCount = batchShape.reduce((a, b) => a * b, 1);
    if (output.elementCount !== batchCount * rows * cols) {
      throw new KernelError(
        `${name}: output [${output.shape}] has ${output.elementCount} elements, expected [${[...batchShape, rows, cols]}]`,
      );
    }
    // Batch offsets with broadcast: a size-1 batch dimension does not advance.
    const lhsOffsets = new Int32Array(batchCount);
    const rhsOffsets = new Int32Array(batchCount);
    const lhsMatrix = rows * depth;
    const rhsMatrix = depth * cols;
    for (let b = 0; b < batchCount; b++) {
      let rest = b;
      let lhsOffset = 0;
      let rhsOffset = 0;
      let lhsStride = lhsMatrix;
      let rhsStride = rhsMatrix;
      for (let i = batchRank - 1; i >= 0; i--) {
        const index = rest % batchShape[i]!;
        rest = Math.floor(rest / batchShape[i]!);
        if (lhsShape[i]! !== 1) lhsOffset += index * lhsStride;
        if (rhsShape[i]! !== 1) rhsOffset += index * rhsStride;
        lhsStride *= lhsShape[i]!;
        rhsStride *= rhsShape[i]!;
      }
      lhsOffsets[b] = lhsOffset;
      rhsOffsets[b] = rhsOffset;
    }

    const kind = lhs.dtype as BatchMatMulPrepared["kind"];
    let multiplier = 0;
    let shift = 0;
    let min = 0;
    let max = 0;
    if (kind !== "float32") {
      if (kind === "int16" && (zeroPointOf(lhs) !== 0 || zeroPointOf(rhs) !== 0 || zeroPointOf(output) !== 0)) {
        throw new KernelError(`${name}: int16 zero points must be 0`);
      }
      // TFLM multiplies the two scales in float32 before widening to double.
      ({ multiplier, shift } = quantizeMultiplier(Math.fround(scaleOf(lhs) * scaleOf(rhs)) / scaleOf(output)));
      [min, max] = integerRange(kind);
    }
    return {
      kind,
      rows,
      cols,
      depth,
      lhsOffsets,
      rhsOffsets,
      lhsRowStep: adjX ? 1 : depth,
      lhsDepthStep: adjX ? rows : 1,
      rhsDepthStep: adjY ? 1 : cols,
      rhsColStep: adjY ? depth : 1,
      lhsZeroPoint: zeroPointOf(lhs),
      rhsZeroPoint: zeroPointOf(rhs),
      outputZeroPoint: zeroPointOf(output),
      multiplier,
      shift,
      min,
      max,
    };
  },

  eval(p, io) {
    const lhs = io.inputs[0]! as Float32Array;
    const rhs = io.inputs[1]! as Float32Array;
    const output = io.outputs[0]! as Float32Array;
    const { rows, cols, depth, lhsRowStep, lhsDepthStep, rhsDepthStep, rhsColStep } = p;
    const { lhsZeroPoint, rhsZeroPoint, outputZeroPoint, multiplier, shift, min, max } = p;
    const float = p.kind === "float32";
    const wide = p.kind === "int16";
    let dst = 0;
    for (let b = 0; b < p.lhsOffsets.length; b++) {
      const lhsBase = p.lhsOffsets[b]!;
      const rhsBase = p.rhsOffsets[b]!;
      for (let m = 0; m < rows; m++) {
        const lhsRow = lhsBase + m * lhsRowStep;
        for (let n = 0; n < cols; n++) {
          let l = lhsRow;
          let r = rhsBase + n * rhsColStep;
          if (float) {
            let acc = 0;
            for (let k = 0; k < depth; k++) {
              acc = Math.fround(acc + Math.fround(lhs[l]! * rhs[r]!));
              l += lhsDepthStep;
              r += rhsDepthStep;
            }
            output[dst++] = acc;
            continue;
          }
          // Integer products are exact in float64; the sum stays below 2^53 for any real depth.
          let acc = 0;
          for (let k = 0; k < depth; k++) {
            acc += (lhs[l]! - lhsZeroPoint) * (rhs[r]! - rhsZeroPoint);
            l += lhsDepthStep;
            r += rhsDepthStep;
          }
          const scaled = wide
            ? multiplyByQuantizedMultiplierInt64(acc, multiplier, shift)
            : multiplyByQuantizedMultiplier(acc | 0, multiplier, shift);
          const value = (scaled + outputZeroPoint) | 0;
          output[dst++] = Math.min(max, Math.max(min, value));
        }
      }
    }
  },

  macs(ctx) {
    const { lhs, rhs, rows, depth, cols, rank } = shapes(ctx);
    const batches = extendShape(lhs.shape, rank)
      .slice(0, rank - 2)
      .reduce((a, d, i) => a * Math.max(d, extendShape(rhs.shape, rank)[i]!), 1);
    return batches * rows * depth * cols;
  },
};
