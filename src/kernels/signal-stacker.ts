/**
 * SignalStacker (TFLM signal library): stacks consecutive int16 feature vectors of num_channels into one of
 * (left_context + 1 + right_context) vectors, advancing by stacker_step vectors per output. The first vector is
 * repeated left_context times to pad the start; output 1 (bool) says whether a full stack was ready.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectRank, expectType, optionInt, readSignalOptions, SampleQueue, signalTensors } from "./signal-common.js";

interface StackerPrepared {
  numChannels: number;
  leftContext: number;
  bufferSize: number;
  stepSize: number;
}

interface StackerState {
  queue: SampleQueue;
  hasFirstFrame: boolean;
}

export const signalStacker: Kernel<StackerPrepared, StackerState> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const numChannels = optionInt(ctx, options, "num_channels");
    const leftContext = optionInt(ctx, options, "stacker_left_context");
    const rightContext = optionInt(ctx, options, "stacker_right_context");
    const step = optionInt(ctx, options, "stacker_step");
    if (numChannels < 1 || leftContext < 0 || rightContext < 0 || step < 1) {
      throw new KernelError(`${op}: num_channels and stacker_step must be positive and the contexts non-negative`);
    }
    const stackSize = leftContext + rightContext + 1;
    if (step > stackSize) throw new KernelError(`${op}: stacker_step ${step} exceeds the stack of ${stackSize}`);
    const {
      inputs: [input],
      outputs: [output, valid],
    } = signalTensors(ctx, 1, 2);
    expectType(ctx, "input", input!, "int16");
    expectType(ctx, "output", output!, "int16");
    expectType(ctx, "valid output", valid!, "bool");
    expectRank(ctx, "input", input!, 1);
    expectRank(ctx, "output", output!, 1);
    expectRank(ctx, "valid output", valid!, 0);
    const bufferSize = numChannels * stackSize;
    if (input!.elementCount < numChannels || output!.elementCount !== bufferSize) {
      throw new KernelError(`${op}: input must hold num_channels values and output ${bufferSize}`);
    }
    return { numChannels, leftContext, bufferSize, stepSize: numChannels * step };
  },

  createState(p) {
    return { queue: new SampleQueue(p.bufferSize), hasFirstFrame: false };
  },

  resetState(_p, state) {
    state.queue.reset();
    state.hasFirstFrame = false;
  },

  eval(p, io, state) {
    const input = io.inputs[0] as Int16Array;
    const output = io.outputs[0] as Int16Array;
    const valid = io.outputs[1] as Uint8Array;
    const queue = state.queue;
    queue.write(input, 0, p.numChannels);
    if (!state.hasFirstFrame) {
      queue.repeatLast(p.numChannels, p.leftContext);
      state.hasFirstFrame = true;
    }
    if (queue.available >= p.bufferSize) {
      queue.peek(p.bufferSize, output, 0);
      queue.discard(p.stepSize);
      valid[0] = 1;
    } else {
      valid[0] = 0;
    }
  },
};
