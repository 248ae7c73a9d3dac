/**
 * SignalIrfft (TFLM signal library): inverse real FFT of each row of fft_length/2 + 1 interleaved complex bins
 * into fft_length real samples through kissfft. The fixed-point builds scale by 1/fft_length on the way
 * (C_FIXDIV per stage); the float build is unnormalized in kissfft and divided by fft_length afterwards.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { type FftScalar, prepareRealFftRows, RealFft, type RealFftWorkspace, realFftMacs } from "./signal-common.js";

interface IrfftPrepared {
  fft: RealFft;
  scalar: FftScalar;
  frames: number;
}

export const signalIrfft: Kernel<IrfftPrepared, RealFftWorkspace> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const { scalar, fftLength, input, output } = prepareRealFftRows(ctx);
    const inShape = input.shape;
    const outShape = output.shape;
    if (inShape[inShape.length - 1] !== fftLength + 2) {
      throw new KernelError(`${op}: input rows must hold fft_length/2 + 1 complex values (${fftLength + 2})`);
    }
    if (outShape[outShape.length - 1] !== fftLength) {
      throw new KernelError(`${op}: output rows must hold fft_length (${fftLength}) samples`);
    }
    const frames = input.elementCount / (fftLength + 2);
    if (output.elementCount !== frames * fftLength) {
      throw new KernelError(`${op}: output [${outShape}] does not match ${frames} input row(s)`);
    }
    return { fft: new RealFft(fftLength, true, scalar), scalar, frames };
  },

  createState(prepared) {
    return prepared.fft.createWorkspace();
  },

  eval(prepared, io, work) {
    const input = io.inputs[0] as Int16Array | Int32Array | Float32Array;
    const output = io.outputs[0] as Int16Array | Int32Array | Float32Array;
    const { fft, frames, scalar } = prepared;
    const n = fft.fftLength;
    const samples = work.packed;
    for (let frame = 0; frame < frames; frame++) {
      fft.backward(work, input, frame * (n + 2));
      const start = frame * n;
      if (scalar === "float32") {
        for (let i = 0; i < n; i++) output[start + i] = Math.fround(samples[i]! / n);
      } else {
        for (let i = 0; i < n; i++) output[start + i] = samples[i]!;
      }
    }
  },

  macs(ctx) {
    return realFftMacs(ctx, true);
  },
};
