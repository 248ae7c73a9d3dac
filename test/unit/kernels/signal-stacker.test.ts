/** SignalStacker against TFLM's signal/micro/kernels/stacker_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalStacker } from "../../../src/kernels/signal-stacker.js";
import { runKernel } from "../../support/kernel-harness.js";
import { feedingFrames, hexBytes } from "./signal-test-support.js";

// stacker_flexbuffers_generated_data.cc: {num_channels, stacker_left_context: 1, right: 0, stacker_step}.
const HEAD =
  "6e 75 6d 5f 63 68 61 6e 6e 65 6c 73 00 73 74 61 63 6b 65 72 5f 6c 65 66 74 5f 63 6f 6e 74 65 78 74 00 73 74 61 " +
  "63 6b 65 72 5f 72 69 67 68 74 5f 63 6f 6e 74 65 78 74 00 73 74 61 63 6b 65 72 5f 73 74 65 70 00 04 46 3a 26 11 " +
  "04 01 04";
const CHANNELS_3_STEP_1 = hexBytes(`${HEAD} 03 01 00 01 04 04 04 04 08 24 01`);
const CHANNELS_10_STEP_2 = hexBytes(`${HEAD} 0a 01 00 02 04 04 04 04 08 24 01`);

function stack(options: Uint8Array, frames: number[][], outputSize: number, resetBefore = -1) {
  return runKernel(feedingFrames(signalStacker, frames, resetBefore), {
    opName: "SignalStacker",
    customOptions: options,
    inputs: [{ dtype: "int16", shape: [frames[0]!.length] }],
    outputs: [
      { dtype: "int16", shape: [outputSize] },
      { dtype: "bool", shape: [] },
    ],
    invocations: frames.length,
  }).history.map(([out, valid]) => ({ out: [...out!], valid: valid![0] }));
}

const THREE = [0x1234, 0x5678, 0x4321];
const TEN_A = [252, 477, 1071, 166, 1022, 312, 1171, 1586, 1491, 145];
const TEN_B = [1060, 200, 69, 1519, 883, 1317, 182, 724, 143, 334];

describe("SignalStacker", () => {
  test("StackerTest3ChannelStep1: the first frame is repeated as left context", () => {
    assert.deepEqual(stack(CHANNELS_3_STEP_1, [THREE], 6), [{ out: [...THREE, ...THREE], valid: 1 }]);
  });

  test("StackerTest10ChannelStep2 (1st and 2nd tests, each a fresh node)", () => {
    assert.deepEqual(stack(CHANNELS_10_STEP_2, [TEN_A], 20), [{ out: [...TEN_A, ...TEN_A], valid: 1 }]);
    assert.deepEqual(stack(CHANNELS_10_STEP_2, [TEN_B], 20), [{ out: [...TEN_B, ...TEN_B], valid: 1 }]);
  });

  test("step 2 needs two new frames before the next stack; step 1 slides by one", () => {
    const step2 = stack(CHANNELS_10_STEP_2, [TEN_A, TEN_B, TEN_A], 20);
    assert.deepEqual(
      step2.map((r) => r.valid),
      [1, 0, 1],
    );
    assert.deepEqual(step2[2]!.out, [...TEN_B, ...TEN_A]);
    const step1 = stack(CHANNELS_3_STEP_1, [THREE, [1, 2, 3]], 6);
    assert.deepEqual(step1[1], { out: [...THREE, 1, 2, 3], valid: 1 });
  });

  test("StackerTestReset: after resetState the first frame is padded again", () => {
    const runs = stack(CHANNELS_3_STEP_1, [THREE, [1, 2, 3]], 6, 1);
    assert.deepEqual(runs[1], { out: [1, 2, 3, 1, 2, 3], valid: 1 });
  });
});
