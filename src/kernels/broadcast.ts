/**
 * Broadcasting of two input shapes onto an output shape, with TFLite's rules (shapes aligned on the right, a
 * dimension of 1 repeats). Planned once in prepare, as TFLM's BroadcastBinaryOpSimple does: dimensions of size 1
 * are dropped and neighbouring dimensions that broadcast the same way are fused, leaving the output as `runCount`
 * runs of `runLength` contiguous elements. Inside a run each input either advances by one element or stays on one
 * (stride 0), so equal shapes and scalar operands are a single run and kernels need just one loop shape.
 * Owns only index arithmetic: no element values, no types.
 */
import { KernelError } from "../errors.js";

/** Deepest broadcast TFLM's reference ops support (BroadcastBinaryOpSimple and its 6-D callers). */
export const MAX_BROADCAST_RANK = 6;

export interface BroadcastPlan {
  /** Elements per run; runs are consecutive in the output. */
  readonly runLength: number;
  readonly runCount: number;
  /** Per-element step of input a (and b) inside a run: 1, or 0 where that input repeats one element. */
  readonly strideA: 0 | 1;
  readonly strideB: 0 | 1;
  /** Element offset in input a (and b) where each run starts. */
  readonly startsA: Int32Array;
  readonly startsB: Int32Array;
  /** True when no element repeats: equal element order in both inputs and the output. */
  readonly elementwise: boolean;
}

/** Right-aligns `shape` in `rank` dimensions, filling with leading 1s. */
function extend(shape: readonly number[], rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

const SINGLE_RUN_START = new Int32Array(1);

function singleRun(length: number, strideA: 0 | 1, strideB: 0 | 1): BroadcastPlan {
  return {
    runLength: length,
    runCount: length === 0 ? 0 : 1,
    strideA,
    strideB,
    startsA: SINGLE_RUN_START,
    startsB: SINGLE_RUN_START,
    elementwise: strideA === 1 && strideB === 1,
  };
}

/**
 * Plans `out[i] = f(a[...], b[...])` for inputs of shapes `shapeA`, `shapeB` and an output of `shapeOut`.
 * Throws KernelError (naming `opName`) when the shapes do not broadcast or the output shape is not their result.
 */
export function planBroadcast(
  opName: string,
  shapeA: readonly number[],
  shapeB: readonly number[],
  shapeOut: readonly number[],
): BroadcastPlan {
  const rank = Math.max(shapeA.length, shapeB.length, shapeOut.length);
  const a = extend(shapeA, rank);
  const b = extend(shapeB, rank);
  const out = extend(shapeOut, rank);
  for (let d = 0; d < rank; d++) {
    const da = a[d]!;
    const db = b[d]!;
    const expected = da === 1 ? db : db === 1 || db === da ? da : -1;
    if (expected < 0) {
      throw new KernelError(`${opName}: input shapes [${shapeA}] and [${shapeB}] do not broadcast`);
    }
    if (out[d] !== expected) {
      throw new KernelError(
        `${opName}: output shape [${shapeOut}] is not the broadcast of [${shapeA}] and [${shapeB}]`,
      );
    }
  }
  const outputSize = out.reduce((n, d) => n * d, 1);
  if (outputSize === 0) return singleRun(0, 1, 1);
  const sameShape = a.every((d, i) => d === b[i]);
  if (sameShape) return singleRun(outputSize, 1, 1);
  if (rank > MAX_BROADCAST_RANK) {
    throw new KernelError(`${opName}: broadcasting is supported up to rank ${MAX_BROADCAST_RANK}, not ${rank}`);
  }
  const sizeA = a.reduce((n, d) => n * d, 1);
  const sizeB = b.reduce((n, d) => n * d, 1);
  if (sizeA === 1) return singleRun(outputSize, 0, 1);
  if (sizeB === 1) return singleRun(outputSize, 1, 0);

  // Collapse dimensions from the innermost out. A loop keeps, per input, whether it moves (stride = the
  // input's element count inside it) or repeats (stride 0); a dimension joins the loop below it when both
  // inputs behave there as they do in that loop, since a moving input is then still contiguous.
  const sizes: number[] = [];
  const stridesA: number[] = [];
  const stridesB: number[] = [];
  let innerA = 1;
  let innerB = 1;
  for (let d = rank - 1; d >= 0; d--) {
    const n = out[d]!;
    if (n === 1) continue;
    const sA = a[d] === 1 ? 0 : innerA;
    const sB = b[d] === 1 ? 0 : innerB;
    const last = sizes.length - 1;
    if (last >= 0 && (sA === 0) === (stridesA[last] === 0) && (sB === 0) === (stridesB[last] === 0)) {
      sizes[last] = sizes[last]! * n;
    } else {
      sizes.push(n);
      stridesA.push(sA);
      stridesB.push(sB);
    }
    innerA *= a[d]!;
    innerB *= b[d]!;
  }

  const runLength = sizes[0]!;
  const runCount = outputSize / runLength;
  const startsA = new Int32Array(runCount);
  const startsB = new Int32Array(runCount);
  // Odometer over the outer loops (index 1 upward), innermost outer loop fastest.
  const counters = new Array<number>(sizes.length).fill(0);
  let offA = 0;
  let offB = 0;
  for (let r = 0; r < runCount; r++) {
    startsA[r] = offA;
    startsB[r] = offB;
    for (let k = 1; k < sizes.length; k++) {
      counters[k]! += 1;
      offA += stridesA[k]!;
      offB += stridesB[k]!;
      if (counters[k]! < sizes[k]!) break;
      counters[k] = 0;
      offA -= stridesA[k]! * sizes[k]!;
      offB -= stridesB[k]! * sizes[k]!;
    }
  }
  return {
    runLength,
    runCount,
    strideA: stridesA[0]! === 0 ? 0 : 1,
    strideB: stridesB[0]! === 0 ? 0 : 1,
    startsA,
    startsB,
    elementwise: false,
  };
}
