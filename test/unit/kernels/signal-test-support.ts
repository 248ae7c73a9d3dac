/**
 * Helpers for the signal-library kernel tests: TFLM's generated flexbuffer option bytes written as hex, and a
 * kernel wrapper that feeds a different frame into input 0 on each invocation (runKernel reuses one buffer), the
 * way TFLM's streaming tests memcpy the next chunk before each Invoke().
 */
import type { AnyKernel } from "../../../src/runtime/kernel.js";

/** "73 68 69" → bytes; TFLM's *_flexbuffers_generated_data.cc arrays, copied byte for byte. */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.trim().split(/[\s,]+/), (b) => Number.parseInt(b.replace(/^0x/, ""), 16));
}

/**
 * Invocation k copies frames[k] into input 0 before evaluating; state handling is passed through. With
 * `resetBefore`, the kernel's resetState runs before that invocation (TFLM KernelRunner::Reset()).
 */
export function feedingFrames(kernel: AnyKernel, frames: ArrayLike<number>[], resetBefore = -1): AnyKernel {
  let call = 0;
  return {
    prepare: (ctx) => kernel.prepare(ctx),
    createState: kernel.createState ? (prepared) => kernel.createState!(prepared) : undefined,
    eval(prepared, io, state) {
      if (call === resetBefore) kernel.resetState!(prepared, state);
      (io.inputs[0] as Int16Array).set(frames[call++]!);
      kernel.eval(prepared, io, state);
    },
  };
}

/** Splits a flat list into consecutive chunks of `size`. */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, k) => values.slice(k * size, (k + 1) * size));
}
