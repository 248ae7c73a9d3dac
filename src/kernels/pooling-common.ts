/**
 * The AVERAGE_POOL_2D / MAX_POOL_2D prepare step (TFLM micro/kernels/pooling_common.cc): options, padding and
 * the clamp range, resolved once per model. Padding and activation helpers come from conv-common.
 */
import { KernelError } from "../errors.js";
import type { NodeContext } from "../runtime/kernel.js";
import { computePadding, floatClamp, fusedActivation, tensorQuantization } from "./conv-common.js";
import { quantizedActivationRange } from "./fixed-point.js";

export interface PoolPrepared {
  dtype: "float32" | "int8" | "int16";
  batches: number;
  inputHeight: number;
  inputWidth: number;
  outputHeight: number;
  outputWidth: number;
  depth: number;
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  padHeight: number;
  padWidth: number;
  /** Clamp bounds: quantized for int8/int16, float for float32. */
  activationMin: number;
  activationMax: number;
}

/** A positive integer option, or 0 when the option is missing or not a positive integer. */
export function positiveInt(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0;
}

/** PoolingPrepare: validates one AVERAGE_POOL_2D / MAX_POOL_2D node and resolves padding and clamping. */
export function preparePool(ctx: NodeContext): PoolPrepared {
  const op = ctx.node.opName;
  const input = ctx.inputs[0];
  const output = ctx.outputs[0];
  if (!input || !output) throw new KernelError(`${op}: needs an input and an output`);
  const dtype = input.dtype;
  if (dtype !== "float32" && dtype !== "int8" && dtype !== "int16") {
    throw new KernelError(`${op}: input type ${dtype} is not supported (float32, int8, int16)`);
  }
  if (output.dtype !== dtype) throw new KernelError(`${op}: output type ${output.dtype} differs from input ${dtype}`);
  if (input.shape.length !== 4 || output.shape.length !== 4) {
    throw new KernelError(`${op}: input [${input.shape}] and output [${output.shape}] must both be 4-D (NHWC)`);
  }
  if (input.shape[0] !== output.shape[0] || input.shape[3] !== output.shape[3]) {
    throw new KernelError(`${op}: input [${input.shape}] and output [${output.shape}] differ in batch or depth`);
  }
  const options = ctx.node.options;
  const strideHeight = positiveInt(options.strideH);
  const strideWidth = positiveInt(options.strideW);
  const filterHeight = positiveInt(options.filterHeight);
  const filterWidth = positiveInt(options.filterWidth);
  if (!strideHeight || !strideWidth || !filterHeight || !filterWidth) {
    throw new KernelError(
      `${op}: strides ${options.strideH}×${options.strideW} and filter ${options.filterHeight}×${options.filterWidth} must be positive`,
    );
  }
  const padding = String(options.padding ?? "SAME");
  if (padding !== "SAME" && padding !== "VALID") throw new KernelError(`${op}: padding ${padding} is not supported`);
  const activation = fusedActivation(ctx);
  const inputHeight = input.shape[1]!;
  const inputWidth = input.shape[2]!;
  // TFLM derives padding from the input and options only; eval then walks the output tensor's own shape.
  const pad = computePadding(
    padding,
    strideHeight,
    strideWidth,
    1,
    1,
    inputHeight,
    inputWidth,
    filterHeight,
    filterWidth,
  );
  let activationMin: number;
  let activationMax: number;
  if (dtype === "float32") {
    [activationMin, activationMax] = floatClamp(activation);
  } else {
    const inQ = tensorQuantization(op, "input", input);
    const outQ = tensorQuantization(op, "output", output);
    if (Math.abs(Math.fround(inQ.scale) - Math.fround(outQ.scale)) > 1e-6 || inQ.zeroPoint !== outQ.zeroPoint) {
      throw new KernelError(
        `${op}: input and output quantization must match (scale ${inQ.scale} vs ${outQ.scale}, zero point ${inQ.zeroPoint} vs ${outQ.zeroPoint})`,
      );
    }
    [activationMin, activationMax] = quantizedActivationRange(activation, dtype, outQ.scale, outQ.zeroPoint);
  }
  return {
    dtype,
    batches: input.shape[0]!,
    inputHeight,
    inputWidth,
    outputHeight: output.shape[1]!,
    outputWidth: output.shape[2]!,
    depth: input.shape[3]!,
    strideHeight,
    strideWidth,
    filterHeight,
    filterWidth,
    padHeight: pad.height,
    padWidth: pad.width,
    activationMin,
    activationMax,
  };
}
