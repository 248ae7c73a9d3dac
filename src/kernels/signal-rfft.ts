/**
 * SignalRfft (TFLM signal library): real FFT of each innermost row, zero-padded to fft_length, through kissfft
 * in the build matching the tensor type (int16 and int32 fixed point scale by 1/fft_length; float32 does not).
 * Output rows hold fft_length/2 + 1 interleaved complex bins.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { type FftScalar, prepareRealFftRows, RealFft, type RealFftWorkspace, realFftMacs } from "./signal-common.js";

interface RfftPrepared {
  fft: RealFft;
  scalar: FftScalar;
  inputLength: number;
  frames: number;
}

export const signalRfft: Kernel<RfftPrepared, RealFftWorkspace> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const { scalar, fftLength, input, output } = prepareRealFftRows(ctx);
    const inShape = input.shape;
    const outShape = output.shape;
    const inputLength = inShape[inShape.length - 1]!;
    if (inputLength > fftLength) {
      throw new KernelError(`${op}: input rows of ${inputLength} samples are longer than fft_length ${fftLength}`);
    }
    if (outShape[outShape.length - 1] !== fftLength + 2) {
      throw new KernelError(
        `${op}: output rows must hold fft_length/2 + 1 complex values (${fftLength + 2}), got ${outShape[outShape.length - 1]}`,
      );
    }
    const frames = inputLength === 0 ? 0 : input.elementCount / inputLength;
    if (output.elementCount !== frames * (fftLength + 2)) {
      throw new KernelError(`${op}: output [${outShape}] does not match ${frames} input row(s)`);
    }
    return { fft: new RealFft(fftLength, false, scalar), scalar, inputLength, frames };
  },

  createState(prepared) {
    return prepared.fft.createWorkspace();
  },

  eval(prepared, io, work) {
    const input = io.inputs[0] as Int16Array | Int32Array | Float32Array;
    const output = io.outputs[0] as Int16Array | Int32Array | Float32Array;
    const { fft, inputLength, frames } = prepared;
    const rowOut = fft.fftLength + 2;
    const packed = work.packed;
    for (let frame = 0; frame < frames; frame++) {
      const start = frame * inputLength;
      for (let i = 0; i < inputLength; i++) packed[i] = input[start + i]!;
      packed.fill(0, inputLength);
      fft.forward(work, output, frame * rowOut);
    }
  },

  macs(ctx) {
    return realFftMacs(ctx, false);
  },
};
