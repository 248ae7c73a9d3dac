/**
 * DEPTH_TO_SPACE (TFLM depth_to_space.cc, reference DepthToSpace): spreads the depth of a 4-D NHWC float32 or
 * int8 tensor over block_size × block_size spatial patches (the inverse of SPACE_TO_DEPTH). Values are copied.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType, sameShape } from "./data-common.js";

interface DepthToSpacePrepared {
  batches: number;
  outputHeight: number;
  outputWidth: number;
  outputDepth: number;
  block: number;
}

export const depthToSpace: Kernel<DepthToSpacePrepared> = {
  prepare(ctx) {
    const [input] = requireInputs(ctx, 1) as [TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    if (input.shape.length !== 4) throw new KernelError(`DEPTH_TO_SPACE: input [${input.shape}] must be 4-D`);
    requireType("DEPTH_TO_SPACE", output, "output", ["float32", "int8"]);
    requireSameType("DEPTH_TO_SPACE", input, "input", output, "output");
    const block = Number(ctx.node.options.blockSize ?? 0);
    if (!Number.isInteger(block) || block < 1)
      throw new KernelError(`DEPTH_TO_SPACE: block size ${block} must be >= 1`);
    const [batches, height, width, depth] = input.shape as [number, number, number, number];
    if (depth % (block * block) !== 0) {
      throw new KernelError(`DEPTH_TO_SPACE: depth ${depth} is not a multiple of block² ${block * block}`);
    }
    const expected = [batches, height * block, width * block, depth / (block * block)];
    if (!sameShape(expected, output.shape)) {
      throw new KernelError(`DEPTH_TO_SPACE: output shape [${output.shape}] should be [${expected}]`);
    }
    return { batches, outputHeight: expected[1]!, outputWidth: expected[2]!, outputDepth: expected[3]!, block };
  },

  eval(p, io) {
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    const { block, outputHeight, outputWidth, outputDepth } = p;
    const inputWidth = outputWidth / block;
    const inputHeight = outputHeight / block;
    const inputDepth = outputDepth * block * block;
    let o = 0;
    for (let b = 0; b < p.batches; b++) {
      for (let h = 0; h < outputHeight; h++) {
        for (let w = 0; w < outputWidth; w++) {
          const inBase =
            ((b * inputHeight + Math.floor(h / block)) * inputWidth + Math.floor(w / block)) * inputDepth +
            ((h % block) * block + (w % block)) * outputDepth;
          for (let d = 0; d < outputDepth; d++) output[o++] = input[inBase + d]!;
        }
      }
    }
  },
};
