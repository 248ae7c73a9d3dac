/**
 * BATCH_TO_SPACE_ND (TFLM batch_to_space_nd.cc, reference BatchToSpaceND): the inverse of SPACE_TO_BATCH_ND for
 * 3-D (NHC) and 4-D (NHWC) float32/int8 tensors: batches are interleaved back into block_shape-strided spatial
 * positions and the crops are cut away. block_shape and crops are read when the op runs, as in TFLM, so they
 * may be constants or computed by the model. Output positions no input lands on are left as they were.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { type BlockRearrangement, evalBlockParams, prepareBlockRearrangement } from "./data-common.js";

const OP = "BATCH_TO_SPACE_ND";

export const batchToSpaceNd: Kernel<BlockRearrangement> = {
  prepare(ctx) {
    const p = prepareBlockRearrangement(ctx, OP, "crops");
    if (p.output[0] === 0 && ctx.inputs[0]!.elementCount > 0) throw new KernelError(`${OP}: output batch is 0`);
    return p;
  },

  eval(p, io) {
    const [blockHeight, blockWidth, cropTop, cropLeft] = evalBlockParams(OP, p, io.inputs);
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
