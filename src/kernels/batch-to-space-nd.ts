/**
 * BATCH_TO_SPACE_ND (TFLM batch_to_space_nd.cc, reference BatchToSpaceND): the inverse of SPACE_TO_BATCH_ND for
 * 3-D (NHC) and 4-D (NHWC) float32/int8 tensors: batches are interleaved back into block_shape-strided spatial
 * positions and the crops are cut away. block_shape and crops are read when the op runs, as in TFLM, so they
 * may be constants or computed by the model. Output positions no input lands on are left as they were.
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";

interface BatchToSpacePrepared {
  input: [number, number, number, number];
  output: [number, number, number, number];
  fourD: boolean;
  /** [blockHeight, blockWidth, cropTop, cropLeft] when block_shape and crops are constants. */
  constant: number[] | null;
}

function extendNhc(shape: readonly number[]): [number, number, number, number] {
  return shape.length === 4 ? (shape as [number, number, number, number]) : [shape[0]!, shape[1]!, 1, shape[2]!];
}

function blockParams(
  block: ArrayLike<number>,
  crops: ArrayLike<number>,
  fourD: boolean,
  Err: typeof KernelError | typeof InputError,
): number[] {
  const blockHeight = Number(block[0]);
  const blockWidth = fourD ? Number(block[1]) : 1;
  if (!(blockHeight >= 1 && blockWidth >= 1)) {
    throw new Err(`BATCH_TO_SPACE_ND: block shape ${blockHeight}×${blockWidth} must be positive`);
  }
  return [blockHeight, blockWidth, Number(crops[0]), fourD ? Number(crops[2]) : 0];
}

export const batchToSpaceNd: Kernel<BatchToSpacePrepared> = {
  prepare(ctx) {
    const [input, block, crops] = requireInputs(ctx, 3) as [TensorDef, TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("BATCH_TO_SPACE_ND", input, "input", ["float32", "int8"]);
    requireSameType("BATCH_TO_SPACE_ND", input, "input", output, "output");
    requireType("BATCH_TO_SPACE_ND", block, "block shape", ["int32"]);
    requireType("BATCH_TO_SPACE_ND", crops, "crops", ["int32"]);
    const rank = input.shape.length;
    if (rank < 3 || rank > 4 || output.shape.length !== rank) {
      throw new KernelError(
        `BATCH_TO_SPACE_ND: input [${input.shape}] and output [${output.shape}] must both be 3-D or 4-D`,
      );
    }
    const fourD = rank === 4;
    if (block.elementCount < (fourD ? 2 : 1) || crops.elementCount < (fourD ? 3 : 1)) {
      throw new KernelError(`BATCH_TO_SPACE_ND: block shape or crops have too few values for rank ${rank}`);
    }
    const inShape = extendNhc(input.shape);
    const outShape = extendNhc(output.shape);
    if (inShape[3] !== outShape[3]) {
      throw new KernelError(`BATCH_TO_SPACE_ND: output depth ${outShape[3]} differs from input depth ${inShape[3]}`);
    }
    if (outShape[0] === 0 && input.elementCount > 0) throw new KernelError("BATCH_TO_SPACE_ND: output batch is 0");
    const constant =
      block.data && crops.data
        ? blockParams(
            new Int32Array(block.data.buffer, block.data.byteOffset, block.elementCount),
            new Int32Array(crops.data.buffer, crops.data.byteOffset, crops.elementCount),
            fourD,
            KernelError,
          )
        : null;
    return { input: inShape, output: outShape, fourD, constant };
  },

  eval(p, io) {
    const [blockHeight, blockWidth, cropTop, cropLeft] = (p.constant ??
      blockParams(io.inputs[1] as Int32Array, io.inputs[2] as Int32Array, p.fourD, InputError)) as [
      number,
      number,
      number,
      number,
    ];
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    const [inBatch, inHeight, inWidth, depth] = p.input;
    const [outBatch, outHeight, outWidth] = p.output;
    for (let b = 0; b < inBatch; b++) {
      const targetBatch = b % outBatch;
      const spatial = Math.floor(b / outBatch);
      for (let h = 0; h < inHeight; h++) {
        const y = h * blockHeight + Math.floor(spatial / blockWidth) - cropTop;
        if (y < 0 || y >= outHeight) continue;
        for (let w = 0; w < inWidth; w++) {
          const x = w * blockWidth + (spatial % blockWidth) - cropLeft;
          if (x < 0 || x >= outWidth) continue;
          const to = ((targetBatch * outHeight + y) * outWidth + x) * depth;
          const from = ((b * inHeight + h) * inWidth + w) * depth;
          for (let d = 0; d < depth; d++) output[to + d] = input[from + d]!;
        }
      }
    }
  },
};
