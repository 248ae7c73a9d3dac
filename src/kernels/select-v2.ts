/**
 * SELECT_V2 (TFLM select.cc): output = condition ? x : y per element, for float32, int8 and int16 (x and y share
 * the type; quantization is not looked at, values are copied). The three inputs broadcast together up to 5-D;
 * all-single-element operands pass whatever their ranks, as TFLM allows mixed scalar shapes.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireType } from "./elementwise-common.js";
import { broadcastIndexMap } from "./more-ops-common.js";

/** Index maps into condition, x and y per output element; null when all three match the output element order. */
type SelectPrepared = { condition: Int32Array; x: Int32Array; y: Int32Array } | null;

export const selectV2: Kernel<SelectPrepared> = {
  prepare(ctx) {
    const [condition, x, y] = ctx.inputs;
    const out = ctx.outputs[0];
    if (ctx.inputs.length !== 3 || !condition || !x || !y || ctx.outputs.length !== 1 || !out) {
      throw new KernelError("SELECT_V2: needs 3 inputs (condition, x, y) and 1 output");
    }
    requireType("SELECT_V2", "condition", condition.dtype, ["bool"]);
    requireType("SELECT_V2", "input", x.dtype, ["float32", "int8", "int16"]);
    if (y.dtype !== x.dtype || out.dtype !== x.dtype) {
      throw new KernelError(`SELECT_V2: x, y and output types differ (${x.dtype}, ${y.dtype}, ${out.dtype})`);
    }
    const allSingle = [condition, x, y, out].every((t) => t.elementCount === 1);
    const same = [condition, x, y].every(
      (t) => t.shape.length === out.shape.length && t.shape.every((d, i) => d === out.shape[i]),
    );
    if (allSingle || same) return null;
    const rank = Math.max(condition.shape.length, x.shape.length, y.shape.length);
    if (out.shape.length !== rank) {
      throw new KernelError(`SELECT_V2: output rank ${out.shape.length} is not the inputs' broadcast rank ${rank}`);
    }
    if (rank > 5) throw new KernelError(`SELECT_V2: broadcasting is supported up to rank 5, not ${rank}`);
    return {
      condition: broadcastIndexMap("SELECT_V2", condition.shape, out.shape),
      x: broadcastIndexMap("SELECT_V2", x.shape, out.shape),
      y: broadcastIndexMap("SELECT_V2", y.shape, out.shape),
    };
  },
  eval(p, io) {
    const condition = io.inputs[0] as Uint8Array;
    const x = io.inputs[1] as Float32Array;
    const y = io.inputs[2] as Float32Array;
    const out = io.outputs[0] as Float32Array;
    if (!p) {
      for (let i = 0; i < out.length; i++) out[i] = condition[i] ? x[i]! : y[i]!;
      return;
    }
    for (let i = 0; i < out.length; i++) out[i] = condition[p.condition[i]!] ? x[p.x[i]!]! : y[p.y[i]!]!;
  },
};
