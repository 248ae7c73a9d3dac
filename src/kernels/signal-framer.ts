/**
 * SignalFramer (TFLM signal library): turns a stream of int16 chunks into overlapping frames of frame_size
 * samples every frame_step samples. Each innermost row of the input holds n_frames · frame_step new samples;
 * output 1 (bool) is false until enough samples have arrived (immediately true with prefill, which starts the
 * per-session history with frame_size − frame_step zeros).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  expectRank,
  expectType,
  optionBool,
  optionInt,
  readSignalOptions,
  SampleQueue,
  signalTensors,
} from "./signal-common.js";

interface FramerPrepared {
  frameSize: number;
  frameStep: number;
  prefill: boolean;
  outerDims: number;
  frames: number;
  capacity: number;
}

function resetQueues(p: FramerPrepared, queues: SampleQueue[]): void {
  for (const q of queues) {
    q.reset();
    if (p.prefill) q.writeZeros(p.frameSize - p.frameStep);
  }
}

export const signalFramer: Kernel<FramerPrepared, SampleQueue[]> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const frameSize = optionInt(ctx, options, "frame_size");
    const frameStep = optionInt(ctx, options, "frame_step");
    const prefill = optionBool(ctx, options, "prefill");
    if (frameStep < 1 || frameSize < frameStep) {
      throw new KernelError(`${op}: need 1 ≤ frame_step (${frameStep}) ≤ frame_size (${frameSize})`);
    }
    const {
      inputs: [input],
      outputs: [output, valid],
    } = signalTensors(ctx, 1, 2);
    expectType(ctx, "input", input!, "int16");
    expectType(ctx, "output", output!, "int16");
    expectType(ctx, "valid output", valid!, "bool");
    expectRank(ctx, "valid output", valid!, 0);
    const shape = input!.shape;
    if (shape.length < 1 || output!.shape.length !== shape.length + 1) {
      throw new KernelError(`${op}: output [${output!.shape}] must have one more dimension than input [${shape}]`);
    }
    const innermost = shape[shape.length - 1]!;
    if (innermost < frameStep || innermost % frameStep !== 0) {
      throw new KernelError(`${op}: input rows of ${innermost} samples are not a multiple of frame_step ${frameStep}`);
    }
    const outerDims = input!.elementCount / innermost;
    const frames = innermost / frameStep;
    if (output!.elementCount !== outerDims * frames * frameSize) {
      throw new KernelError(`${op}: output [${output!.shape}] must hold ${frames} frame(s) of ${frameSize} per row`);
    }
    // TFLM rounds the history up to whole steps.
    const capacity = Math.ceil(frameSize / frameStep) * frameStep;
    return { frameSize, frameStep, prefill, outerDims, frames, capacity };
  },

  createState(p) {
    const queues = Array.from({ length: p.outerDims }, () => new SampleQueue(p.capacity));
    resetQueues(p, queues);
    return queues;
  },

  resetState: resetQueues,

  eval(p, io, queues) {
    const input = io.inputs[0] as Int16Array;
    const output = io.outputs[0] as Int16Array;
    const valid = io.outputs[1] as Uint8Array;
    let allValid = 1;
    for (let outer = 0; outer < p.outerDims; outer++) {
      const queue = queues[outer]!;
      for (let frame = 0; frame < p.frames; frame++) {
        const index = outer * p.frames + frame;
        queue.write(input, index * p.frameStep, p.frameStep);
        if (queue.available >= p.frameSize) {
          queue.peek(p.frameSize, output, index * p.frameSize);
          queue.discard(p.frameStep);
        } else {
          allValid = 0;
        }
      }
    }
    valid[0] = allValid;
  },
};
