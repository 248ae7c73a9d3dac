/** DEPTH_TO_SPACE goldens from TFLM kernels/depth_to_space_test.cc (test names kept). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { depthToSpace } from "../../../src/kernels/depth-to-space.js";
import { runKernel } from "../../support/kernel-harness.js";
import { quantizeValues, scaleFromMinMax, zeroPointFromMinMax } from "../../support/quantize-values.js";

function run(dtype: DType, inputShape: number[], input: number[], outputShape: number[], blockSize = 2): number[] {
  const { outputs } = runKernel(depthToSpace, {
    options: { blockSize },
    inputs: [{ dtype, shape: inputShape, data: input }],
    outputs: [{ dtype, shape: outputShape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

const CASES: {
  name: string;
  input: number[];
  inShape: number[];
  outShape: number[];
  expected: number[];
  block: number;
}[] = [
  {
    name: "1114_2",
    inShape: [1, 1, 1, 4],
    input: [1.4, 2.3, 3.2, 4.1],
    outShape: [1, 2, 2, 1],
    expected: [1.4, 2.3, 3.2, 4.1],
    block: 2,
  },
  {
    name: "1124_2",
    inShape: [1, 1, 2, 4],
    input: [1, 2, 3, 4, 5, 6, 7, 8],
    outShape: [1, 2, 4, 1],
    expected: [1, 2, 5, 6, 3, 4, 7, 8],
    block: 2,
  },
  {
    name: "1214_2",
    inShape: [1, 2, 1, 4],
    input: [1, 2, 3, 4, 5, 6, 7, 8],
    outShape: [1, 4, 2, 1],
    expected: [1, 2, 3, 4, 5, 6, 7, 8],
    block: 2,
  },
  {
    name: "1224_2",
    inShape: [1, 2, 2, 4],
    input: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    outShape: [1, 4, 4, 1],
    expected: [1, 2, 5, 6, 3, 4, 7, 8, 9, 10, 13, 14, 11, 12, 15, 16],
    block: 2,
  },
  { name: "1111_1", inShape: [1, 1, 1, 1], input: [4], outShape: [1, 1, 1, 1], expected: [4], block: 1 },
];

for (const c of CASES) {
  test(`DepthToSpaceOpModelFloat32_${c.name}`, () => {
    assert.deepEqual(run("float32", c.inShape, c.input, c.outShape, c.block), c.expected.map(Math.fround));
  });
  test(`DepthToSpaceOpModelInt8_${c.name}`, () => {
    // The op only moves values: the quantized input must come out as the quantized golden, exactly.
    const scale = scaleFromMinMax("int8", 0, 16);
    const zeroPoint = zeroPointFromMinMax("int8", 0, 16);
    const q = quantizeValues(c.input, scale, zeroPoint, "int8");
    const qExpected = quantizeValues(c.expected, scale, zeroPoint, "int8");
    assert.deepEqual(run("int8", c.inShape, q, c.outShape, c.block), qExpected);
  });
}

test("bad block sizes and shapes are rejected", () => {
  assert.throws(() => run("float32", [1, 1, 1, 4], [1, 2, 3, 4], [1, 2, 2, 1], 0), /block size 0/);
  assert.throws(() => run("float32", [1, 1, 1, 3], [1, 2, 3], [1, 2, 2, 1]), /not a multiple/);
  assert.throws(() => run("float32", [1, 1, 1, 4], [1, 2, 3, 4], [1, 1, 4, 1]), /should be/);
});
