/**
 * SPACE_TO_BATCH_ND (TFLM space_to_batch_nd.cc, reference SpaceToBatchND): zero-pads the spatial dimensions of a
 * 3-D (NHC) or 4-D (NHWC) float32/int8 tensor and moves block_shape-strided positions into the batch. Like TFLM,
 * padded positions are filled with zero bytes (TFLM's pad value is never set to the output zero point) and
 * block_shape/paddings are read when the op runs, so they may be constants or computed by the model.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import { type BlockRearrangement, evalBlockParams, prepareBlockRearrangement } from "./data-common.js";

const OP = "SPACE_TO_BATCH_ND";

export const spaceToBatchNd: Kernel<BlockRearrangement> = {
  prepare(ctx) {
    const p = prepareBlockRearrangement(ctx, OP, "paddings");
    if (p.input[0] === 0 && ctx.outputs[0]!.elementCount > 0) throw new KernelError(`${OP}: input batch is 0`);
    return p;
  },

  eval(p, io) {
    const [blockHeight, blockWidth, padTop, padLeft] = evalBlockParams(OP, p, io.inputs);
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
