/**
 * SPLIT_V (TFLM split_v.cc): cuts a float32/int8/int16/int32 tensor into parts of possibly different sizes along
 * a constant axis (input 0 data, input 1 size_splits, input 2 axis). Like TFLM, the part sizes are taken from
 * the output shapes (size_splits, which may hold a -1, is not read); they must add up to the input's extent.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  constantInt32,
  copyRun,
  dimsProduct,
  requireInputs,
  requireSameType,
  requireType,
  resolveAxis,
} from "./data-common.js";

interface SplitVPrepared {
  outerSize: number;
  /** Elements each output receives per outer step. */
  blockSizes: number[];
}

export const splitV: Kernel<SplitVPrepared> = {
  prepare(ctx) {
    const [input, , axisTensor] = requireInputs(ctx, 3) as [TensorDef, TensorDef, TensorDef];
    const outputs = ctx.outputs;
    if (outputs.length < 1) throw new KernelError("SPLIT_V: needs at least one output");
    requireType("SPLIT_V", input, "input", ["float32", "int8", "int16", "int32"]);
    const axisValues = constantInt32("SPLIT_V", axisTensor, "axis");
    if (axisValues.length !== 1) throw new KernelError("SPLIT_V: axis must hold one value");
    const rank = input.shape.length;
    const axis = resolveAxis("SPLIT_V", axisValues[0]!, rank);
    let total = 0;
    outputs.forEach((t, k) => {
      requireSameType("SPLIT_V", input, "input", t, `output ${k}`);
      if (t.shape.length !== rank || t.shape.some((d, i) => i !== axis && d !== input.shape[i])) {
        throw new KernelError(
          `SPLIT_V: output ${k} shape [${t.shape}] does not match input [${input.shape}] off axis ${axis}`,
        );
      }
      total += t.shape[axis]!;
    });
    if (total !== input.shape[axis]) {
      throw new KernelError(
        `SPLIT_V: output extents add up to ${total}, the input's axis ${axis} has ${input.shape[axis]}`,
      );
    }
    const inner = dimsProduct(input.shape, axis + 1);
    return { outerSize: dimsProduct(input.shape, 0, axis), blockSizes: outputs.map((t) => t.shape[axis]! * inner) };
  },

  eval(p, io) {
    const input = io.inputs[0]!;
    const outputs = io.outputs;
    const { outerSize, blockSizes } = p;
    let src = 0;
    for (let k = 0; k < outerSize; k++) {
      for (let i = 0; i < outputs.length; i++) {
        const size = blockSizes[i]!;
        copyRun(outputs[i]!, k * size, input, src, size);
        src += size;
      }
    }
  },
};
