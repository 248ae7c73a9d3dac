/**
 * SPACE_TO_BATCH_ND (TFLM space_to_batch_nd.cc, reference SpaceToBatchND): zero-pads the spatial dimensions of a
 * 3-D (NHC) or 4-D (NHWC) float32/int8 tensor and moves block_shape-strided positions into the batch. Like TFLM,
 * padded positions are filled with zero bytes (TFLM's pad value is never set to the output zero point) and
 * block_shape/paddings are read when the op runs, so they may be constants or computed by the model.
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import { requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";

/** Geometry with 3-D tensors viewed as N×H×1×C. */
interface SpaceToBatchPrepared {
  input: [number, number, number, number];
  output: [number, number, number, number];
  fourD: boolean;
  /** [blockHeight, blockWidth, padTop, padLeft] when block_shape and paddings are constants. */
  constant: number[] | null;
}

function extendNhc(shape: readonly number[]): [number, number, number, number] {
  return shape.length === 4 ? (shape as [number, number, number, number]) : [shape[0]!, shape[1]!, 1, shape[2]!];
}

/** Block sizes and leading paddings; rejects values that would divide by zero. */
function blockParams(
  block: ArrayLike<number>,
  paddings: ArrayLike<number>,
  fourD: boolean,
  Err: typeof KernelError | typeof InputError,
): number[] {
  const blockHeight = Number(block[0]);
  const blockWidth = fourD ? Number(block[1]) : 1;
  if (!(blockHeight >= 1 && blockWidth >= 1)) {
    throw new Err(`SPACE_TO_BATCH_ND: block shape ${blockHeight}×${blockWidth} must be positive`);
  }
  return [blockHeight, blockWidth, Number(paddings[0]), fourD ? Number(paddings[2]) : 0];
}

export const spaceToBatchNd: Kernel<SpaceToBatchPrepared> = {
  prepare(ctx) {
    const [input, block, paddings] = requireInputs(ctx, 3) as [TensorDef, TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("SPACE_TO_BATCH_ND", input, "input", ["float32", "int8"]);
    requireSameType("SPACE_TO_BATCH_ND", input, "input", output, "output");
    requireType("SPACE_TO_BATCH_ND", block, "block shape", ["int32"]);
    requireType("SPACE_TO_BATCH_ND", paddings, "paddings", ["int32"]);
    const rank = input.shape.length;
    if (rank < 3 || rank > 4 || output.shape.length !== rank) {
      throw new KernelError(
        `SPACE_TO_BATCH_ND: input [${input.shape}] and output [${output.shape}] must both be 3-D or 4-D`,
      );
    }
    const fourD = rank === 4;
    if (block.elementCount < (fourD ? 2 : 1) || paddings.elementCount < (fourD ? 3 : 1)) {
      throw new KernelError(`SPACE_TO_BATCH_ND: block shape or paddings have too few values for rank ${rank}`);
    }
    const inShape = extendNhc(input.shape);
    const outShape = extendNhc(output.shape);
    if (inShape[3] !== outShape[3]) {
      throw new KernelError(`SPACE_TO_BATCH_ND: output depth ${outShape[3]} differs from input depth ${inShape[3]}`);
    }
    if (inShape[0] === 0 && output.elementCount > 0) throw new KernelError("SPACE_TO_BATCH_ND: input batch is 0");
    const constant =
      block.data && paddings.data
        ? blockParams(
            new Int32Array(block.data.buffer, block.data.byteOffset, block.elementCount),
            new Int32Array(paddings.data.buffer, paddings.data.byteOffset, paddings.elementCount),
            fourD,
            KernelError,
          )
        : null;
    return { input: inShape, output: outShape, fourD, constant };
  },

  eval(p, io) {
    const [blockHeight, blockWidth, padTop, padLeft] = (p.constant ??
      blockParams(io.inputs[1] as Int32Array, io.inputs[2] as Int32Array, p.fourD, InputError)) as [
      number,
      number,
      number,
      number,
    ];
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as TypedArray as Float32Array;
    const [inBatch, inHeight, inWidth, depth] = p.input;
    const [outBatch, outHeight, outWidth] = p.output;
    let o = 0;
    for (let b = 0; b < outBatch; b++) {
      const sourceBatch = b % inBatch;
      const step = Math.floor(b / inBatch);
      const shiftW = step % blockWidth;
      const shiftH = Math.floor(step / blockWidth);
      for (let h = 0; h < outHeight; h++) {
        const y = h * blockHeight + shiftH - padTop;
        for (let w = 0; w < outWidth; w++) {
          const x = w * blockWidth + shiftW - padLeft;
          if (y < 0 || y >= inHeight || x < 0 || x >= inWidth) {
            output.fill(0, o, o + depth);
          } else {
            const base = ((sourceBatch * inHeight + y) * inWidth + x) * depth;
            for (let d = 0; d < depth; d++) output[o + d] = input[base + d]!;
          }
          o += depth;
        }
      }
    }
  },
};
