/** SignalDelay against TFLM's signal/micro/kernels/delay_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalDelay } from "../../../src/kernels/signal-delay.js";
import { runKernel } from "../../support/kernel-harness.js";
import { chunks, feedingFrames, hexBytes } from "./signal-test-support.js";

// delay_flexbuffers_generated_data.cc: {delay_length: 3} and {delay_length: 5}.
const DELAY_3 = hexBytes("64 65 6c 61 79 5f 6c 65 6e 67 74 68 00 01 0e 01 01 01 03 04 02 24 01");
const DELAY_5 = hexBytes("64 65 6c 61 79 5f 6c 65 6e 67 74 68 00 01 0e 01 01 01 05 04 02 24 01");

function delay(options: Uint8Array, shape: number[], input: number[], resetBefore = -1): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  let frames = chunks(input, size);
  if (resetBefore >= 0) frames = [...frames, ...frames];
  const { history } = runKernel(feedingFrames(signalDelay, frames, resetBefore), {
    opName: "SignalDelay",
    customOptions: options,
    inputs: [{ dtype: "int16", shape }],
    outputs: [{ dtype: "int16", shape }],
    invocations: frames.length,
  });
  return history.flatMap(([out]) => [...(out as Int16Array)]);
}

describe("SignalDelay", () => {
  test("DelayTestSingleDimDelayLessThanFrameSize", () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0];
    assert.deepEqual(delay(DELAY_3, [8], input), [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0]);
  });

  test("DelayTestSingleDimDelayGreaterThanFrameSize", () => {
    assert.deepEqual(delay(DELAY_5, [3], [1, 2, 3, 4, 0, 0, 0, 0, 0]), [0, 0, 0, 0, 0, 1, 2, 3, 4]);
  });

  test("DelayTestMultiDimDelayLessThanFrameSize: each row is delayed on its own", () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, ...new Array(16).fill(0)];
    const golden = [
      0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 13, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 0, 14, 15, 0, 0,
    ];
    assert.deepEqual(delay(DELAY_3, [4, 4], input), golden);
  });

  test("resetState refills the delay line with zeros", () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const once = [0, 0, 0, 1, 2, 3, 4, 5];
    assert.deepEqual(delay(DELAY_3, [8], input, 1), [...once, ...once]);
  });
});
