/**
 * SignalEnergy (TFLM signal library): squared magnitude re² + im² of int16 complex bins start_index..end_index-1
 * as uint32 (the int32 sum wraps as in C). Bins outside the range are written as zero; TFLM leaves them as
 * they were, and the audio front end slices them away.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectRank, expectType, optionInt, readSignalOptions, signalTensors } from "./signal-common.js";

interface EnergyPrepared {
  start: number;
  end: number;
}

export const signalEnergy: Kernel<EnergyPrepared> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const end = optionInt(ctx, options, "end_index");
    const start = optionInt(ctx, options, "start_index");
    const {
      inputs: [input],
      outputs: [output],
    } = signalTensors(ctx, 1, 1);
    expectType(ctx, "input", input!, "int16");
    expectType(ctx, "output", output!, "uint32");
    expectRank(ctx, "input", input!, 1);
    expectRank(ctx, "output", output!, 1);
    const bins = Math.floor(input!.elementCount / 2);
    if (start < 0 || end < start || end > bins || end > output!.elementCount) {
      throw new KernelError(
        `${op}: bins ${start}..${end} do not fit ${bins} complex input bins and ${output!.elementCount} outputs`,
      );
    }
    return { start, end };
  },

  eval(prepared, io) {
    const input = io.inputs[0] as Int16Array;
    const output = io.outputs[0] as Uint32Array;
    const { start, end } = prepared;
    output.fill(0, 0, start);
    for (let i = start; i < end; i++) {
      const re = input[2 * i]!;
      const im = input[2 * i + 1]!;
      output[i] = re * re + im * im;
    }
    output.fill(0, end);
  },

  macs(ctx) {
    return 2 * (ctx.outputs[0]?.elementCount ?? 0);
  },
};
