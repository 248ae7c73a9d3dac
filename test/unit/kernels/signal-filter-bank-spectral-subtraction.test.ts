/**
 * SignalFilterBankSpectralSubtraction against TFLM's filter_bank_spectral_subtraction_test.cc goldens (one
 * invocation from a zero noise estimate), plus the state's behaviour across invocations and on reset.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalFilterBankSpectralSubtraction } from "../../../src/kernels/signal-filter-bank-spectral-subtraction.js";
import { runKernel } from "../../support/kernel-harness.js";
import { feedingFrames, hexBytes } from "./signal-test-support.js";

// filter_bank_spectral_subtraction_flexbuffers_generated_data.cc (32- and 16-channel variants).
const OPTIONS_HEAD =
  "6e 75 6d 5f 63 68 61 6e 6e 65 6c 73 00 73 6d 6f 6f 74 68 69 6e 67 00 6f 6e 65 5f 6d 69 6e 75 73 5f 73 6d 6f " +
  "6f 74 68 69 6e 67 00 61 6c 74 65 72 6e 61 74 65 5f 73 6d 6f 6f 74 68 69 6e 67 00 61 6c 74 65 72 6e 61 74 65 " +
  "5f 6f 6e 65 5f 6d 69 6e 75 73 5f 73 6d 6f 6f 74 68 69 6e 67 00 73 6d 6f 6f 74 68 69 6e 67 5f 62 69 74 73 00 " +
  "6d 69 6e 5f 73 69 67 6e 61 6c 5f 72 65 6d 61 69 6e 69 6e 67 00 63 6c 61 6d 70 69 6e 67 00 73 70 65 63 74 72 " +
  "61 6c 5f 73 75 62 74 72 61 63 74 69 6f 6e 5f 62 69 74 73 00 09 66 7b 26 3c a9 93 9e 4f 23 09 00 01 00 09 00 " +
  "71 3d 8f 02 00 00 33 03 ";
const OPTIONS_TAIL = " 00 71 3d 8f 02 00 00 0e 00 05 05 05 05 05 05 05 05 05 1b 25 01";
const CHANNELS_32 = hexBytes(`${OPTIONS_HEAD}20${OPTIONS_TAIL}`);
const CHANNELS_16 = hexBytes(`${OPTIONS_HEAD}10${OPTIONS_TAIL}`);

function subtract(options: Uint8Array, frames: number[][]) {
  const n = frames[0]!.length;
  return runKernel(feedingFrames(signalFilterBankSpectralSubtraction, frames), {
    opName: "SignalFilterBankSpectralSubtraction",
    customOptions: options,
    inputs: [{ dtype: "uint32", shape: [n] }],
    outputs: [
      { dtype: "uint32", shape: [n] },
      { dtype: "uint32", shape: [n] },
    ],
    invocations: frames.length,
  }).history.map(([out, noise]) => ({ out: [...out!].map(Number), noise: [...noise!].map(Number) }));
}

const INPUT_32 = [
  322, 308, 210, 212, 181, 251, 403, 259, 65, 48, 76, 48, 50, 46, 53, 52, 112, 191, 136, 59, 70, 51, 39, 64, 33, 44, 41,
  49, 74, 107, 262, 479,
];
const INPUT_16 = [393, 213, 408, 1, 361, 385, 386, 326, 170, 368, 368, 305, 152, 322, 213, 319];

describe("SignalFilterBankSpectralSubtraction", () => {
  test("FilterBankSpectralSubtractionTest32Channel", () => {
    const [first] = subtract(CHANNELS_32, [INPUT_32]);
    assert.deepEqual(
      first!.out,
      [
        310, 296, 202, 204, 174, 241, 387, 249, 63, 47, 73, 47, 49, 45, 51, 50, 108, 184, 131, 57, 68, 49, 38, 62, 32,
        43, 40, 48, 72, 103, 252, 460,
      ],
    );
    assert.deepEqual(
      first!.noise,
      [12, 12, 8, 8, 7, 10, 16, 10, 2, 1, 3, 1, 1, 1, 2, 2, 4, 7, 5, 2, 2, 2, 1, 2, 1, 1, 1, 1, 2, 4, 10, 19],
    );
  });

  test("FilterBankSpectralSubtractionTest16Channel", () => {
    const [first] = subtract(CHANNELS_16, [INPUT_16]);
    assert.deepEqual(first!.out, [378, 205, 392, 1, 347, 370, 371, 313, 164, 354, 354, 293, 146, 310, 205, 307]);
    assert.deepEqual(first!.noise, [15, 8, 16, 0, 14, 15, 15, 13, 6, 14, 14, 12, 6, 12, 8, 12]);
  });

  test("the noise estimate carries over: a second identical frame is subtracted more", () => {
    const [first, second] = subtract(CHANNELS_16, [INPUT_16, INPUT_16]);
    // smoothing = 655/2^14: (393·655 + 15·15729) >> 14 = 30.
    assert.equal(second!.noise[0], 30);
    assert.ok(second!.out.every((v, i) => v <= first!.out[i]!));
    assert.ok(second!.out.some((v, i) => v < first!.out[i]!));
  });

  test("resetState returns the estimate to zero (FilterBankSpectralSubtractionTest*Reset)", () => {
    const { history } = runKernel(
      feedingFrames(signalFilterBankSpectralSubtraction, [INPUT_16, INPUT_16, INPUT_16], 2),
      {
        opName: "SignalFilterBankSpectralSubtraction",
        customOptions: CHANNELS_16,
        inputs: [{ dtype: "uint32", shape: [16] }],
        outputs: [
          { dtype: "uint32", shape: [16] },
          { dtype: "uint32", shape: [16] },
        ],
        invocations: 3,
      },
    );
    assert.deepEqual([...history[2]![0]!], [...history[0]![0]!]);
    assert.deepEqual([...history[2]![1]!], [...history[0]![1]!]);
    assert.notDeepEqual([...history[1]![1]!], [...history[0]![1]!]);
  });
});
