/**
 * PAD and PADV2: constant padding of up to 5-D float32/int8/int16/int32 tensors. The pad value is the optional
 * third input (PADV2's constant_values) or, as in TFLM, 0 — except int8, which pads with the output zero point.
 * Paddings must be a constant int32 [rank, 2] tensor that agrees with the converter's output shape.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import {
  constantInt32,
  copyRun,
  extendShape,
  requireOutputs,
  requireSameType,
  requireType,
  scaleOf,
  stridesOf,
  zeroPointOf,
} from "./data-common.js";

const MAX_RANK = 5;

interface PadPrepared {
  /** Input and output shapes and left paddings, extended to 5-D. */
  inputShape: number[];
  outputStrides: number[];
  leftPadding: number[];
  hasConstantValue: boolean;
  /** Pad value when there is no constant_values input. */
  defaultValue: number;
}

export const pad: Kernel<PadPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    if (ctx.inputs.length !== 2 && ctx.inputs.length !== 3) {
      throw new KernelError(`${name}: expects 2 or 3 inputs, got ${ctx.inputs.length}`);
    }
    const [input, paddings] = ctx.inputs;
    const constantValues = ctx.inputs[2] ?? null;
    if (!input || !paddings) throw new KernelError(`${name}: input and paddings are required`);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input, "input", ["float32", "int8", "int16", "int32"]);
    requireSameType(name, input, "input", output!, "output");
    const rank = input.shape.length;
    if (rank > MAX_RANK) throw new KernelError(`${name}: input rank ${rank} exceeds ${MAX_RANK}`);
    if (output!.shape.length !== rank) {
      throw new KernelError(`${name}: output rank ${output!.shape.length} differs from input rank ${rank}`);
    }
    if (constantValues) {
      requireSameType(name, input, "input", constantValues, "constant_values");
      if (constantValues.elementCount !== 1) throw new KernelError(`${name}: constant_values must be a scalar`);
    }
    const padData = constantInt32(name, paddings, "paddings");
    if (padData.length !== 2 * rank) {
      throw new KernelError(`${name}: paddings has ${padData.length} values, expected ${2 * rank}`);
    }
    for (let d = 0; d < rank; d++) {
      const expected = input.shape[d]! + padData[2 * d]! + padData[2 * d + 1]!;
      if (padData[2 * d]! < 0 || padData[2 * d + 1]! < 0 || output!.shape[d] !== expected) {
        throw new KernelError(
          `${name}: output dim ${d} is ${output!.shape[d]}, input ${input.shape[d]} padded by [${padData[2 * d]}, ${padData[2 * d + 1]}] gives ${expected}`,
        );
      }
    }
    let defaultValue = 0;
    if (input.dtype === "int8") {
      if (constantValues) {
        if (zeroPointOf(constantValues) !== zeroPointOf(output!) || scaleOf(constantValues) !== scaleOf(output!)) {
          throw new KernelError(`${name}: constant_values must share the output's scale and zero point`);
        }
      } else {
        defaultValue = zeroPointOf(output!);
        if (defaultValue < -128 || defaultValue > 127) {
          throw new KernelError(`${name}: output zero point ${defaultValue} is outside the int8 range`);
        }
      }
    }
    const leftPadding = new Array<number>(MAX_RANK).fill(0);
    for (let d = 0; d < rank; d++) leftPadding[MAX_RANK - rank + d] = padData[2 * d]!;
    return {
      inputShape: extendShape(input.shape, MAX_RANK),
      outputStrides: stridesOf(extendShape(output!.shape, MAX_RANK)),
      leftPadding,
      hasConstantValue: constantValues !== null,
      defaultValue,
    };
  },

  eval(p, io) {
    const input = io.inputs[0]!;
    const output = io.outputs[0]! as Float32Array;
    const padValue = p.hasConstantValue ? (io.inputs[2]! as Float32Array)[0]! : p.defaultValue;
    output.fill(padValue);
    const [d0, d1, d2, d3, depth] = p.inputShape as [number, number, number, number, number];
    const [s0, s1, s2, s3] = p.outputStrides as [number, number, number, number];
    const [l0, l1, l2, l3, l4] = p.leftPadding as [number, number, number, number, number];
    let src = 0;
    for (let a = 0; a < d0; a++) {
      for (let b = 0; b < d1; b++) {
        for (let c = 0; c < d2; c++) {
          let dst = (a + l0) * s0 + (b + l1) * s1 + (c + l2) * s2 + l3 * s3 + l4;
          for (let d = 0; d < d3; d++) {
            copyRun(output as TypedArray, dst, input, src, depth);
            src += depth;
            dst += s3;
          }
        }
      }
    }
  },
};
