/** Broadcast planning (src/kernels/broadcast.ts) checked against a direct index computation. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { planBroadcast } from "../../../src/kernels/broadcast.js";

/** For every output element, the flat index it reads in an input of `shape` (numpy-style broadcasting). */
function referenceIndices(shape: number[], outShape: number[]): number[] {
  const rank = outShape.length;
  const s = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const total = outShape.reduce((a, b) => a * b, 1);
  const indices: number[] = [];
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let index = 0;
    let stride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const coord = rem % outShape[d]!;
      rem = Math.floor(rem / outShape[d]!);
      if (s[d] !== 1) index += coord * stride;
      stride *= s[d]!;
    }
    indices.push(index);
  }
  return indices;
}

function plannedIndices(a: number[], b: number[], out: number[]): [number[], number[]] {
  const plan = planBroadcast("TEST", a, b, out);
  const ia: number[] = [];
  const ib: number[] = [];
  for (let r = 0; r < plan.runCount; r++) {
    for (let i = 0; i < plan.runLength; i++) {
      ia.push(plan.startsA[r]! + i * plan.strideA);
      ib.push(plan.startsB[r]! + i * plan.strideB);
    }
  }
  return [ia, ib];
}

const cases: [number[], number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
    [2, 3],
  ],
  [
    [2, 3, 1, 2],
    [1, 1, 3, 2],
    [2, 3, 3, 2],
  ],
  [
    [2, 3, 1, 2],
    [1, 3, 1, 2],
    [2, 3, 1, 2],
  ],
  [
    [2, 3, 1, 2],
    [2, 1, 3, 1],
    [2, 3, 3, 2],
  ],
  [
    [2, 3, 1, 2],
    [2, 3, 1, 1],
    [2, 3, 1, 2],
  ],
  [[1, 2, 12, 64], [64], [1, 2, 12, 64]],
  [[6], [], [6]],
  [[], [2, 2, 3], [2, 2, 3]],
  [
    [4, 1],
    [1, 5],
    [4, 5],
  ],
  [
    [1, 2, 1, 3, 1, 2],
    [2, 1, 4, 1, 5, 1],
    [2, 2, 4, 3, 5, 2],
  ],
];

for (const [a, b, out] of cases) {
  test(`plans [${a}] with [${b}] onto [${out}] like direct indexing`, () => {
    const [ia, ib] = plannedIndices(a, b, out);
    assert.deepEqual(ia, referenceIndices(a, out));
    assert.deepEqual(ib, referenceIndices(b, out));
  });
}

test("equal shapes and scalars are a single run", () => {
  assert.equal(planBroadcast("TEST", [3, 4], [3, 4], [3, 4]).runCount, 1);
  const scalar = planBroadcast("TEST", [3, 4], [1], [3, 4]);
  assert.deepEqual([scalar.runCount, scalar.runLength, scalar.strideA, scalar.strideB], [1, 12, 1, 0]);
});

test("rejects shapes that do not broadcast, or a wrong output shape", () => {
  assert.throws(() => planBroadcast("ADD", [2, 3], [3, 2], [2, 3]), KernelError);
  assert.throws(() => planBroadcast("ADD", [2, 3], [1, 3], [2, 2]), /output shape/);
  assert.throws(() => planBroadcast("ADD", [1, 1, 1, 1, 1, 1, 2], [2, 1], [1, 1, 1, 1, 1, 2, 2]), /rank 6/);
});
