/**
 * SQUEEZE: drops size-1 dimensions (all of them, or the listed squeeze_dims); the bytes are copied unchanged
 * by RESHAPE's eval. Any in-memory type, as TFLM's memcpy allows.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType } from "./data-common.js";
import { reshape } from "./reshape.js";

const MAX_RANK = 8;

export const squeeze: Kernel<null> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input] = requireInputs(ctx, 1);
    const [output] = requireOutputs(ctx, 1);
    requireSameType(name, input!, "input", output!, "output");
    const shape = input!.shape;
    const rank = shape.length;
    if (rank > MAX_RANK) throw new KernelError(`${name}: input rank ${rank} exceeds ${MAX_RANK}`);
    const dims = (ctx.node.options.squeezeDims as number[] | undefined) ?? [];
    const squeezed = new Array<boolean>(rank).fill(false);
    if (dims.length === 0) {
      shape.forEach((d, i) => {
        squeezed[i] = d === 1;
      });
    } else {
      for (const dim of dims) {
        const axis = dim < 0 ? dim + rank : dim;
        if (axis < 0 || axis >= rank || shape[axis] !== 1) {
          throw new KernelError(`${name}: cannot squeeze dimension ${dim} of [${shape}]`);
        }
        squeezed[axis] = true;
      }
    }
    const expected = shape.filter((_, i) => !squeezed[i]);
    if (expected.length !== output!.shape.length || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    return null;
  },
  eval: reshape.eval,
};
