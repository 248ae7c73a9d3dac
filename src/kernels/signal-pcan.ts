/**
 * SignalPCAN (TFLM signal library): per-channel energy normalization. A gain is looked up from the noise
 * estimate in a piecewise-quadratic table (WideDynamicFunction), applied to each uint32 channel, and the
 * resulting SNR is compressed by the "shrink" curve (x²/4 below 2, x − 1 above).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  checkRange,
  expectRank,
  expectType,
  mostSignificantBit32,
  mulShiftU32,
  optionInt,
  readSignalOptions,
  signalTensors,
} from "./signal-common.js";

const SNR_BITS = 12;
const OUTPUT_BITS = 6;

interface PcanPrepared {
  snrShift: number;
  numChannels: number;
}

/** Gain for noise level x from the table (int16 result, as TFLM returns it). */
function wideDynamicFunction(x: number, lut: Int16Array): number {
  if (x <= 2) return lut[x]!;
  const interval = mostSignificantBit32(x);
  const base = 4 * interval - 6;
  const frac = ((interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff) | 0;
  let result = (lut[base + 2]! * frac) >> 5;
  result += lut[base + 1]! * 32;
  result = Math.imul(result, frac);
  result = ((result + (1 << 14)) | 0) >> 15;
  result += lut[base]!;
  return (result << 16) >> 16;
}

/** x²/4 for x < 2, else x − 1; x has SNR_BITS fractional bits, the result OUTPUT_BITS. */
function shrink(x: number): number {
  if (x < 2 << SNR_BITS) return Math.floor((x * x) / 2 ** (2 + 2 * SNR_BITS - OUTPUT_BITS));
  return (x >>> (SNR_BITS - OUTPUT_BITS)) - (1 << OUTPUT_BITS);
}

export const signalPcan: Kernel<PcanPrepared> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const snrShift = optionInt(ctx, options, "snr_shift");
    checkRange(ctx, "snr_shift", snrShift, 0, 63);
    const {
      inputs: [input, noiseEstimate, gainLut],
      outputs: [output],
    } = signalTensors(ctx, 3, 1);
    expectType(ctx, "input", input!, "uint32");
    expectType(ctx, "noise estimate", noiseEstimate!, "uint32");
    expectType(ctx, "gain table", gainLut!, "int16");
    expectType(ctx, "output", output!, "uint32");
    for (const [what, t] of [
      ["input", input!],
      ["noise estimate", noiseEstimate!],
      ["gain table", gainLut!],
      ["output", output!],
    ] as const) {
      expectRank(ctx, what, t, 1);
    }
    const numChannels = input!.elementCount;
    if (noiseEstimate!.elementCount < numChannels || output!.elementCount !== numChannels) {
      throw new KernelError(`${op}: noise estimate and output must cover the input's ${numChannels} channels`);
    }
    // The largest uint32 noise level reads entries 4·32 − 6 … 4·32 − 4.
    if (gainLut!.elementCount < 125) {
      throw new KernelError(`${op}: gain table needs 125 entries, got ${gainLut!.elementCount}`);
    }
    return { snrShift, numChannels };
  },

  eval(prepared, io) {
    const input = io.inputs[0] as Uint32Array;
    const noise = io.inputs[1] as Uint32Array;
    const lut = io.inputs[2] as Int16Array;
    const output = io.outputs[0] as Uint32Array;
    const { snrShift, numChannels } = prepared;
    for (let i = 0; i < numChannels; i++) {
      const gain = wideDynamicFunction(noise[i]!, lut) >>> 0;
      output[i] = shrink(mulShiftU32(input[i]!, gain, snrShift));
    }
  },

  macs(ctx) {
    return 3 * (ctx.inputs[0]?.elementCount ?? 0);
  },
};
