/**
 * GATHER: picks slices of a float32/int8 tensor along `axis` at int32 positions, with batch_dims, as TFLM's
 * gather.cc (which supports exactly these types). Positions outside the axis are rejected at eval: TFLM only
 * checks them in debug builds.
 */
import { InputError, KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { copyRun, dimsProduct, requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";

interface GatherPrepared {
  batchSize: number;
  outerSize: number;
  axisSize: number;
  innerSize: number;
  coordSize: number;
}

export const gather: Kernel<GatherPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input, coords] = requireInputs(ctx, 2);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, coords!, "positions", ["int32"]);
    requireType(name, input!, "input", ["float32", "int8"]);
    requireSameType(name, input!, "input", output!, "output");
    const inputRank = input!.shape.length;
    const coordsRank = coords!.shape.length;
    let axis = Number(ctx.node.options.axis ?? 0);
    if (axis < 0) axis += inputRank;
    if (axis < 0 || axis >= inputRank) throw new KernelError(`${name}: axis ${ctx.node.options.axis} is out of range`);
    let batchDims = Number(ctx.node.options.batchDims ?? 0);
    if (batchDims < 0) batchDims += coordsRank;
    if (batchDims < 0 || batchDims > axis || batchDims >= inputRank || batchDims > coordsRank) {
      throw new KernelError(`${name}: batch_dims ${ctx.node.options.batchDims} is out of range for axis ${axis}`);
    }
    for (let i = 0; i < batchDims; i++) {
      if (input!.shape[i] !== coords!.shape[i]) {
        throw new KernelError(`${name}: batch dimension ${i} differs between input and positions`);
      }
    }
    const expected = [
      ...input!.shape.slice(0, axis),
      ...coords!.shape.slice(batchDims),
      ...input!.shape.slice(axis + 1),
    ];
    if (expected.length !== output!.shape.length || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    return {
      batchSize: dimsProduct(input!.shape, 0, batchDims),
      outerSize: dimsProduct(input!.shape, batchDims, axis),
      axisSize: input!.shape[axis]!,
      innerSize: dimsProduct(input!.shape, axis + 1),
      coordSize: dimsProduct(coords!.shape, batchDims),
    };
  },

  eval(p, io) {
    const input = io.inputs[0]!;
    const coords = io.inputs[1]! as Int32Array;
    const output = io.outputs[0]!;
    const { batchSize, outerSize, axisSize, innerSize, coordSize } = p;
    for (let batch = 0; batch < batchSize; batch++) {
      for (let outer = 0; outer < outerSize; outer++) {
        const slab = batch * outerSize + outer;
        for (let c = 0; c < coordSize; c++) {
          const position = coords[batch * coordSize + c]!;
          if (position < 0 || position >= axisSize) {
            throw new InputError(`GATHER: position ${position} is outside [0, ${axisSize})`);
          }
          copyRun(
            output,
            (slab * coordSize + c) * innerSize,
            input,
            (slab * axisSize + position) * innerSize,
            innerSize,
          );
        }
      }
    }
  },
};
