/**
 * SignalFilterBankSpectralSubtraction (TFLM signal library): tracks a per-channel noise estimate with a
 * one-pole smoothing filter (alternate coefficients on odd channels) and subtracts it from each uint32 channel,
 * never below min_signal_remaining of the input. The estimate is per-session state and is also output 1.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  checkRange,
  expectRank,
  expectType,
  mulShiftU32,
  optionBool,
  optionInt,
  readSignalOptions,
  signalTensors,
} from "./signal-common.js";

interface SpectralSubtractionPrepared {
  numChannels: number;
  smoothing: number;
  oneMinusSmoothing: number;
  alternateSmoothing: number;
  alternateOneMinusSmoothing: number;
  minSignalRemaining: number;
  smoothingBits: number;
  spectralSubtractionBits: number;
  clamping: boolean;
}

export const signalFilterBankSpectralSubtraction: Kernel<SpectralSubtractionPrepared, Uint32Array> = {
  prepare(ctx) {
    const options = readSignalOptions(ctx);
    // TFLM keeps the coefficients as uint32.
    const u32 = (key: string) => optionInt(ctx, options, key) >>> 0;
    const prepared: SpectralSubtractionPrepared = {
      numChannels: optionInt(ctx, options, "num_channels"),
      smoothing: u32("smoothing"),
      oneMinusSmoothing: u32("one_minus_smoothing"),
      alternateSmoothing: u32("alternate_smoothing"),
      alternateOneMinusSmoothing: u32("alternate_one_minus_smoothing"),
      minSignalRemaining: u32("min_signal_remaining"),
      smoothingBits: optionInt(ctx, options, "smoothing_bits"),
      spectralSubtractionBits: optionInt(ctx, options, "spectral_subtraction_bits"),
      clamping: optionBool(ctx, options, "clamping"),
    };
    checkRange(ctx, "smoothing_bits", prepared.smoothingBits, 0, 31);
    checkRange(ctx, "spectral_subtraction_bits", prepared.spectralSubtractionBits, 0, 63);
    const {
      inputs: [input],
      outputs: [output, noiseEstimate],
    } = signalTensors(ctx, 1, 2);
    for (const [what, t] of [
      ["input", input!],
      ["output", output!],
      ["noise estimate output", noiseEstimate!],
    ] as const) {
      expectType(ctx, what, t, "uint32");
      expectRank(ctx, what, t, 1);
      if (t.elementCount !== prepared.numChannels) {
        throw new KernelError(
          `${ctx.node.opName}: ${what} has ${t.elementCount} channels, num_channels is ${prepared.numChannels}`,
        );
      }
    }
    return prepared;
  },

  createState(prepared) {
    return new Uint32Array(prepared.numChannels);
  },

  resetState(_prepared, noise) {
    noise.fill(0);
  },

  eval(p, io, noise) {
    const input = io.inputs[0] as Uint32Array;
    const output = io.outputs[0] as Uint32Array;
    const noiseOut = io.outputs[1] as Uint32Array;
    const bits = p.spectralSubtractionBits;
    const divisor = 2 ** bits;
    // With 20-bit coefficients both products and their sum stay below 2^53: plain doubles are exact.
    const exact =
      Math.max(p.smoothing, p.oneMinusSmoothing, p.alternateSmoothing, p.alternateOneMinusSmoothing) < 2 ** 20;
    for (let i = 0; i < p.numChannels; i++) {
      const odd = (i & 1) === 1;
      const smoothing = odd ? p.alternateSmoothing : p.smoothing;
      const oneMinusSmoothing = odd ? p.alternateOneMinusSmoothing : p.oneMinusSmoothing;
      const signal = input[i]!;
      const signalScaledUp = (signal << p.smoothingBits) >>> 0;
      let estimate: number;
      if (exact) {
        estimate = Math.floor((signalScaledUp * smoothing + noise[i]! * oneMinusSmoothing) / divisor) >>> 0;
      } else {
        const sum = BigInt(signalScaledUp) * BigInt(smoothing) + BigInt(noise[i]!) * BigInt(oneMinusSmoothing);
        estimate = Number(BigInt.asUintN(32, BigInt.asUintN(64, sum) >> BigInt(bits)));
      }
      noise[i] = estimate;
      // The estimate may not exceed the signal, so the difference below stays non-negative.
      if (estimate > signalScaledUp) {
        estimate = signalScaledUp;
        if (p.clamping) noise[i] = estimate;
      }
      const floor = mulShiftU32(signal, p.minSignalRemaining, bits);
      const subtracted = (signalScaledUp - estimate) >>> p.smoothingBits;
      output[i] = Math.max(subtracted, floor);
    }
    noiseOut.set(noise);
  },
};
