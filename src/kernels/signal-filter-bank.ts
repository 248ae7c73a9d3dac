/**
 * SignalFilterBank (TFLM signal library): accumulates uint32 spectrum energies into num_channels triangular
 * (mel) channels as uint64. Each bin's energy is added to one channel with its weight and to the next with its
 * "unweight"; channel 0 of the num_channels + 1 accumulators is scratch and is dropped.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectRank, expectType, optionInt, readSignalOptions, signalTensors } from "./signal-common.js";

interface FilterBankPrepared {
  numChannels: number;
}

function int16Constant(t: TensorDef): Int16Array {
  return new Int16Array(t.data!.buffer, t.data!.byteOffset, t.elementCount);
}

const TABLE_NAMES = ["weights", "unweights", "channel frequency starts", "channel weight starts", "channel widths"];

/** Checks constant channel tables against the spectrum and weight lengths, as far as prepare can see them. */
function checkTables(op: string, spectrum: TensorDef, tables: TensorDef[], numChannels: number): void {
  const [weights, unweights, freqStarts, weightStarts, widths] = tables;
  if (weights!.elementCount !== unweights!.elementCount) {
    throw new KernelError(
      `${op}: weights (${weights!.elementCount}) and unweights (${unweights!.elementCount}) differ`,
    );
  }
  for (const t of [freqStarts!, weightStarts!, widths!]) {
    if (t.elementCount < numChannels + 1) {
      throw new KernelError(
        `${op}: channel tables need num_channels + 1 = ${numChannels + 1} entries, got ${t.elementCount}`,
      );
    }
  }
  if (!freqStarts!.data || !weightStarts!.data || !widths!.data) return;
  const f = int16Constant(freqStarts!);
  const w = int16Constant(weightStarts!);
  const n = int16Constant(widths!);
  for (let c = 0; c <= numChannels; c++) {
    const width = n[c]!;
    if (width <= 0) continue;
    if (f[c]! < 0 || f[c]! + width > spectrum.elementCount || w[c]! < 0 || w[c]! + width > weights!.elementCount) {
      throw new KernelError(`${op}: channel ${c} reaches outside the spectrum or the weight tables`);
    }
  }
}

export const signalFilterBank: Kernel<FilterBankPrepared> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const numChannels = optionInt(ctx, options, "num_channels");
    if (numChannels < 1) throw new KernelError(`${op}: num_channels must be positive, got ${numChannels}`);
    const { inputs, outputs } = signalTensors(ctx, 6, 1);
    const [spectrum, ...tables] = inputs;
    const output = outputs[0]!;
    expectType(ctx, "input", spectrum!, "uint32");
    expectRank(ctx, "input", spectrum!, 1);
    tables.forEach((t, i) => {
      expectType(ctx, TABLE_NAMES[i]!, t, "int16");
      expectRank(ctx, TABLE_NAMES[i]!, t, 1);
    });
    expectType(ctx, "output", output, "uint64");
    expectRank(ctx, "output", output, 1);
    if (output.elementCount !== numChannels) {
      throw new KernelError(`${op}: output has ${output.elementCount} channels, num_channels is ${numChannels}`);
    }
    checkTables(op, spectrum!, tables, numChannels);
    return { numChannels };
  },

  eval(prepared, io) {
    const spectrum = io.inputs[0] as Uint32Array;
    const weights = io.inputs[1] as Int16Array;
    const unweights = io.inputs[2] as Int16Array;
    const freqStarts = io.inputs[3] as Int16Array;
    const weightStarts = io.inputs[4] as Int16Array;
    const widths = io.inputs[5] as Int16Array;
    const output = io.outputs[0] as BigUint64Array;
    // uint64 words as little-endian uint32 pairs, so no BigInt is needed per channel.
    const words = new Uint32Array(output.buffer, output.byteOffset, output.length * 2);
    // Each sum is kept as high·2^16 + low over the energies' 16-bit halves: every partial sum is exact.
    let weightHigh = 0;
    let weightLow = 0;
    for (let c = 0; c <= prepared.numChannels; c++) {
      let unweightHigh = 0;
      let unweightLow = 0;
      const freqStart = freqStarts[c]!;
      const weightStart = weightStarts[c]!;
      const width = widths[c]!;
      for (let j = 0; j < width; j++) {
        const energy = spectrum[freqStart + j]!;
        const energyLow = energy & 0xffff;
        const energyHigh = energy >>> 16;
        const w = weights[weightStart + j]!;
        const u = unweights[weightStart + j]!;
        weightHigh += w * energyHigh;
        weightLow += w * energyLow;
        unweightHigh += u * energyHigh;
        unweightLow += u * energyLow;
      }
      if (c > 0) storeUint64(words, 2 * (c - 1), weightHigh, weightLow);
      weightHigh = unweightHigh;
      weightLow = unweightLow;
    }
  },

  macs(ctx) {
    const widths = ctx.inputs[5];
    if (!widths?.data) return 0;
    const n = int16Constant(widths);
    let total = 0;
    for (const w of n) total += Math.max(0, w);
    return 2 * total;
  },
};

/** Writes (high·2^16 + low) mod 2^64 — the wrapping uint64 sum of C — as two uint32 words. */
function storeUint64(words: Uint32Array, at: number, high: number, low: number): void {
  const highQuotient = Math.floor(high / 65536);
  const lowSum = (high - highQuotient * 65536) * 65536 + low;
  const carry = Math.floor(lowSum / 4294967296);
  words[at] = lowSum - carry * 4294967296;
  words[at + 1] = ((highQuotient + carry) % 4294967296) >>> 0;
}
