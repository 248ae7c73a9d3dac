/**
 * RESIZE_NEAREST_NEIGHBOR for 4-D NHWC float32/int8/int16 tensors with a constant [height, width] size, with
 * TFLM's align_corners / half_pixel_centers source-index rule (computed in float32, as TFLM does). The source
 * row and column of every output pixel are resolved in prepare; eval only copies channel runs.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { constantInt32, copyRun, requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";
import { roundHalfAway } from "./fixed-point.js";

/** TFLM GetNearestNeighbor: the source index of output index `index` along one spatial axis. */
function nearestSource(
  index: number,
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixel: boolean,
): number {
  const scale = alignCorners && outSize > 1 ? Math.fround((inSize - 1) / (outSize - 1)) : Math.fround(inSize / outSize);
  const offset = halfPixel ? 0.5 : 0;
  const scaled = Math.fround(Math.fround(index + offset) * scale);
  let source = Math.min(alignCorners ? roundHalfAway(scaled) : Math.floor(scaled), inSize - 1);
  if (halfPixel) source = Math.max(0, source);
  return source;
}

interface ResizeNearestPrepared {
  batches: number;
  depth: number;
  inputHeight: number;
  inputWidth: number;
  /** Source row of each output row, source column of each output column. */
  sourceRows: Int32Array;
  sourceCols: Int32Array;
}

export const resizeNearestNeighbor: Kernel<ResizeNearestPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input, size] = requireInputs(ctx, 2);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["float32", "int8", "int16"]);
    requireSameType(name, input!, "input", output!, "output");
    if (input!.shape.length !== 4) throw new KernelError(`${name}: input must be 4-D, got [${input!.shape}]`);
    const sizeData = constantInt32(name, size!, "size");
    if (size!.shape.length !== 1 || sizeData.length !== 2) throw new KernelError(`${name}: size must hold 2 values`);
    const [batches, inputHeight, inputWidth, depth] = input!.shape as [number, number, number, number];
    const [outHeight, outWidth] = [sizeData[0]!, sizeData[1]!];
    const expected = [batches, outHeight, outWidth, depth];
    if (output!.shape.length !== 4 || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    const align = ctx.node.options.alignCorners === true;
    const half = ctx.node.options.halfPixelCenters === true;
    return {
      batches,
      depth,
      inputHeight,
      inputWidth,
      sourceRows: Int32Array.from({ length: outHeight }, (_, y) =>
        nearestSource(y, inputHeight, outHeight, align, half),
      ),
      sourceCols: Int32Array.from({ length: outWidth }, (_, x) => nearestSource(x, inputWidth, outWidth, align, half)),
    };
  },

  eval(p, io) {
    const input = io.inputs[0]!;
    const output = io.outputs[0]!;
    const { batches, depth, inputHeight, inputWidth, sourceRows, sourceCols } = p;
    const rowSize = inputWidth * depth;
    let dst = 0;
    for (let b = 0; b < batches; b++) {
      const batchBase = b * inputHeight * rowSize;
      for (let y = 0; y < sourceRows.length; y++) {
        const rowBase = batchBase + sourceRows[y]! * rowSize;
        for (let x = 0; x < sourceCols.length; x++) {
          copyRun(output, dst, input, rowBase + sourceCols[x]! * depth, depth);
          dst += depth;
        }
      }
    }
  },
};
