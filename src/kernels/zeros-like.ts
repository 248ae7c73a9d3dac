/** ZEROS_LIKE (TFLM zeros_like.cc): an output of zeros with the input's type (int64, int32, int8, float32). */
import type { Kernel } from "../runtime/kernel.js";
import { requireType, unaryOperands } from "./elementwise-common.js";

export const zerosLike: Kernel<null> = {
  prepare(ctx) {
    const { input } = unaryOperands(ctx, "ZEROS_LIKE");
    requireType("ZEROS_LIKE", "input", input.dtype, ["int64", "int32", "int8", "float32"]);
    return null;
  },
  eval(_p, io) {
    const out = io.outputs[0]!;
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).fill(0);
  },
};
