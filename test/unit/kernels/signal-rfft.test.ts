/**
 * SignalRfft against TFLM's signal/micro/kernels/fft_test.cc: the length-64 impulse tests for every type, and the
 * length-512 vectors of signal/testdata/fft_test_data.cc. int32 matches the golden exactly (fft_test.cc's
 * tolerance is 0). For int16, fft_test.cc only asks for ±3 of its golden, which kissfft v130 itself does not
 * meet at two bins; there the reference is kissfft's own output (built natively from the same patched sources).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { signalRfft } from "../../../src/kernels/signal-rfft.js";
import { runKernel } from "../../support/kernel-harness.js";
import {
  float32s,
  int16s,
  int32s,
  RFFT_FLOAT_512_GOLDEN,
  RFFT_FLOAT_512_INPUT,
  RFFT_INT16_512_GOLDEN,
  RFFT_INT16_512_INPUT,
  RFFT_INT16_512_KISSFFT,
  RFFT_INT32_512_GOLDEN,
  RFFT_INT32_512_INPUT,
} from "./signal-fft-data.js";
import { hexBytes } from "./signal-test-support.js";

// fft_flexbuffers_generated_data.cc: {T, fft_length} for 64 and 512.
const FFT_64 = {
  float32: hexBytes("66 66 74 5f 6c 65 6e 67 74 68 00 54 00 02 03 0f 02 01 02 00 40 04 04 04 24 01"),
  int16: hexBytes("66 66 74 5f 6c 65 6e 67 74 68 00 54 00 02 03 0f 02 01 02 07 40 04 04 04 24 01"),
  int32: hexBytes("66 66 74 5f 6c 65 6e 67 74 68 00 54 00 02 03 0f 02 01 02 02 40 04 04 04 24 01"),
};
const FFT_512 = {
  float32: hexBytes("66 66 74 5f 6c 65 6e 67 74 68 00 54 00 02 03 0f 02 00 01 00 02 00 00 00 00 02 05 05 06 25 01"),
  int16: hexBytes("66 66 74 5f 6c 65 6e 67 74 68 00 54 00 02 03 0f 02 00 01 00 02 00 07 00 00 02 05 05 06 25 01"),
  int32: hexBytes("66 66 74 5f 6c 65 6e 67 74 68 00 54 00 02 03 0f 02 00 01 00 02 00 02 00 00 02 05 05 06 25 01"),
};

type FftType = "int16" | "int32" | "float32";

function rfft(type: FftType, options: Uint8Array, inputShape: number[], input: ArrayLike<number>, rowOut: number) {
  const outShape = [...inputShape.slice(0, -1), rowOut];
  return runKernel(signalRfft, {
    opName: "SignalRfft",
    customOptions: options,
    inputs: [{ dtype: type, shape: inputShape, data: input }],
    outputs: [{ dtype: type, shape: outShape }],
  }).outputs[0]!;
}

function impulse(rows: number): number[] {
  return Array.from({ length: rows * 64 }, (_, i) => (i % 64 === 0 ? 16384 : 0));
}

describe("SignalRfft", () => {
  test("RfftTestSize64Float: an impulse of 16384 gives a flat 16384 spectrum", () => {
    const out = rfft("float32", FFT_64.float32, [64], impulse(1), 66) as Float32Array;
    // + 0 folds the -0 imaginary parts into 0, as C's == would.
    assert.deepEqual(
      Array.from(out, (v) => v + 0),
      Array.from({ length: 66 }, (_, i) => (i % 2 === 0 ? 16384 : 0)),
    );
  });

  for (const type of ["int16", "int32"] as const) {
    test(`RfftTestSize64${type === "int16" ? "Int16" : "Int32"}: fixed point scales the flat spectrum by 1/64`, () => {
      const out = rfft(type, FFT_64[type], [64], impulse(1), 66);
      assert.deepEqual(
        [...out],
        Array.from({ length: 66 }, (_, i) => (i % 2 === 0 ? 256 : 0)),
      );
    });
  }

  test("RfftTestSize64Int32OuterDims4 transforms every row", () => {
    const out = rfft("int32", FFT_64.int32, [2, 2, 64], impulse(4), 66);
    assert.deepEqual(
      [...out],
      Array.from({ length: 4 * 66 }, (_, i) => (i % 2 === 0 ? 256 : 0)),
    );
  });

  test("RfftTestSize512Int32 matches fft_test_data.cc exactly", () => {
    const out = rfft("int32", FFT_512.int32, [512], int32s(RFFT_INT32_512_INPUT), 514);
    assert.deepEqual([...out], [...int32s(RFFT_INT32_512_GOLDEN)]);
  });

  test("RfftTestSize512Int16 is bit-exact with kissfft and within fft_test.cc's tolerance of its golden", () => {
    const out = [...rfft("int16", FFT_512.int16, [512], int16s(RFFT_INT16_512_INPUT), 514)];
    assert.deepEqual(out, [...int16s(RFFT_INT16_512_KISSFFT)]);
    // TFLM's golden is not kissfft's output: it is off by 9 at DC and by 4 at bin 2's real part, within 3 elsewhere.
    const golden = int16s(RFFT_INT16_512_GOLDEN);
    const beyondTolerance = out.flatMap((v, i) => (Math.abs(Number(v) - golden[i]!) > 3 ? [i] : []));
    assert.deepEqual(beyondTolerance, [0, 4]);
  });

  test("RfftTestSize512Float is within 1e-5 of fft_test_data.cc", () => {
    const out = rfft("float32", FFT_512.float32, [512], float32s(RFFT_FLOAT_512_INPUT), 514);
    const golden = float32s(RFFT_FLOAT_512_GOLDEN);
    golden.forEach((g, i) => {
      assert.ok(Math.abs(Number(out[i]) - g) <= 1e-5 * Math.max(1, Math.abs(g)), `element ${i}: ${out[i]} vs ${g}`);
    });
  });

  test("shorter rows are zero-padded to fft_length", () => {
    const padded = rfft("int16", FFT_64.int16, [64], impulse(1), 66);
    const short = rfft("int16", FFT_64.int16, [40], impulse(1).slice(0, 40), 66);
    assert.deepEqual([...short], [...padded]);
  });

  test("rejects a type that differs from T and an output without fft_length/2 + 1 bins", () => {
    assert.throws(() => rfft("int32", FFT_64.int16, [64], impulse(1), 66), KernelError);
    assert.throws(() => rfft("int16", FFT_64.int16, [64], impulse(1), 64), /fft_length\/2 \+ 1/);
  });
});
