/** EMBEDDING_LOOKUP goldens from TFLM kernels/embedding_lookup_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { embeddingLookup } from "../../../src/kernels/embedding-lookup.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues } from "../../support/quantize-values.js";
import { assertNear } from "./more-ops-test-support.js";

const ROW0 = [0.0, 0.01, 0.02, 0.03, 0.1, 0.11, 0.12, 0.13];
const ROW1 = [1.0, 1.01, 1.02, 1.03, 1.1, 1.11, 1.12, 1.13];
const ROW1_HYBRID = [1.0, -1.01, 1.02, 1.03, 1.1, 1.11, 1.12, 1.13];
const ROW2 = [2.0, 2.01, 2.02, 2.03, 2.1, 2.11, 2.12, 2.13];
const IDS = [1, 0, 2];

test("EmbeddingLookupOpTestSimpleFloat", () => {
  const { outputs } = runKernel(embeddingLookup, {
    inputs: [
      { dtype: "int32", shape: [3], data: IDS },
      { dtype: "float32", shape: [3, 2, 4], data: [...ROW0, ...ROW1, ...ROW2] },
    ],
    outputs: [{ dtype: "float32", shape: [3, 2, 4] }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [...ROW1, ...ROW0, ...ROW2].map(Math.fround));
});

for (const [name, shape] of [
  ["Simple2DTestInt8", [3, 8]],
  ["Simple3DTestInt8", [3, 2, 4]],
  ["Simple4DTestInt8", [3, 2, 2, 2]],
] as const) {
  test(`HybridEmbeddingLookupHybridOpTest${name}`, () => {
    // SymmetricScaleFromMinMax over the table's range [-1.01, 2.13]: max |value| / 127.
    const scale = Math.fround(Math.fround(2.13) / 127);
    const table = quantizeValues([...ROW0, ...ROW1_HYBRID, ...ROW2], scale, 0, "int8");
    const { outputs } = runKernel(embeddingLookup, {
      inputs: [
        { dtype: "int32", shape: [3], data: IDS },
        { dtype: "int8", shape: [...shape], data: table, scale, zeroPoint: 0 },
      ],
      outputs: [{ dtype: "float32", shape: [...shape] }],
    });
    const out = outputs[0] as Float32Array;
    assertNear(out, [...ROW1_HYBRID, ...ROW0, ...ROW2], 7.41e-3);
    // Each value is q * scale rounded once to float32.
    assert.equal(out[1], Math.fround(table[9]! * scale));
  });
}

test("EmbeddingLookupOpTestSimpleInt8", () => {
  const rows = [
    [0, 1, 2, 3, 10, 11, 12, 13],
    [100, 101, 102, 103, 110, 111, 112, 113],
    [-56, -55, -54, -53, -46, -45, -44, -43],
  ];
  const { outputs } = runKernel(embeddingLookup, {
    inputs: [
      { dtype: "int32", shape: [3], data: IDS },
      { dtype: "int8", shape: [3, 2, 4], data: rows.flat(), scale: 1, zeroPoint: 0 },
    ],
    outputs: [{ dtype: "int8", shape: [3, 2, 4], scale: 1, zeroPoint: 0 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Int8Array), [...rows[1]!, ...rows[0]!, ...rows[2]!]);
});

test("an id outside the table fails the invocation; bad shapes fail prepare", () => {
  const run = (ids: number[], outShape = [ids.length, 2]) =>
    runKernel(embeddingLookup, {
      inputs: [
        { dtype: "int32", shape: [ids.length], data: ids },
        { dtype: "float32", shape: [2, 2], data: [1, 2, 3, 4] },
      ],
      outputs: [{ dtype: "float32", shape: outShape }],
    });
  assert.throws(() => run([0, 2]), /id 2 is out of bounds/);
  assert.throws(() => run([-1]), /id -1 is out of bounds/);
  assert.throws(() => run([0, 1], [3, 2]), /should start with/);
});
