/**
 * UNPACK: splits a float32/int8/int16/int32 tensor into `num` tensors along an axis that disappears, as TFLM's
 * unpack.cc.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { copyRun, dimsProduct, requireInputs, requireSameType, requireType, resolveAxis } from "./data-common.js";

interface UnpackPrepared {
  outerSize: number;
  /** Elements per output per outer step. */
  blockSize: number;
}

export const unpack: Kernel<UnpackPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input] = requireInputs(ctx, 1);
    requireType(name, input!, "input", ["float32", "int8", "int16", "int32"]);
    const rank = input!.shape.length;
    const axis = resolveAxis(name, Number(ctx.node.options.axis ?? 0), rank);
    const count = Number(ctx.node.options.num ?? ctx.outputs.length);
    if (count !== ctx.outputs.length || count !== input!.shape[axis]) {
      throw new KernelError(
        `${name}: num ${count}, ${ctx.outputs.length} outputs and dimension ${input!.shape[axis]} must agree`,
      );
    }
    const expected = input!.shape.filter((_, i) => i !== axis);
    ctx.outputs.forEach((t, k) => {
      requireSameType(name, input!, "input", t, `output ${k}`);
      if (t.shape.length !== expected.length || expected.some((d, i) => d !== t.shape[i])) {
        throw new KernelError(`${name}: output ${k} shape [${t.shape}] should be [${expected}]`);
      }
    });
    return { outerSize: dimsProduct(input!.shape, 0, axis), blockSize: dimsProduct(input!.shape, axis + 1) };
  },

  eval(p, io) {
    const input = io.inputs[0]!;
    const { outerSize, blockSize } = p;
    const outputs = io.outputs;
    const count = outputs.length;
    for (let i = 0; i < count; i++) {
      const output = outputs[i]!;
      for (let k = 0; k < outerSize; k++) copyRun(output, k * blockSize, input, (k * count + i) * blockSize, blockSize);
    }
  },
};
