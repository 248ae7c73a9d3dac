/**
 * SignalFftAutoScale (TFLM signal library): shifts an int16 vector left by the largest amount that keeps its
 * peak magnitude within int16, before a fixed-point FFT; the shift is the second (scalar int32) output.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectRank, expectType, mostSignificantBit32, signalTensors } from "./signal-common.js";

export const signalFftAutoScale: Kernel<null> = {
  prepare(ctx) {
    const {
      inputs: [input],
      outputs: [output, scaleBits],
    } = signalTensors(ctx, 1, 2);
    expectType(ctx, "input", input!, "int16");
    expectType(ctx, "output", output!, "int16");
    expectType(ctx, "scale bits output", scaleBits!, "int32");
    expectRank(ctx, "input", input!, 1);
    expectRank(ctx, "output", output!, 1);
    expectRank(ctx, "scale bits output", scaleBits!, 0);
    if (output!.elementCount > input!.elementCount) {
      throw new KernelError(`${ctx.node.opName}: output [${output!.shape}] is longer than input [${input!.shape}]`);
    }
    return null;
  },

  eval(_prepared, io) {
    const input = io.inputs[0] as Int16Array;
    const output = io.outputs[0] as Int16Array;
    const scaleBitsOut = io.outputs[1] as Int32Array;
    const size = output.length;
    // TFLM's MaxAbs16 keeps its running maximum in int16, so |-32768| wraps back to -32768.
    let max = 0;
    for (let i = 0; i < size; i++) {
      const value = input[i]!;
      if (value > max) max = value;
      else if (-value > max) max = (-value << 16) >> 16;
    }
    let scaleBits = 16 - mostSignificantBit32(max >>> 0) - 1;
    if (scaleBits <= 0) scaleBits = 0;
    const factor = 1 << scaleBits;
    for (let i = 0; i < size; i++) output[i] = input[i]! * factor;
    scaleBitsOut[0] = scaleBits;
  },
};
