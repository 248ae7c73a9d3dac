/** SignalWindow against TFLM's signal/micro/kernels/window_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { signalWindow } from "../../../src/kernels/signal-window.js";
import { runKernel } from "../../support/kernel-harness.js";
import { hexBytes } from "./signal-test-support.js";

// window_flexbuffers_generated_data.cc: {shift: 12} and {shift: 8}.
const SHIFT_12 = hexBytes("73 68 69 66 74 00 01 07 01 01 01 0c 04 02 24 01");
const SHIFT_8 = hexBytes("73 68 69 66 74 00 01 07 01 01 01 08 04 02 24 01");

const RAMP = [
  0x000, 0x100, 0x200, 0x300, 0x400, 0x500, 0x600, 0x700, 0x800, 0x900, 0xa00, 0xb00, 0xc00, 0xd00, 0xe00, 0xf00,
];
const RAMP_DOWN = [...RAMP].reverse();
const RAMP_GOLDEN = [0, 224, 416, 576, 704, 800, 864, 896, 896, 864, 800, 704, 576, 416, 224, 0];

function run(options: Uint8Array, inputShape: number[], input: number[], window: number[]) {
  return runKernel(signalWindow, {
    opName: "SignalWindow",
    customOptions: options,
    inputs: [
      { dtype: "int16", shape: inputShape, data: input },
      { dtype: "int16", shape: [window.length], data: window, constant: true },
    ],
    outputs: [{ dtype: "int16", shape: inputShape }],
  }).outputs[0]!;
}

describe("SignalWindow", () => {
  test("WindowTestLength16Shift12", () => {
    assert.deepEqual([...run(SHIFT_12, [16], RAMP, RAMP_DOWN)], RAMP_GOLDEN);
  });

  test("WindowTestLength32Shift8 saturates at int16", () => {
    const input = [
      1221, 1920, 9531, 2795, 1826, 371, 8446, 850, 3129, 8218, 4199, 8358, 205, 5268, 3263, 2849, 8398, 1381, 6305,
      668, 8867, 4651, 9121, 6141, 1961, 3750, 8418, 8085, 3308, 1788, 1608, 4761,
    ];
    const window = [
      1323, 764, 9100, 4220, 1745, 9311, 178, 9442, 5676, 1817, 5433, 5837, 7635, 4539, 6548, 9690, 6097, 4275, 1523,
      3694, 7506, 2797, 5153, 172, 2172, 4540, 6643, 7845, 1719, 7564, 1700, 5227,
    ];
    const golden = [
      6310, 5730, 32767, 32767, 12446, 13493, 5872, 31350, 32767, 32767, 32767, 32767, 6113, 32767, 32767, 32767, 32767,
      23061, 32767, 9639, 32767, 32767, 32767, 4125, 16637, 32767, 32767, 32767, 22212, 32767, 10678, 32767,
    ];
    assert.deepEqual([...run(SHIFT_8, [32], input, window)], golden);
  });

  test("WindowTestLength16Shift12OuterDims4 applies the window to every row", () => {
    const input = [...RAMP, ...RAMP, ...RAMP, ...RAMP];
    assert.deepEqual(
      [...run(SHIFT_12, [2, 2, 16], input, RAMP_DOWN)],
      [...RAMP_GOLDEN, ...RAMP_GOLDEN, ...RAMP_GOLDEN, ...RAMP_GOLDEN],
    );
  });

  test("negative products shift arithmetically and saturate at -32768", () => {
    assert.deepEqual([...run(SHIFT_8, [3], [-32768, -1, 300], [32767, 1, -32768])], [-32768, -1, -32768]);
  });

  test("rejects a missing shift option and a window that does not tile the input", () => {
    assert.throws(() => run(hexBytes("00 00 01"), [16], RAMP, RAMP_DOWN), KernelError);
    assert.throws(() => run(SHIFT_12, [15], RAMP.slice(1), RAMP_DOWN), /multiple of the window/);
  });
});
