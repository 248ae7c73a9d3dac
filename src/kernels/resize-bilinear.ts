/**
 * RESIZE_BILINEAR for 4-D NHWC tensors with a constant [height, width] size: float32 interpolates in float32
 * (every step rounded as TFLM's C++ does), int8 uses TFLM's integer path with 10-bit fractional coordinates
 * and a round-half-away division by 2^20. align_corners and half_pixel_centers as in TFLM.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { constantInt32, requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";

const f = Math.fround;

/** Per output coordinate along one axis: lower and upper source index and the interpolation position. */
interface AxisPlan {
  lower: Int32Array;
  upper: Int32Array;
  /** float32: the scaled coordinate; int8: the coordinate in 1/1024 units. */
  position: Float64Array;
}

function floatAxis(outSize: number, inSize: number, alignCorners: boolean, halfPixel: boolean): AxisPlan {
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  const plan = { lower: new Int32Array(outSize), upper: new Int32Array(outSize), position: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const scaled = halfPixel ? f(f(f(i + 0.5) * scale) - 0.5) : f(i * scale);
    plan.position[i] = scaled;
    plan.lower[i] = Math.max(Math.floor(scaled), 0);
    plan.upper[i] = Math.min(Math.ceil(scaled), inSize - 1);
  }
  return plan;
}

function integerAxis(outSize: number, inSize: number, alignCorners: boolean, halfPixel: boolean): AxisPlan {
  // Integer divisions below truncate toward zero, like C++'s.
  let scale10 = Math.trunc((1024 * inSize + Math.trunc(outSize / 2)) / outSize);
  if (alignCorners && outSize > 1) {
    scale10 = Math.trunc((1024 * (inSize - 1) + Math.trunc((outSize - 1) / 2)) / (outSize - 1));
  }
  const plan = { lower: new Int32Array(outSize), upper: new Int32Array(outSize), position: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const scaled = halfPixel ? i * scale10 + Math.trunc(scale10 / 2) - 512 : i * scale10;
    plan.position[i] = scaled;
    plan.lower[i] = Math.max(Math.trunc(scaled / 1024), 0);
    plan.upper[i] = Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1);
  }
  return plan;
}

interface ResizeBilinearPrepared {
  integer: boolean;
  batches: number;
  depth: number;
  inputHeight: number;
  inputWidth: number;
  rows: AxisPlan;
  cols: AxisPlan;
}

export const resizeBilinear: Kernel<ResizeBilinearPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input, size] = requireInputs(ctx, 2);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["float32", "int8"]);
    requireSameType(name, input!, "input", output!, "output");
    if (input!.shape.length !== 4) throw new KernelError(`${name}: input must be 4-D, got [${input!.shape}]`);
    const sizeData = constantInt32(name, size!, "size");
    if (size!.shape.length !== 1 || sizeData.length !== 2) throw new KernelError(`${name}: size must hold 2 values`);
    const align = ctx.node.options.alignCorners === true;
    const half = ctx.node.options.halfPixelCenters === true;
    if (align && half) throw new KernelError(`${name}: half_pixel_centers and align_corners cannot both be set`);
    const [batches, inputHeight, inputWidth, depth] = input!.shape as [number, number, number, number];
    const [outHeight, outWidth] = [sizeData[0]!, sizeData[1]!];
    const expected = [batches, outHeight, outWidth, depth];
    if (output!.shape.length !== 4 || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    const integer = input!.dtype === "int8";
    const axis = integer ? integerAxis : floatAxis;
    return {
      integer,
      batches,
      depth,
      inputHeight,
      inputWidth,
      rows: axis(outHeight, inputHeight, align, half),
      cols: axis(outWidth, inputWidth, align, half),
    };
  },

  eval(p, io) {
    const input = io.inputs[0]! as Float32Array;
    const output = io.outputs[0]! as Float32Array;
    const { batches, depth, inputHeight, inputWidth, rows, cols, integer } = p;
    const rowSize = inputWidth * depth;
    let dst = 0;
    for (let b = 0; b < batches; b++) {
      const batchBase = b * inputHeight * rowSize;
      for (let y = 0; y < rows.lower.length; y++) {
        const y0 = rows.lower[y]!;
        const top = batchBase + y0 * rowSize;
        const bottom = batchBase + rows.upper[y]! * rowSize;
        const py = rows.position[y]!;
        for (let x = 0; x < cols.lower.length; x++) {
          const x0 = cols.lower[x]!;
          const left = x0 * depth;
          const right = cols.upper[x]! * depth;
          const px = cols.position[x]!;
          if (integer) {
            const dy = py - 1024 * y0;
            const dx = px - 1024 * x0;
            const w00 = (1024 - dy) * (1024 - dx);
            const w10 = dy * (1024 - dx);
            const w01 = (1024 - dy) * dx;
            const w11 = dy * dx;
            for (let c = 0; c < depth; c++) {
              const sum =
                input[top + left + c]! * w00 +
                input[bottom + left + c]! * w10 +
                input[top + right + c]! * w01 +
                input[bottom + right + c]! * w11;
              // TFLM (double rounding build): add ±2^19, then divide truncating toward zero.
              output[dst++] = Math.trunc((sum + (sum > 0 ? 524288 : -524288)) / 1048576);
            }
          } else {
            const dy = f(py - y0);
            const dx = f(px - x0);
            const wy = f(1 - dy);
            const wx = f(1 - dx);
            for (let c = 0; c < depth; c++) {
              // Left to right in float32, exactly as the reference expression associates.
              let sum = f(f(input[top + left + c]! * wy) * wx);
              sum = f(sum + f(f(input[bottom + left + c]! * dy) * wx));
              sum = f(sum + f(f(input[top + right + c]! * wy) * dx));
              sum = f(sum + f(f(input[bottom + right + c]! * dy) * dx));
              output[dst++] = sum;
            }
          }
        }
      }
    }
  },
};
