/**
 * QUANTIZE: float32 → int8/int16 (affine quantization) and integer → integer requantization, with exactly the
 * type pairs TFLM's quantize_common.cc evaluates. Requantization uses the double-rounding fixed-point multiplier;
 * float quantization divides in float32 and rounds half away from zero, as TFLM's AffineQuantize does.
 */

import { KernelError } from "../errors.js";
import type { DType } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, scaleOf, zeroPointOf } from "./data-common.js";
import {
  INT32_MIN,
  integerRange,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  roundHalfAway,
} from "./fixed-point.js";

/** Output types TFLM's eval handles for each input type. */
const SUPPORTED: Partial<Record<DType, readonly DType[]>> = {
  float32: ["int8", "int16"],
  int32: ["int8", "int16"],
  int16: ["int8", "int16", "int32"],
  int8: ["int8", "uint8", "int16", "int32"],
  uint8: ["int8"],
};

interface QuantizePrepared {
  fromFloat: boolean;
  /** Output scale, as the float32 TFLM divides by. */
  scale: number;
  outputZeroPoint: number;
  inputZeroPoint: number;
  multiplier: number;
  shift: number;
  min: number;
  max: number;
}

export const quantize: Kernel<QuantizePrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input] = requireInputs(ctx, 1);
    const [output] = requireOutputs(ctx, 1);
    const q = output!.quantization;
    if (q?.scale.length !== 1) {
      throw new KernelError(`${name}: output must have per-tensor quantization (one scale)`);
    }
    const allowed = SUPPORTED[input!.dtype];
    if (!allowed?.includes(output!.dtype)) {
      throw new KernelError(`${name}: input ${input!.dtype} → output ${output!.dtype} is not supported`);
    }
    if (input!.elementCount !== output!.elementCount) {
      throw new KernelError(`${name}: input [${input!.shape}] and output [${output!.shape}] sizes differ`);
    }
    const fromFloat = input!.dtype === "float32";
    // TFLM computes the requantization multiplier in double from the two float32 scales.
    const { multiplier, shift } = fromFloat
      ? { multiplier: 0, shift: 0 }
      : quantizeMultiplier(scaleOf(input!) / q!.scale[0]!);
    const [min, max] = integerRange(output!.dtype);
    return {
      fromFloat,
      scale: q!.scale[0]!,
      outputZeroPoint: q!.zeroPoint[0]!,
      inputZeroPoint: zeroPointOf(input!),
      multiplier,
      shift,
      min,
      max,
    };
  },

  eval(p, io) {
    const input = io.inputs[0]! as Float32Array | Int32Array;
    const output = io.outputs[0]! as Int32Array;
    const n = input.length;
    const { min, max } = p;
    if (p.fromFloat) {
      const scale = p.scale;
      const zeroPoint = p.outputZeroPoint;
      for (let i = 0; i < n; i++) {
        const rounded = roundHalfAway(Math.fround(input[i]! / scale));
        // static_cast<int32_t> of an out-of-range float yields INT32_MIN on the x86 build TFLM's oracle ran on.
        const asInt = rounded >= -2147483648 && rounded < 2147483648 ? rounded : INT32_MIN;
        const value = (asInt + zeroPoint) | 0;
        output[i] = Math.min(max, Math.max(min, value));
      }
      return;
    }
    const { multiplier, shift, inputZeroPoint, outputZeroPoint } = p;
    for (let i = 0; i < n; i++) {
      const centered = (input[i]! - inputZeroPoint) | 0;
      const value = (multiplyByQuantizedMultiplier(centered, multiplier, shift) + outputZeroPoint) | 0;
      output[i] = Math.min(max, Math.max(min, value));
    }
  },
};
