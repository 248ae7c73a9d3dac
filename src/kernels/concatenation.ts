/**
 * CONCATENATION of up to 10 same-typed tensors (float32, int8, int16, int32, int64, bool) along one axis, a
 * plain copy as in TFLM: int8 inputs must already share the output's scale and zero point (no rescaling), and
 * int16 tensors must have zero point 0.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  copyRun,
  dimsProduct,
  requireOutputs,
  requireSameType,
  requireType,
  resolveAxis,
  scaleOf,
  zeroPointOf,
} from "./data-common.js";

const MAX_INPUTS = 10;
const MAX_RANK = 6;

interface ConcatenationPrepared {
  outerSize: number;
  /** Elements each input contributes per outer step. */
  blockSizes: number[];
}

export const concatenation: Kernel<ConcatenationPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [output] = requireOutputs(ctx, 1);
    const activation = ctx.node.options.fusedActivationFunction ?? "NONE";
    if (activation !== "NONE") throw new KernelError(`${name}: fused activation ${activation} is not supported`);
    if (ctx.inputs.length < 1 || ctx.inputs.length > MAX_INPUTS) {
      throw new KernelError(`${name}: expects 1 to ${MAX_INPUTS} inputs, got ${ctx.inputs.length}`);
    }
    const inputs = ctx.inputs.map((t, k) => {
      if (!t) throw new KernelError(`${name}: input ${k} is missing`);
      return t;
    });
    requireType(name, output!, "output", ["float32", "int8", "int16", "int32", "int64", "bool"]);
    const rank = output!.shape.length;
    if (rank > MAX_RANK) throw new KernelError(`${name}: rank ${rank} exceeds ${MAX_RANK}`);
    const axis = resolveAxis(name, Number(ctx.node.options.axis ?? 0), rank);
    let concatenated = 0;
    inputs.forEach((t, k) => {
      requireSameType(name, t, `input ${k}`, output!, "output");
      if (t.shape.length !== rank)
        throw new KernelError(`${name}: input ${k} rank ${t.shape.length} differs from ${rank}`);
      for (let d = 0; d < rank; d++) {
        if (d !== axis && t.shape[d] !== output!.shape[d]) {
          throw new KernelError(`${name}: input ${k} shape [${t.shape}] does not match output [${output!.shape}]`);
        }
      }
      concatenated += t.shape[axis]!;
      if (t.dtype === "int8" && (scaleOf(t) !== scaleOf(output!) || zeroPointOf(t) !== zeroPointOf(output!))) {
        throw new KernelError(`${name}: int8 input ${k} must share the output's scale and zero point`);
      }
      if (t.dtype === "int16" && zeroPointOf(t) !== 0)
        throw new KernelError(`${name}: int16 input ${k} zero point must be 0`);
    });
    if (output!.dtype === "int16" && zeroPointOf(output!) !== 0) {
      throw new KernelError(`${name}: int16 output zero point must be 0`);
    }
    if (concatenated !== output!.shape[axis]) {
      throw new KernelError(
        `${name}: inputs add up to ${concatenated} along axis ${axis}, output has ${output!.shape[axis]}`,
      );
    }
    const inner = dimsProduct(output!.shape, axis + 1);
    return { outerSize: dimsProduct(output!.shape, 0, axis), blockSizes: inputs.map((t) => t.shape[axis]! * inner) };
  },

  eval(p, io) {
    const output = io.outputs[0]!;
    const { outerSize, blockSizes } = p;
    let dst = 0;
    for (let k = 0; k < outerSize; k++) {
      for (let i = 0; i < blockSizes.length; i++) {
        const size = blockSizes[i]!;
        copyRun(output, dst, io.inputs[i]!, k * size, size);
        dst += size;
      }
    }
  },
};
