/**
 * SUB (TFLM sub.cc / sub_common.cc): float32 and int32 with their fused activation, and quantized int8/int16
 * through the same rescaling scheme as ADD, except that TFLM computes SUB's rescaling ratios in float32.
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
  int32ClampRange,
  requireSameTypes,
  requireType,
} from "./elementwise-common.js";

type SubPrepared =
  | { kind: "float32" | "int32"; plan: BroadcastPlan; min: number; max: number }
  | { kind: "quantized"; plan: BroadcastPlan; params: AddSubParams };

export const sub: Kernel<SubPrepared> = {
  prepare(ctx) {
    const operands = binaryOperands(ctx, "SUB");
    requireType("SUB", "output", operands.out.dtype, ["float32", "int32", "int8", "int16"]);
    requireSameTypes("SUB", [operands.a, operands.b, operands.out]);
    const activation = fusedActivation(ctx, "SUB");
    const plan = binaryPlan("SUB", operands);
    switch (operands.out.dtype) {
      case "float32": {
        const [min, max] = float32ClampRange(activation);
        return { kind: "float32", plan, min, max };
      }
      case "int32": {
        const [min, max] = int32ClampRange(activation);
        return { kind: "int32", plan, min, max };
      }
      default:
        return { kind: "quantized", plan, params: addSubParams("SUB", operands, activation, -1, true) };
    }
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
        floatArithmetic("sub", p.plan, a as Float32Array, b as Float32Array, out as Float32Array, p.min, p.max);
        return;
      case "int32":
        int32Arithmetic("sub", p.plan, a as Int32Array, b as Int32Array, out as Int32Array, p.min, p.max);
        return;
      case "quantized":
        evalAddSub(p.params, p.plan, a as Int8Array, b as Int8Array, out as Int8Array);
        return;
    }
  },
};
