/**
 * PACK: stacks values_count same-shaped float32/int8/int16/int32/int64 tensors along a new axis, as TFLM's
 * pack.cc.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { copyRun, dimsProduct, requireOutputs, requireSameType, requireType, resolveAxis } from "./data-common.js";

interface PackPrepared {
  outerSize: number;
  /** Elements per input per outer step. */
  blockSize: number;
}

export const pack: Kernel<PackPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [output] = requireOutputs(ctx, 1);
    requireType(name, output!, "output", ["float32", "int8", "int16", "int32", "int64"]);
    const count = Number(ctx.node.options.valuesCount ?? ctx.inputs.length);
    if (count < 1 || count !== ctx.inputs.length) {
      throw new KernelError(`${name}: values_count ${count} differs from the ${ctx.inputs.length} inputs`);
    }
    const rank = output!.shape.length;
    const axis = resolveAxis(name, Number(ctx.node.options.axis ?? 0), rank);
    const first = ctx.inputs[0];
    if (!first) throw new KernelError(`${name}: input 0 is missing`);
    const expected = [...first.shape.slice(0, axis), count, ...first.shape.slice(axis)];
    if (expected.length !== rank || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    ctx.inputs.forEach((t, k) => {
      if (!t) throw new KernelError(`${name}: input ${k} is missing`);
      requireSameType(name, t, `input ${k}`, output!, "output");
      if (t.shape.length !== first.shape.length || t.shape.some((d, i) => d !== first.shape[i])) {
        throw new KernelError(`${name}: input ${k} shape [${t.shape}] differs from input 0 [${first.shape}]`);
      }
    });
    return { outerSize: dimsProduct(output!.shape, 0, axis), blockSize: dimsProduct(output!.shape, axis + 1) };
  },

  eval(p, io) {
    const output = io.outputs[0]!;
    const { outerSize, blockSize } = p;
    const inputs = io.inputs;
    const count = inputs.length;
    for (let i = 0; i < count; i++) {
      const input = inputs[i]!;
      for (let k = 0; k < outerSize; k++) copyRun(output, (k * count + i) * blockSize, input, k * blockSize, blockSize);
    }
  },
};
