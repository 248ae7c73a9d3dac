/**
 * EXPAND_DIMS: inserts a size-1 dimension at a constant axis; the bytes are copied unchanged by RESHAPE's eval.
 * float32, int8 and int16 only, as in TFLM.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { constantInt32, requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";
import { reshape } from "./reshape.js";

export const expandDims: Kernel<null> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input, axisTensor] = requireInputs(ctx, 2);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["float32", "int8", "int16"]);
    requireSameType(name, input!, "input", output!, "output");
    if (axisTensor!.shape.length > 1) throw new KernelError(`${name}: axis must be a scalar or a 1-element vector`);
    const axisData = constantInt32(name, axisTensor!, "axis");
    if (axisData.length < 1) throw new KernelError(`${name}: axis tensor is empty`);
    const rank = input!.shape.length;
    let axis = axisData[0]!;
    if (axis < 0) axis += rank + 1;
    if (axis < 0 || axis > rank) throw new KernelError(`${name}: axis ${axisData[0]} is out of range for rank ${rank}`);
    const expected = [...input!.shape.slice(0, axis), 1, ...input!.shape.slice(axis)];
    if (expected.length !== output!.shape.length || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    return null;
  },
  eval: reshape.eval,
};
