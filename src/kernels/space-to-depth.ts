/**
 * SPACE_TO_DEPTH (TFLM space_to_depth.cc, reference SpaceToDepth): moves each block_size × block_size patch of
 * a 4-D NHWC float32 or int8 tensor into the depth dimension. Values are copied; quantization is untouched.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType, sameShape } from "./data-common.js";

interface SpaceToDepthPrepared {
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputDepth: number;
  block: number;
}

export const spaceToDepth: Kernel<SpaceToDepthPrepared> = {
  prepare(ctx) {
    const [input] = requireInputs(ctx, 1) as [TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    if (input.shape.length !== 4) throw new KernelError(`SPACE_TO_DEPTH: input [${input.shape}] must be 4-D`);
    requireType("SPACE_TO_DEPTH", output, "output", ["float32", "int8"]);
    requireSameType("SPACE_TO_DEPTH", input, "input", output, "output");
    const block = Number(ctx.node.options.blockSize ?? 0);
    if (!Number.isInteger(block) || block < 1)
      throw new KernelError(`SPACE_TO_DEPTH: block size ${block} must be >= 1`);
    const [batches, height, width, depth] = input.shape as [number, number, number, number];
    if (height % block !== 0 || width % block !== 0) {
      throw new KernelError(`SPACE_TO_DEPTH: height ${height} and width ${width} must be multiples of block ${block}`);
    }
    const expected = [batches, height / block, width / block, depth * block * block];
    if (!sameShape(expected, output.shape)) {
      throw new KernelError(`SPACE_TO_DEPTH: output shape [${output.shape}] should be [${expected}]`);
    }
    return { batches, inputHeight: height, inputWidth: width, inputDepth: depth, block };
  },

  eval(p, io) {
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    const { block, inputHeight, inputWidth, inputDepth } = p;
    const outputWidth = inputWidth / block;
    const outputHeight = inputHeight / block;
    const outputDepth = inputDepth * block * block;
    let i = 0;
    for (let b = 0; b < p.batches; b++) {
      for (let h = 0; h < inputHeight; h++) {
        for (let w = 0; w < inputWidth; w++) {
          const outBase =
            ((b * outputHeight + Math.floor(h / block)) * outputWidth + Math.floor(w / block)) * outputDepth +
            ((h % block) * block + (w % block)) * inputDepth;
          for (let d = 0; d < inputDepth; d++) output[outBase + d] = input[i++]!;
        }
      }
    }
  },
};
