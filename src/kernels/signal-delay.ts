/**
 * SignalDelay (TFLM signal library): delays each innermost row of int16 samples by delay_length samples,
 * carrying the tail across invocations in per-session state that starts as zeros.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectType, optionInt, readSignalOptions, SampleQueue, signalTensors } from "./signal-common.js";

interface DelayPrepared {
  frameSize: number;
  delayLength: number;
  outerDims: number;
}

function resetQueues(p: DelayPrepared, queues: SampleQueue[]): void {
  for (const q of queues) {
    q.reset();
    q.writeZeros(p.delayLength);
  }
}

export const signalDelay: Kernel<DelayPrepared, SampleQueue[]> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const delayLength = optionInt(ctx, options, "delay_length");
    if (delayLength < 0) throw new KernelError(`${op}: delay_length ${delayLength} is negative`);
    const {
      inputs: [input],
      outputs: [output],
    } = signalTensors(ctx, 1, 1);
    expectType(ctx, "input", input!, "int16");
    expectType(ctx, "output", output!, "int16");
    const shape = input!.shape;
    const frameSize = shape.length === 0 ? 1 : shape[shape.length - 1]!;
    if (output!.elementCount !== input!.elementCount) {
      throw new KernelError(`${op}: output [${output!.shape}] differs in size from input [${shape}]`);
    }
    const outerDims = frameSize === 0 ? 0 : input!.elementCount / frameSize;
    return { frameSize, delayLength, outerDims };
  },

  createState(p) {
    const queues = Array.from({ length: p.outerDims }, () => new SampleQueue(p.frameSize + p.delayLength));
    resetQueues(p, queues);
    return queues;
  },

  resetState: resetQueues,

  eval(p, io, queues) {
    const input = io.inputs[0] as Int16Array;
    const output = io.outputs[0] as Int16Array;
    for (let outer = 0, at = 0; outer < p.outerDims; outer++, at += p.frameSize) {
      const queue = queues[outer]!;
      queue.write(input, at, p.frameSize);
      queue.peek(p.frameSize, output, at);
      queue.discard(p.frameSize);
    }
  },
};
