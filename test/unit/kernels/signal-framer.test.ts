/**
 * SignalFramer against TFLM's signal/micro/kernels/framer_test.cc: the golden stream is fed in input-sized chunks
 * (after the first frame_size − frame_step samples) and every emitted frame must equal the matching window of it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { signalFramer } from "../../../src/kernels/signal-framer.js";
import { runKernel } from "../../support/kernel-harness.js";
import { feedingFrames, hexBytes } from "./signal-test-support.js";

// framer_flexbuffers_generated_data.cc: {frame_size 3, frame_step 1, prefill false}, {5, 2, true}.
const FRAMER_3_1_0 = hexBytes(
  "66 72 61 6d 65 5f 73 69 7a 65 00 66 72 61 6d 65 5f 73 74 65 70 00 70 72 65 66 69 6c 6c 00 03 1f 15 0b 03 01 03 03 01 00 04 04 68 06 24 01",
);
const FRAMER_5_2_1 = hexBytes(
  "66 72 61 6d 65 5f 73 69 7a 65 00 66 72 61 6d 65 5f 73 74 65 70 00 70 72 65 66 69 6c 6c 00 03 1f 15 0b 03 01 03 05 02 01 04 04 68 06 24 01",
);

interface Case {
  options: Uint8Array;
  frameSize: number;
  frameStep: number;
  prefill: boolean;
  inputShape: number[];
  frames: number;
  golden: number[];
}

/** TestFramerInvoke: feeds the golden stream, checks the valid flag and each frame; optionally resets midway. */
function checkFramer(c: Case, withReset = false): void {
  const latency = c.frameSize - c.frameStep;
  const inputSize = c.inputShape[c.inputShape.length - 1]!;
  const outer = c.inputShape.slice(0, -1).reduce((a, b) => a * b, 1);
  const starts: number[] = [];
  for (let i = 0; i < c.golden.length - latency; i += inputSize) starts.push(i);
  const rounds = withReset ? [...starts, ...starts] : starts;
  const inputs = rounds.map((i) => {
    const chunk = c.golden.slice(latency + i, latency + i + inputSize);
    return Array.from({ length: outer }, () => chunk).flat();
  });
  const { history } = runKernel(feedingFrames(signalFramer, inputs, withReset ? starts.length : -1), {
    opName: "SignalFramer",
    customOptions: c.options,
    inputs: [{ dtype: "int16", shape: c.inputShape }],
    outputs: [
      { dtype: "int16", shape: [...c.inputShape.slice(0, -1), c.frames, c.frameSize] },
      { dtype: "bool", shape: [] },
    ],
    invocations: inputs.length,
  });
  rounds.forEach((i, call) => {
    const [out, valid] = history[call]!;
    const expectValid = i >= latency || c.prefill;
    assert.equal(valid![0], expectValid ? 1 : 0, `invocation ${call}: valid flag`);
    if (!expectValid) return;
    for (let o = 0; o < outer; o++) {
      for (let f = 0; f < c.frames; f++) {
        const at = (o * c.frames + f) * c.frameSize;
        const expected = c.golden.slice(i + f * c.frameStep, i + f * c.frameStep + c.frameSize);
        assert.deepEqual([...out!.subarray(at, at + c.frameSize)], expected, `invocation ${call}, frame ${f}`);
      }
    }
  });
}

const GOLDEN_3_1 = [0x0, 0x0, 0x1234, 0x5678, 0x4321, 0x7777];
const GOLDEN_5_2 = [0x0, 0x0, 0x0, 0x1010, 0x0202, 0x7070, 0x0606];
const CASE_3_1_0: Case = {
  options: FRAMER_3_1_0,
  frameSize: 3,
  frameStep: 1,
  prefill: false,
  inputShape: [1],
  frames: 1,
  golden: GOLDEN_3_1,
};
const CASE_5_2_1: Case = {
  options: FRAMER_5_2_1,
  frameSize: 5,
  frameStep: 2,
  prefill: true,
  inputShape: [2],
  frames: 1,
  golden: GOLDEN_5_2,
};

describe("SignalFramer", () => {
  test("FramerTest_3_1_0: not valid until two samples of history exist", () => checkFramer(CASE_3_1_0));
  test("FramerTest_5_2_1: prefill makes the first frame valid", () => checkFramer(CASE_5_2_1));
  test("FramerTest_5_2_1_NFrames2", () => checkFramer({ ...CASE_5_2_1, inputShape: [4], frames: 2 }));
  test("FramerTest_5_2_1_NFrames2OuterDims4", () => checkFramer({ ...CASE_5_2_1, inputShape: [2, 2, 4], frames: 2 }));
  test("TestReset: after resetState the stream starts over", () => checkFramer(CASE_3_1_0, true));

  test("rejects input rows that are not whole steps", () => {
    assert.throws(() => checkFramer({ ...CASE_5_2_1, inputShape: [3], frames: 1 }), KernelError);
  });
});
