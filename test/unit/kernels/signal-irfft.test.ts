/** SignalIrfft against TFLM's signal/micro/kernels/fft_test.cc (Irfft* tests and fft_test_data.cc vectors). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalIrfft } from "../../../src/kernels/signal-irfft.js";
import { runKernel } from "../../support/kernel-harness.js";
import {
  float32s,
  IRFFT_FLOAT_512_GOLDEN,
  IRFFT_FLOAT_512_INPUT,
  IRFFT_INT16_512_GOLDEN,
  IRFFT_INT16_512_INPUT,
  IRFFT_INT32_512_GOLDEN,
  IRFFT_INT32_512_INPUT,
  int16s,
  int32s,
} from "./signal-fft-data.js";
import { hexBytes } from "./signal-test-support.js";

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

function irfft(
  type: "int16" | "int32" | "float32",
  options: Uint8Array,
  inputShape: number[],
  input: ArrayLike<number>,
) {
  const fftLength = inputShape[inputShape.length - 1]! - 2;
  return runKernel(signalIrfft, {
    opName: "SignalIrfft",
    customOptions: options,
    inputs: [{ dtype: type, shape: inputShape, data: input }],
    outputs: [{ dtype: type, shape: [...inputShape.slice(0, -1), fftLength] }],
  }).outputs[0]!;
}

const flat = (rows: number) => Array.from({ length: rows * 66 }, (_, i) => (i % 2 === 0 ? 256 : 0));
const impulse = (rows: number) => Array.from({ length: rows * 64 }, (_, i) => (i % 64 === 0 ? 256 : 0));

describe("SignalIrfft", () => {
  for (const type of ["float32", "int16", "int32"] as const) {
    test(`IrfftTestLength64 ${type}: a flat spectrum of 256 gives an impulse of 256`, () => {
      assert.deepEqual([...irfft(type, FFT_64[type], [66], flat(1))], impulse(1));
    });
  }

  test("IrfftTestLength64Int32OuterDims4", () => {
    assert.deepEqual([...irfft("int32", FFT_64.int32, [2, 2, 66], flat(4))], impulse(4));
  });

  test("IrfftTestLength512Int16 and Int32 match fft_test_data.cc exactly", () => {
    assert.deepEqual(
      [...irfft("int16", FFT_512.int16, [514], int16s(IRFFT_INT16_512_INPUT))],
      [...int16s(IRFFT_INT16_512_GOLDEN)],
    );
    assert.deepEqual(
      [...irfft("int32", FFT_512.int32, [514], int32s(IRFFT_INT32_512_INPUT))],
      [...int32s(IRFFT_INT32_512_GOLDEN)],
    );
  });

  test("IrfftTestLength512Float is within 1e-6 of fft_test_data.cc (divided by fft_length)", () => {
    const out = irfft("float32", FFT_512.float32, [514], float32s(IRFFT_FLOAT_512_INPUT));
    float32s(IRFFT_FLOAT_512_GOLDEN).forEach((g, i) => {
      assert.ok(Math.abs(Number(out[i]) - g) <= 1e-6, `element ${i}: ${out[i]} vs ${g}`);
    });
  });
});
