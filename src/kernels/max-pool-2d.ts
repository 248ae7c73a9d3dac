/**
 * MAX_POOL_2D for float32, int8 and int16 (TFLM pooling.cc over reference MaxPool): each output is the largest
 * input in the window clipped to the image, then clamped to the fused activation's range.
 */
import type { Kernel } from "../runtime/kernel.js";
import { clampFloat, FLOAT32_MAX } from "./conv-common.js";
import { type PoolPrepared, preparePool } from "./pooling-common.js";

/** The starting maximum TFLM uses: numeric_limits<T>::lowest(). */
const LOWEST: Record<PoolPrepared["dtype"], number> = {
  float32: -FLOAT32_MAX,
  int8: -128,
  int16: -32768,
};

export const maxPool2d: Kernel<PoolPrepared> = {
  prepare: preparePool,
  eval(p, io) {
    const input = io.inputs[0] as Float32Array | Int8Array | Int16Array;
    const output = io.outputs[0]!;
    const { depth, inputHeight, inputWidth, filterHeight, filterWidth, activationMin, activationMax } = p;
    const lowest = LOWEST[p.dtype];
    for (let b = 0; b < p.batches; b++) {
      for (let outY = 0; outY < p.outputHeight; outY++) {
        const inYOrigin = outY * p.strideHeight - p.padHeight;
        const yStart = Math.max(0, -inYOrigin);
        const yEnd = Math.min(filterHeight, inputHeight - inYOrigin);
        for (let outX = 0; outX < p.outputWidth; outX++) {
          const inXOrigin = outX * p.strideWidth - p.padWidth;
          const xStart = Math.max(0, -inXOrigin);
          const xEnd = Math.min(filterWidth, inputWidth - inXOrigin);
          const outBase = ((b * p.outputHeight + outY) * p.outputWidth + outX) * depth;
          for (let c = 0; c < depth; c++) {
            let max = lowest;
            for (let fy = yStart; fy < yEnd; fy++) {
              let index = ((b * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin + xStart) * depth + c;
              for (let fx = xStart; fx < xEnd; fx++) {
                const v = input[index]!;
                // std::max keeps the first operand unless the second is larger (NaN never replaces it).
                if (max < v) max = v;
                index += depth;
              }
            }
            output[outBase + c] = clampFloat(max, activationMin, activationMax);
          }
        }
      }
    }
  },
};
