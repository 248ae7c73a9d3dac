/**
 * L2_NORMALIZATION (TFLM l2norm.cc): divides each vector along the last dimension by its L2 norm, for float32
 * and int8 tensors of rank ≤ 4 without fused activation. float32 sums squares in float32 and divides by
 * max(sqrt(sum), 1e-6f). int8 sums squared (q - zero point) in int32, takes 1/sqrt through TFLite's
 * GetInvSqrtQuantizedMultiplierExp and writes results in TFLM's fixed output scale of 1/128 (the output
 * tensor's own quantization is not read, as in TFLM).
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType, sameShape, zeroPointOf } from "./data-common.js";
import { invSqrtQuantizedMultiplierExp, multiplyByQuantizedMultiplier } from "./fixed-point.js";

const EPSILON = Math.fround(1e-6);
/** TFLite's kReverseShift: GetInvSqrtQuantizedMultiplierExp's shift comes back negated. */
const REVERSE_SHIFT = -1;
/** The int8 output is in 1/128 units: 2^7 folded into the shift. */
const OUTPUT_SCALE_SHIFT = 7;

interface L2NormPrepared {
  int8: boolean;
  depth: number;
  outerSize: number;
  inputZeroPoint: number;
}

export const l2Normalization: Kernel<L2NormPrepared> = {
  prepare(ctx) {
    const [input] = requireInputs(ctx, 1) as [TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("L2_NORMALIZATION", output, "output", ["float32", "int8"]);
    requireSameType("L2_NORMALIZATION", input, "input", output, "output");
    const rank = input.shape.length;
    if (rank > 4 || rank < 1) throw new KernelError(`L2_NORMALIZATION: input rank ${rank} is not 1 to 4`);
    if (!sameShape(input.shape, output.shape)) {
      throw new KernelError(`L2_NORMALIZATION: output shape [${output.shape}] differs from input [${input.shape}]`);
    }
    const activation = String(ctx.node.options.fusedActivationFunction ?? "NONE");
    if (activation !== "NONE")
      throw new KernelError(`L2_NORMALIZATION: fused activation ${activation} is not supported`);
    const depth = input.shape[rank - 1]!;
    return {
      int8: input.dtype === "int8",
      depth,
      outerSize: depth === 0 ? 0 : input.elementCount / depth,
      inputZeroPoint: input.dtype === "int8" ? zeroPointOf(input) : 0,
    };
  },

  eval(p, io) {
    const { depth, outerSize } = p;
    if (!p.int8) {
      const input = io.inputs[0] as Float32Array;
      const output = io.outputs[0] as Float32Array;
      for (let i = 0; i < outerSize; i++) {
        const base = i * depth;
        let squares = 0;
        for (let c = 0; c < depth; c++) {
          const v = input[base + c]!;
          squares = Math.fround(squares + Math.fround(v * v));
        }
        const norm = Math.max(Math.fround(Math.sqrt(squares)), EPSILON);
        for (let c = 0; c < depth; c++) output[base + c] = input[base + c]! / norm;
      }
      return;
    }
    const input = io.inputs[0] as Int8Array;
    const output = io.outputs[0] as Int8Array;
    const zeroPoint = p.inputZeroPoint;
    for (let i = 0; i < outerSize; i++) {
      const base = i * depth;
      let squares = 0;
      for (let c = 0; c < depth; c++) {
        const v = input[base + c]! - zeroPoint;
        squares = (squares + v * v) | 0;
      }
      const { multiplier, shift } = invSqrtQuantizedMultiplierExp(squares, REVERSE_SHIFT);
      for (let c = 0; c < depth; c++) {
        const v = multiplyByQuantizedMultiplier(input[base + c]! - zeroPoint, multiplier, shift + OUTPUT_SCALE_SHIFT);
        output[base + c] = Math.min(127, Math.max(-128, v));
      }
    }
  },
};
