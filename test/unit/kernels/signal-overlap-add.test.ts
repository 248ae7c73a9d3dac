/** SignalOverlapAdd against TFLM's signal/micro/kernels/overlap_add_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalOverlapAdd } from "../../../src/kernels/signal-overlap-add.js";
import { runKernel } from "../../support/kernel-harness.js";
import { chunks, feedingFrames, hexBytes } from "./signal-test-support.js";

// overlap_add_flexbuffers_generated_data.cc: {T, frame_step: 1}.
const OVERLAP_ADD_FLOAT = hexBytes("66 72 61 6d 65 5f 73 74 65 70 00 54 00 02 03 0f 02 01 02 00 01 04 04 04 24 01");
const OVERLAP_ADD_INT16 = hexBytes("66 72 61 6d 65 5f 73 74 65 70 00 54 00 02 03 0f 02 01 02 07 01 04 04 04 24 01");

const INT16_INPUT = [125, -12, -895, 1000, 65, -212, 63, 71, 52, 1, -17, 32];
const INT16_OUTPUT = [125, 988, -767, -140];

/** TestOverlapAddInvoke: each invocation gets the next n_frames frames in every outer row. */
function overlapAdd(type: "int16" | "float32", inputShape: number[], input: number[], resetBefore = -1): number[][] {
  const frameSize = inputShape[inputShape.length - 1]!;
  const frames = inputShape[inputShape.length - 2]!;
  const outer = inputShape.slice(0, -2).reduce((a, b) => a * b, 1);
  let perCall = chunks(input, frames * frameSize).map((chunk) => Array.from({ length: outer }, () => chunk).flat());
  if (resetBefore >= 0) perCall = [...perCall, ...perCall];
  const { history } = runKernel(feedingFrames(signalOverlapAdd, perCall, resetBefore), {
    opName: "SignalOverlapAdd",
    customOptions: type === "int16" ? OVERLAP_ADD_INT16 : OVERLAP_ADD_FLOAT,
    inputs: [{ dtype: type, shape: inputShape }],
    outputs: [{ dtype: type, shape: [...inputShape.slice(0, -2), frames] }],
    invocations: perCall.length,
  });
  return history.map(([out]) => [...out!].map(Number));
}

describe("SignalOverlapAdd", () => {
  test("OverlapAddTestInt16: one frame per invocation", () => {
    assert.deepEqual(overlapAdd("int16", [1, 3], INT16_INPUT).flat(), INT16_OUTPUT);
  });

  test("OverlapAddTestFloat", () => {
    const input = [12.5, -1.2, -89.5, 100.0, 6.5, -21.2, 6.3, 7.1, 5.2, 0.1, -1.7, 3.2];
    const golden = [12.5, 98.8, -76.7, -14.0];
    overlapAdd("float32", [1, 3], input.map(Math.fround))
      .flat()
      .forEach((v, i) => {
        assert.ok(Math.abs(v - golden[i]!) < 1e-4, `${v} vs ${golden[i]}`);
      });
  });

  test("OverlapAddTestNframes4Int16", () => {
    assert.deepEqual(overlapAdd("int16", [4, 3], INT16_INPUT), [INT16_OUTPUT]);
  });

  test("OverlapAddTestNframes4OuterDims4Int16", () => {
    assert.deepEqual(overlapAdd("int16", [2, 2, 4, 3], INT16_INPUT), [
      [...INT16_OUTPUT, ...INT16_OUTPUT, ...INT16_OUTPUT, ...INT16_OUTPUT],
    ]);
  });

  test("testReset: a reset clears the overlap buffers", () => {
    const all = [...INT16_OUTPUT, ...INT16_OUTPUT, ...INT16_OUTPUT, ...INT16_OUTPUT];
    assert.deepEqual(overlapAdd("int16", [2, 2, 4, 3], INT16_INPUT, 1), [all, all]);
  });

  test("int16 sums saturate", () => {
    assert.deepEqual(overlapAdd("int16", [1, 3], [30000, 30000, 0, 30000, 0, 0]).flat(), [30000, 32767]);
  });
});
