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
  binaryOperands,
  binaryPlan,
  evalAddSub,
  float32ClampRange,
  floatArithmetic,
  fusedActivation,
  int32Arithmetic,
  requireSameTypes,
  requireType,
} from "./elementwise-common.js";
import { INT32_MAX, INT32_MIN } from "./fixed-point.js";

type AddPrepared =
  | { kind: "float32"; plan: BroadcastPlan; min: number; max: number }
  | { kind: "int32"; plan: BroadcastPlan }
  | { kind: "quantized"; plan: BroadcastPlan; params: AddSubParams };

export const add: Kernel<AddPrepared> = {
  prepare(ctx) {
    const operands = binaryOperands(ctx, "ADD");
    requireType("ADD", "output", operands.out.dtype, ["float32", "int32", "int8", "int16"]);
    requireSameTypes("ADD", [operands.a, operands.b, operands.out]);
    const activation = fusedActivation(ctx, "ADD");
    const plan = binaryPlan("ADD", operands);
    switch (operands.out.dtype) {
      case "float32": {
        const [min, max] = float32ClampRange(activation);
        return { kind: "float32", plan, min, max };
      }
      case "int32":
        return { kind: "int32", plan };
      default:
        return { kind: "quantized", plan, params: addSubParams("ADD", operands, activation, 1, false) };
    }
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
        floatArithmetic("add", p.plan, a as Float32Array, b as Float32Array, out as Float32Array, p.min, p.max);
        return;
      case "int32":
        int32Arithmetic("add", p.plan, a as Int32Array, b as Int32Array, out as Int32Array, INT32_MIN, INT32_MAX);
        return;
      case "quantized":
        evalAddSub(p.params, p.plan, a as Int8Array, b as Int8Array, out as Int8Array);
        return;
    }
  },
};
