/**
 * CAST: C++ static_cast between the types TFLM's cast.cc handles (inputs int8, int16, int32, uint32, float32,
 * bool; outputs int8, int16, int32, uint32, float32). Integer narrowing wraps, float → integer truncates, integer
 * → float rounds to nearest: exactly what typed-array stores do, except for floats outside the int32 range.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireType } from "./data-common.js";
import { INT32_MIN } from "./fixed-point.js";

interface CastPrepared {
  /** float32 → int8/int16/int32, which needs the x86 out-of-range rule. */
  floatToSignedInt: boolean;
}

export const cast: Kernel<CastPrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input] = requireInputs(ctx, 1);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["int8", "int16", "int32", "uint32", "float32", "bool"]);
    requireType(name, output!, "output", ["int8", "int16", "int32", "uint32", "float32"]);
    if (input!.elementCount !== output!.elementCount) {
      throw new KernelError(`${name}: input [${input!.shape}] and output [${output!.shape}] sizes differ`);
    }
    const signedOut = output!.dtype === "int8" || output!.dtype === "int16" || output!.dtype === "int32";
    return { floatToSignedInt: input!.dtype === "float32" && signedOut };
  },

  eval(p, io) {
    const input = io.inputs[0]! as Float32Array;
    const output = io.outputs[0]! as Float32Array;
    const n = input.length;
    if (!p.floatToSignedInt) {
      // Same-width copies and every wrap/round rule are what the typed-array store does.
      for (let i = 0; i < n; i++) output[i] = input[i]!;
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = Math.trunc(input[i]!);
      // cvttss2si gives INT32_MIN for NaN and out-of-range values; narrower types then keep its low bits.
      output[i] = v >= -2147483648 && v < 2147483648 ? v : INT32_MIN;
    }
  },
};
