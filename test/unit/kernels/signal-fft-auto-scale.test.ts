/** SignalFftAutoScale against TFLM's signal/micro/kernels/fft_test.cc FftAutoScale* goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { signalFftAutoScale } from "../../../src/kernels/signal-fft-auto-scale.js";
import { runKernel } from "../../support/kernel-harness.js";
import { FFT_AUTO_SCALE_400_GOLDEN, FFT_AUTO_SCALE_400_INPUT, int16s } from "./signal-fft-data.js";

function autoScale(input: ArrayLike<number>): { output: number[]; scaleBits: number } {
  const { outputs } = runKernel(signalFftAutoScale, {
    opName: "SignalFftAutoScale",
    inputs: [{ dtype: "int16", shape: [input.length], data: input }],
    outputs: [
      { dtype: "int16", shape: [input.length] },
      { dtype: "int32", shape: [] },
    ],
  });
  return { output: [...(outputs[0] as Int16Array)], scaleBits: (outputs[1] as Int32Array)[0]! };
}

describe("SignalFftAutoScale", () => {
  test("FftAutoScaleTestSmall: one bit of headroom", () => {
    const r = autoScale([0x0000, 0x1111, 0x2222, 0x3333, 0x3333, 0x2222, 0x1111, 0x0000]);
    assert.deepEqual(r.output, [0x0000, 0x2222, 0x4444, 0x6666, 0x6666, 0x4444, 0x2222, 0x0000]);
    assert.equal(r.scaleBits, 1);
  });

  test("FftAutoScaleTestScaleBit: negative peak, seven bits", () => {
    const r = autoScale([238, 113, -88, -243, -5, -130, 159, -70]);
    assert.deepEqual(r.output, [30464, 14464, -11264, -31104, -640, -16640, 20352, -8960]);
    assert.equal(r.scaleBits, 7);
  });

  test("FftAutoScaleTestLarge: no headroom leaves the input unchanged", () => {
    const r = autoScale(int16s(FFT_AUTO_SCALE_400_INPUT));
    assert.deepEqual(r.output, [...int16s(FFT_AUTO_SCALE_400_GOLDEN)]);
    assert.equal(r.scaleBits, 0);
  });

  test("all zeros, or a final -32768 (whose int16 magnitude wraps), give zero bits", () => {
    assert.equal(autoScale([0, 0, 0, 0]).scaleBits, 0);
    assert.deepEqual(autoScale([5, -32768]), { output: [5, -32768], scaleBits: 0 });
  });

  test("TFLM's int16 running maximum: after -32768 wraps, a later small peak sets the shift", () => {
    // max becomes -32768, then 100 > -32768 resets it to 100: 16 − 7 − 1 = 8 bits, and -32768·256 wraps to 0.
    assert.deepEqual(autoScale([-32768, 100]), { output: [0, 25600], scaleBits: 8 });
  });

  test("rejects a non-scalar scale output", () => {
    assert.throws(
      () =>
        runKernel(signalFftAutoScale, {
          inputs: [{ dtype: "int16", shape: [4], data: [1, 2, 3, 4] }],
          outputs: [
            { dtype: "int16", shape: [4] },
            { dtype: "int32", shape: [1] },
          ],
        }),
      KernelError,
    );
  });
});
