/**
 * SignalFilterBankSquareRoot (TFLM signal library): rounding integer square root of each uint64 channel
 * energy, shifted right by the FFT auto-scale bits (scalar int32 input) to undo that scaling.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectRank, expectType, signalTensors, sqrt64 } from "./signal-common.js";

export const signalFilterBankSquareRoot: Kernel<null> = {
  prepare(ctx) {
    const {
      inputs: [input, scaleBits],
      outputs: [output],
    } = signalTensors(ctx, 2, 1);
    expectType(ctx, "input", input!, "uint64");
    expectType(ctx, "scale bits", scaleBits!, "int32");
    expectType(ctx, "output", output!, "uint32");
    expectRank(ctx, "input", input!, 1);
    expectRank(ctx, "scale bits", scaleBits!, 0);
    expectRank(ctx, "output", output!, 1);
    if (output!.elementCount < input!.elementCount) {
      throw new KernelError(`${ctx.node.opName}: output [${output!.shape}] is shorter than input [${input!.shape}]`);
    }
    return null;
  },

  eval(_prepared, io) {
    const input = io.inputs[0] as BigUint64Array;
    const words = new Uint32Array(input.buffer, input.byteOffset, input.length * 2);
    // C shifts a uint32 by an int: only the low five bits of the count matter on x86.
    const shift = (io.inputs[1] as Int32Array)[0]! & 31;
    const output = io.outputs[0] as Uint32Array;
    for (let i = 0; i < input.length; i++) output[i] = sqrt64(words[2 * i + 1]!, words[2 * i]!) >>> shift;
  },
};
