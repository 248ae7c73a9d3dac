/**
 * AVERAGE_POOL_2D for float32, int8 and int16 (TFLM pooling.cc over reference AveragePool): each output is the
 * mean of the input window clipped to the image, so padded positions are not counted. Integer means round half
 * away from zero with C's truncating division; float sums accumulate in float32.
 */
import type { Kernel } from "../runtime/kernel.js";
import { clampFloat } from "./conv-common.js";
import { type PoolPrepared, preparePool } from "./pooling-common.js";

export const averagePool2d: Kernel<PoolPrepared> = {
  prepare: preparePool,
  eval(p, io) {
    const input = io.inputs[0] as Float32Array | Int8Array | Int16Array;
    const output = io.outputs[0]!;
    const { depth, inputHeight, inputWidth, filterHeight, filterWidth, activationMin, activationMax } = p;
    const isFloat = p.dtype === "float32";
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
          // TFLM's reference stops the whole op at the first empty window, leaving the rest unwritten.
          if (count === 0) return;
          const outBase = ((b * p.outputHeight + outY) * p.outputWidth + outX) * depth;
          for (let c = 0; c < depth; c++) {
            let sum = 0;
            for (let fy = yStart; fy < yEnd; fy++) {
              let index = ((b * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin + xStart) * depth + c;
              for (let fx = xStart; fx < xEnd; fx++) {
                sum = isFloat ? Math.fround(sum + input[index]!) : sum + input[index]!;
                index += depth;
              }
            }
            let mean: number;
            if (isFloat) {
              mean = Math.fround(sum / count);
            } else {
              const half = count >> 1;
              mean = Math.trunc((sum > 0 ? sum + half : sum - half) / count);
            }
            output[outBase + c] = clampFloat(mean, activationMin, activationMax);
          }
        }
      }
    }
  },
};
