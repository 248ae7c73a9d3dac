/**
 * SPLIT: cuts a float32/int8/int16/int32 tensor into equal parts along a constant axis (input 0 is the axis,
 * input 1 the data), one output per part, as TFLM's split.cc.
 */
import { KernelError } from "../errors.js";
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

interface SplitPrepared {
  outerSize: number;
  /** Elements each output receives per outer step. */
  blockSize: number;
}

export const split: Kernel<SplitPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [axisTensor, input] = requireInputs(ctx, 2);
    const outputs = ctx.outputs;
    if (outputs.length < 1) throw new KernelError(`${name}: needs at least one output`);
    requireType(name, input!, "input", ["float32", "int8", "int16", "int32"]);
    const axisData = constantInt32(name, axisTensor!, "axis");
    if (axisData.length !== 1) throw new KernelError(`${name}: axis must hold one value`);
    const rank = input!.shape.length;
    const axis = resolveAxis(name, axisData[0]!, rank);
    const numSplits = Number(ctx.node.options.numSplits ?? outputs.length);
    if (numSplits !== outputs.length) {
      throw new KernelError(`${name}: num_splits ${numSplits} differs from the ${outputs.length} outputs`);
    }
    if (input!.shape[axis]! % outputs.length !== 0) {
      throw new KernelError(`${name}: dimension ${input!.shape[axis]} is not divisible into ${outputs.length} parts`);
    }
    const part = input!.shape[axis]! / outputs.length;
    const expected = input!.shape.map((d, i) => (i === axis ? part : d));
    outputs.forEach((t, k) => {
      requireSameType(name, input!, "input", t, `output ${k}`);
      if (t.shape.length !== rank || expected.some((d, i) => d !== t.shape[i])) {
        throw new KernelError(`${name}: output ${k} shape [${t.shape}] should be [${expected}]`);
      }
    });
    return { outerSize: dimsProduct(input!.shape, 0, axis), blockSize: part * dimsProduct(input!.shape, axis + 1) };
  },

  eval(p, io) {
    const input = io.inputs[1]!;
    const { outerSize, blockSize } = p;
    const outputs = io.outputs;
    let src = 0;
    for (let k = 0; k < outerSize; k++) {
      for (let i = 0; i < outputs.length; i++) {
        copyRun(outputs[i]!, k * blockSize, input, src, blockSize);
        src += blockSize;
      }
    }
  },
};
