/** LOGICAL_NOT (TFLM elementwise.cc): bool only. */
import type { Kernel } from "../runtime/kernel.js";
import { requireType, unaryOperands } from "./elementwise-common.js";

export const logicalNot: Kernel<null> = {
  prepare(ctx) {
    const { input } = unaryOperands(ctx, "LOGICAL_NOT");
    requireType("LOGICAL_NOT", "input", input.dtype, ["bool"]);
    return null;
  },
  eval(_p, io) {
    const x = io.inputs[0] as Uint8Array;
    const y = io.outputs[0] as Uint8Array;
    for (let i = 0; i < x.length; i++) y[i] = x[i] ? 0 : 1;
  },
};
