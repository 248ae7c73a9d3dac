/**
 * SUB (TFLM sub.cc / sub_common.cc): float32 and int32 with their fused activation, and quantized int8/int16
 * through the same rescaling scheme as ADD, except that TFLM computes SUB's rescaling ratios in float32.
 */
import type { Kernel } from "../runtime/kernel.js";
import type { BroadcastPlan } from "./broadcast.js";
import {
  type AddSubParams,
  addSubParams,
  evalAddSub,
  evalPlainArithmetic,
  type PlainArithmetic,
  prepareArithmetic,
} from "./elementwise-common.js";

type SubPrepared = PlainArithmetic | { kind: "quantized"; plan: BroadcastPlan; params: AddSubParams };

export const sub: Kernel<SubPrepared> = {
  prepare(ctx) {
    const s = prepareArithmetic(ctx, "SUB", "output", ["float32", "int32", "int8", "int16"]);
    return s.plain ?? { kind: "quantized", plan: s.plan, params: addSubParams("SUB", s, s.activation, -1, true) };
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
      case "int32":
        evalPlainArithmetic("sub", p, a!, b!, out);
        return;
      case "quantized":
        evalAddSub(p.params, p.plan, a as Int8Array, b as Int8Array, out as Int8Array);
        return;
    }
  },
};
