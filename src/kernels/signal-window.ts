/**
 * SignalWindow (TFLM signal library): multiplies each innermost row of int16 samples by an int16 window,
 * shifts right arithmetically by `shift` and saturates to int16.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { checkRange, expectRank, expectType, optionInt, readSignalOptions, signalTensors } from "./signal-common.js";

interface WindowPrepared {
  shift: number;
  windowLength: number;
}

export const signalWindow: Kernel<WindowPrepared> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const shift = optionInt(ctx, options, "shift");
    checkRange(ctx, "shift", shift, 0, 31);
    const {
      inputs: [input, weights],
      outputs: [output],
    } = signalTensors(ctx, 2, 1);
    expectType(ctx, "input", input!, "int16");
    expectType(ctx, "weights", weights!, "int16");
    expectType(ctx, "output", output!, "int16");
    expectRank(ctx, "weights", weights!, 1);
    if (input!.shape.length < 1 || input!.shape.length !== output!.shape.length) {
      throw new KernelError(`${op}: input [${input!.shape}] and output [${output!.shape}] must have the same rank`);
    }
    const windowLength = weights!.shape[0]!;
    if (windowLength === 0 || input!.elementCount % windowLength !== 0) {
      throw new KernelError(
        `${op}: input size ${input!.elementCount} is not a multiple of the window (${windowLength})`,
      );
    }
    if (output!.elementCount !== input!.elementCount) {
      throw new KernelError(`${op}: output [${output!.shape}] differs in size from input [${input!.shape}]`);
    }
    return { shift, windowLength };
  },

  eval(prepared, io) {
    const input = io.inputs[0] as Int16Array;
    const window = io.inputs[1] as Int16Array;
    const output = io.outputs[0] as Int16Array;
    const { shift, windowLength } = prepared;
    for (let start = 0; start < input.length; start += windowLength) {
      for (let i = 0; i < windowLength; i++) {
        const raw = (input[start + i]! * window[i]!) >> shift;
        output[start + i] = Math.max(-32768, Math.min(32767, raw));
      }
    }
  },

  macs(ctx) {
    return ctx.inputs[0]?.elementCount ?? 0;
  },
};
