/**
 * BROADCAST_ARGS (TFLM broadcast_args.cc, reference BroadcastArgs): the broadcast of two int32 or int64 shape
 * vectors, right-aligned, written into the output's element count. The shapes are data and may be computed
 * by the model, so they are checked per invocation: two sizes that are different and not 1 do not broadcast.
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";

type ShapeVector = Int32Array | BigInt64Array;

export const broadcastArgs: Kernel<null> = {
  prepare(ctx) {
    const [shape1, shape2] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("BROADCAST_ARGS", shape1, "shape", ["int32", "int64"]);
    requireSameType("BROADCAST_ARGS", shape1, "shape 1", shape2, "shape 2");
    requireSameType("BROADCAST_ARGS", shape1, "shape 1", output, "output");
    for (const t of [shape1, shape2, output]) {
      if (t.shape.length !== 1) throw new KernelError(`BROADCAST_ARGS: tensor [${t.shape}] must be 1-D`);
    }
    return null;
  },

  eval(_p, io) {
    const a = io.inputs[0] as ShapeVector;
    const b = io.inputs[1] as ShapeVector;
    const out = io.outputs[0] as ShapeVector;
    // Missing leading dimensions count as 1.
    const at = (v: ShapeVector, fromEnd: number) => (fromEnd < v.length ? Number(v[v.length - 1 - fromEnd]!) : 1);
    const wide = out instanceof BigInt64Array;
    for (let k = 0; k < out.length; k++) {
      const x = at(a, k);
      const y = at(b, k);
      if (x !== 1 && y !== 1 && x !== y) {
        throw new InputError(`BROADCAST_ARGS: dimension sizes ${x} and ${y} do not broadcast`);
      }
      const size = x === 1 ? y : x;
      if (wide) (out as BigInt64Array)[out.length - 1 - k] = BigInt(size);
      else (out as Int32Array)[out.length - 1 - k] = size;
    }
  },
};
