/**
 * SignalFilterBankLog (TFLM signal library): natural log of each uint32 channel (after shifting left by
 * input_correction_bits), times output_scale, saturated to int16; channels ≤ 1 give 0.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  checkRange,
  expectRank,
  expectType,
  log32,
  optionInt,
  readSignalOptions,
  signalTensors,
} from "./signal-common.js";

interface FilterBankLogPrepared {
  correctionBits: number;
  outputScale: number;
}

export const signalFilterBankLog: Kernel<FilterBankLogPrepared> = {
  prepare(ctx) {
    const options = readSignalOptions(ctx);
    const correctionBits = optionInt(ctx, options, "input_correction_bits");
    const outputScale = optionInt(ctx, options, "output_scale") >>> 0;
    checkRange(ctx, "input_correction_bits", correctionBits, 0, 31);
    const {
      inputs: [input],
      outputs: [output],
    } = signalTensors(ctx, 1, 1);
    expectType(ctx, "input", input!, "uint32");
    expectType(ctx, "output", output!, "int16");
    expectRank(ctx, "input", input!, 1);
    expectRank(ctx, "output", output!, 1);
    if (output!.elementCount < input!.elementCount) {
      throw new KernelError(`${ctx.node.opName}: output [${output!.shape}] is shorter than input [${input!.shape}]`);
    }
    return { correctionBits, outputScale };
  },

  eval(prepared, io) {
    const input = io.inputs[0] as Uint32Array;
    const output = io.outputs[0] as Int16Array;
    const { correctionBits, outputScale } = prepared;
    for (let i = 0; i < input.length; i++) {
      const scaled = (input[i]! << correctionBits) >>> 0;
      if (scaled > 1) {
        const value = log32(scaled, outputScale);
        output[i] = Math.min(value, 32767);
      } else {
        output[i] = 0;
      }
    }
  },
};
