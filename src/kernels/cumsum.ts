/**
 * CUMSUM (TFLM cumsum.cc, reference CumSum): running sums along one axis, optionally exclusive (each output
 * leaves out its own element) and/or reversed, for float32 and int8. float32 accumulates in float32 in walk
 * order. int8 follows TFLM's integer path: each (q - zero point) is shifted left by 20, halved by a Q31
 * multiplier, summed in a wrapping int32, then requantized to the output scale. The axis may be a constant
 * (resolved in prepare) or computed by the model (checked per invocation).
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  requireInputs,
  requireOutputs,
  requireSameType,
  requireType,
  sameShape,
  scaleOf,
  zeroPointOf,
} from "./data-common.js";
import { quantizeMultiplierBelowOne } from "./elementwise-common.js";
import { multiplyByQuantizedMultiplier } from "./fixed-point.js";

/** TFLM's kCumSumIntegerShift: headroom bits for the int8 sums. */
const INTEGER_SHIFT = 20;

interface CumsumPrepared {
  shape: number[];
  exclusive: boolean;
  reverse: boolean;
  /** Resolved axis when constant; -1 to read it per invocation. */
  axis: number;
  int8: {
    inputOffset: number;
    outputOffset: number;
    inputMultiplier: number;
    inputShift: number;
    outputMultiplier: number;
    outputShift: number;
  } | null;
}

function resolveCumsumAxis(raw: number, rank: number, Err: typeof KernelError | typeof InputError): number {
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 0 || axis >= rank) throw new Err(`CUMSUM: axis ${raw} is out of range for rank ${rank}`);
  return axis;
}

export const cumsum: Kernel<CumsumPrepared> = {
  prepare(ctx) {
    const [input, axis] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("CUMSUM", input, "input", ["float32", "int8"]);
    requireType("CUMSUM", axis, "axis", ["int32"]);
    requireSameType("CUMSUM", input, "input", output, "output");
    if (axis.elementCount !== 1) throw new KernelError(`CUMSUM: axis must hold one value, has ${axis.elementCount}`);
    if (input.shape.length < 1) throw new KernelError("CUMSUM: input must have at least one dimension");
    if (!sameShape(input.shape, output.shape)) {
      throw new KernelError(`CUMSUM: output shape [${output.shape}] differs from input shape [${input.shape}]`);
    }
    const rank = input.shape.length;
    const resolved = axis.data
      ? resolveCumsumAxis(new DataView(axis.data.buffer, axis.data.byteOffset, 4).getInt32(0, true), rank, KernelError)
      : -1;
    let int8: CumsumPrepared["int8"] = null;
    if (input.dtype === "int8") {
      const inputScale = scaleOf(input);
      const twiceMaxInputScale = 2 * inputScale;
      const inputQ = quantizeMultiplierBelowOne("CUMSUM", inputScale / twiceMaxInputScale);
      const outputQ = quantizeMultiplierBelowOne("CUMSUM", twiceMaxInputScale / (2 ** INTEGER_SHIFT * scaleOf(output)));
      int8 = {
        inputOffset: -zeroPointOf(input),
        outputOffset: zeroPointOf(output),
        inputMultiplier: inputQ.multiplier,
        inputShift: inputQ.shift,
        outputMultiplier: outputQ.multiplier,
        outputShift: outputQ.shift,
      };
    }
    const options = ctx.node.options;
    return {
      shape: [...input.shape],
      exclusive: options.exclusive === true,
      reverse: options.reverse === true,
      axis: resolved,
      int8,
    };
  },

  eval(p, io) {
    const shape = p.shape;
    const axis = p.axis >= 0 ? p.axis : resolveCumsumAxis(io.inputs[1]![0] as number, shape.length, InputError);
    // `before` runs over the dimensions ahead of the axis, `after` over those behind it (contiguous).
    let before = 1;
    let after = 1;
    for (let d = 0; d < shape.length; d++) {
      if (d < axis) before *= shape[d]!;
      else if (d > axis) after *= shape[d]!;
    }
    const depth = shape[axis]!;
    const { exclusive, reverse, int8 } = p;
    const input = io.inputs[0] as Float32Array | Int8Array;
    const output = io.outputs[0] as Float32Array | Int8Array;
    for (let a = 0; a < after; a++) {
      const aIndex = reverse ? after - 1 - a : a;
      for (let b = 0; b < before; b++) {
        const bIndex = reverse ? before - 1 - b : b;
        if (!int8) {
          let sum = 0;
          for (let k = 0; k < depth; k++) {
            const index = aIndex + (bIndex * depth + (reverse ? depth - 1 - k : k)) * after;
            if (exclusive) {
              output[index] = sum;
              sum = Math.fround(sum + input[index]!);
            } else {
              sum = Math.fround(sum + input[index]!);
              output[index] = sum;
            }
          }
          continue;
        }
        const { inputOffset, inputMultiplier, inputShift, outputMultiplier, outputShift, outputOffset } = int8;
        // TFLM seeds each sum with the scaled input offset (-zero point), not 0; kept for identical bytes.
        let sum = multiplyByQuantizedMultiplier(inputOffset << INTEGER_SHIFT, inputMultiplier, inputShift);
        for (let k = 0; k < depth; k++) {
          const index = aIndex + (bIndex * depth + (reverse ? depth - 1 - k : k)) * after;
          const scaled = multiplyByQuantizedMultiplier(
            (inputOffset + input[index]!) << INTEGER_SHIFT,
            inputMultiplier,
            inputShift,
          );
          let total: number;
          if (exclusive) {
            total = sum;
            sum = (sum + scaled) | 0;
          } else {
            sum = (sum + scaled) | 0;
            total = sum;
          }
          const value = (multiplyByQuantizedMultiplier(total, outputMultiplier, outputShift) + outputOffset) | 0;
          output[index] = Math.min(127, Math.max(-128, value));
        }
      }
    }
  },
};
