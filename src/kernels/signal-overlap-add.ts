/**
 * SignalOverlapAdd (TFLM signal library): adds each incoming frame into a per-session buffer of frame_size
 * samples, emits its first frame_step samples and shifts the rest down (int16 saturating, or float32).
 * Input [..., n_frames, frame_size] → output [..., n_frames · frame_step].
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { expectType, fftTypeOf, optionInt, readSignalOptions, signalTensors } from "./signal-common.js";

interface OverlapAddPrepared {
  float: boolean;
  frameSize: number;
  frameStep: number;
  frames: number;
  outerDims: number;
}

type Buffers = (Int16Array | Float32Array)[];

export const signalOverlapAdd: Kernel<OverlapAddPrepared, Buffers> = {
  prepare(ctx) {
    const op = ctx.node.opName;
    const options = readSignalOptions(ctx);
    const type = fftTypeOf(ctx, options);
    if (type === "int32") throw new KernelError(`${op}: type int32 is not supported (float32, int16)`);
    const frameStep = optionInt(ctx, options, "frame_step");
    const {
      inputs: [input],
      outputs: [output],
    } = signalTensors(ctx, 1, 1);
    expectType(ctx, "input", input!, type);
    expectType(ctx, "output", output!, type);
    const shape = input!.shape;
    if (shape.length < 2 || shape.length !== output!.shape.length + 1) {
      throw new KernelError(`${op}: input [${shape}] needs rank ≥ 2 and one more dimension than output`);
    }
    const frameSize = shape[shape.length - 1]!;
    const frames = shape[shape.length - 2]!;
    if (frameStep < 1 || frameStep > frameSize) {
      throw new KernelError(`${op}: frame_step ${frameStep} must be in 1..frame_size (${frameSize})`);
    }
    const outerDims = frameSize * frames === 0 ? 0 : input!.elementCount / (frameSize * frames);
    if (output!.elementCount !== outerDims * frames * frameStep) {
      throw new KernelError(`${op}: output [${output!.shape}] must hold ${frames} × frame_step samples per row`);
    }
    return { float: type === "float32", frameSize, frameStep, frames, outerDims };
  },

  createState(p) {
    return Array.from({ length: p.outerDims }, () =>
      p.float ? new Float32Array(p.frameSize) : new Int16Array(p.frameSize),
    );
  },

  resetState(_p, buffers) {
    for (const b of buffers) b.fill(0);
  },

  eval(p, io, buffers) {
    const input = io.inputs[0] as Int16Array | Float32Array;
    const output = io.outputs[0] as Int16Array | Float32Array;
    const { frameSize, frameStep, frames } = p;
    for (let outer = 0; outer < p.outerDims; outer++) {
      const buffer = buffers[outer]!;
      for (let frame = 0; frame < frames; frame++) {
        const inAt = (outer * frames + frame) * frameSize;
        const outAt = (outer * frames + frame) * frameStep;
        if (p.float) {
          // Float32Array stores round each sum to float32, as C's float += does.
          for (let i = 0; i < frameSize; i++) buffer[i] = buffer[i]! + input[inAt + i]!;
        } else {
          for (let i = 0; i < frameSize; i++) {
            const sum = buffer[i]! + input[inAt + i]!;
            buffer[i] = Math.max(-32768, Math.min(32767, sum));
          }
        }
        for (let i = 0; i < frameStep; i++) output[outAt + i] = buffer[i]!;
        buffer.copyWithin(0, frameStep);
        buffer.fill(0, frameSize - frameStep);
      }
    }
  },
};
