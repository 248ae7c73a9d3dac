/**
 * ADD (TFLM add.cc / add_common.cc): float32 and int32 (int32 ignores the fused activation, as TFLM does), and
 * quantized int8/int16 through the general rescaling path — TFLM calls the int16 reference with
 * pot_scale=false, so the model's pot_scale_int16 flag never selects the power-of-two path.
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
import { INT32_MAX, INT32_MIN } from "./fixed-point.js";

type AddPrepared = PlainArithmetic | { kind: "quantized"; plan: BroadcastPlan; params: AddSubParams };

export const add: Kernel<AddPrepared> = {
  prepare(ctx) {
    const s = prepareArithmetic(ctx, "ADD", "output", ["float32", "int32", "int8", "int16"]);
    if (s.plain?.kind === "int32") {
      // TFLM's int32 ADD does not apply the fused activation.
      s.plain.min = INT32_MIN;
      s.plain.max = INT32_MAX;
    }
    return s.plain ?? { kind: "quantized", plan: s.plan, params: addSubParams("ADD", s, s.activation, 1, false) };
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
      case "int32":
        evalPlainArithmetic("add", p, a!, b!, out);
        return;
      case "quantized":
        evalAddSub(p.params, p.plan, a as Int8Array, b as Int8Array, out as Int8Array);
        return;
    }
  },
};
