/**
 * L2_POOL_2D (TFLM l2_pool_2d.cc, reference L2Pool): each output is sqrt(mean of squares) over its window clipped
 * to the image, float32 only (as in TFLM), with the fused activation clamp. Sums accumulate in float32 in
 * window order; an empty window gives sqrt(0 / 0) = NaN, as in C++.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { clampFloat, computePadding } from "./conv-common.js";
import { type PoolPrepared, preparePool } from "./pooling-common.js";

export const l2Pool2d: Kernel<PoolPrepared> = {
  prepare(ctx) {
    const input = ctx.inputs[0];
    if (ctx.inputs.length !== 1 || ctx.outputs.length !== 1) {
      throw new KernelError("L2_POOL_2D: needs 1 input and 1 output");
    }
    if (input && input.dtype !== "float32") {
      throw new KernelError(`L2_POOL_2D: input type ${input.dtype} is not supported (float32)`);
    }
    const p = preparePool(ctx);
    // TFLM sets the output extent from the padding rule, so the model's output must have exactly that extent.
    const options = ctx.node.options;
    const expected = computePadding(
      String(options.padding ?? "SAME"),
      p.strideHeight,
      p.strideWidth,
      1,
      1,
      p.inputHeight,
      p.inputWidth,
      p.filterHeight,
      p.filterWidth,
    );
    if (expected.outHeight !== p.outputHeight || expected.outWidth !== p.outputWidth) {
      throw new KernelError(
        `L2_POOL_2D: output is ${p.outputHeight}×${p.outputWidth}, the padding rule gives ${expected.outHeight}×${expected.outWidth}`,
      );
    }
    return p;
  },

  eval(p, io) {
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    const { depth, inputHeight, inputWidth, filterHeight, filterWidth, activationMin, activationMax } = p;
    let o = 0;
    for (let b = 0; b < p.batches; b++) {
      for (let outY = 0; outY < p.outputHeight; outY++) {
        const inYOrigin = outY * p.strideHeight - p.padHeight;
        const yStart = Math.max(0, -inYOrigin);
        const yEnd = Math.min(filterHeight, inputHeight - inYOrigin);
        for (let outX = 0; outX < p.outputWidth; outX++) {
          const inXOrigin = outX * p.strideWidth - p.padWidth;
          const xStart = Math.max(0, -inXOrigin);
          const xEnd = Math.min(filterWidth, inputWidth - inXOrigin);
          const count = Math.max(0, yEnd - yStart) * Math.max(0, xEnd - xStart);
          for (let c = 0; c < depth; c++) {
            let squares = 0;
            for (let fy = yStart; fy < yEnd; fy++) {
              let index = ((b * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin + xStart) * depth + c;
              for (let fx = xStart; fx < xEnd; fx++) {
                const v = input[index]!;
                squares = Math.fround(squares + Math.fround(v * v));
                index += depth;
              }
            }
            const result = Math.fround(Math.sqrt(Math.fround(squares / count)));
            output[o++] = clampFloat(result, activationMin, activationMax);
          }
        }
      }
    }
  },
};
