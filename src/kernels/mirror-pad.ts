/**
 * MIRROR_PAD (TFLM mirror_pad.cc): pads a float32 or int8 tensor with its own mirror image, REFLECT (edge not
 * repeated) or SYMMETRIC (edge repeated). Each output coordinate maps to an input coordinate with TFLM's exact
 * rule, including its quirk that positions past the right edge's mirror clamp to index 0. Padding values are
 * int32 or int64 and may be constants (mapped in prepare) or computed by the model (mapped per invocation).
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType, stridesOf } from "./data-common.js";
import { constantIntegers } from "./more-ops-common.js";

interface MirrorPadPrepared {
  inputShape: number[];
  outputShape: number[];
  /** 1 for REFLECT, 0 for SYMMETRIC. */
  offset: number;
  /** Per dimension, input element offset of each output coordinate; null to build per invocation. */
  tables: Int32Array[] | null;
}

/** TFLM GetInputDimension: the input coordinate an output coordinate copies. */
function inputCoordinate(padded: number, leftPad: number, inputSize: number, offset: number): number {
  if (padded < leftPad) {
    const original = leftPad + offset - 1;
    return original - Math.min(padded, original - offset);
  }
  const inside = padded - leftPad;
  if (inside >= inputSize) {
    const original = inputSize - (1 + offset);
    return original - Math.min(inside - inputSize, original);
  }
  return inside;
}

function coordinateTables(
  p: Omit<MirrorPadPrepared, "tables">,
  paddings: ArrayLike<number>,
  Err: typeof KernelError | typeof InputError,
): Int32Array[] {
  const strides = stridesOf(p.inputShape);
  return p.inputShape.map((size, d) => {
    const leftPad = Number(paddings[2 * d]);
    // Further left the mirror would read before the input starts (TFLM does not check; it reads out of bounds).
    if (leftPad > size - p.offset) {
      throw new Err(`MIRROR_PAD: left padding ${leftPad} is too large for dimension ${d} of size ${size}`);
    }
    const table = new Int32Array(p.outputShape[d]!);
    for (let i = 0; i < table.length; i++) table[i] = inputCoordinate(i, leftPad, size, p.offset) * strides[d]!;
    return table;
  });
}

export const mirrorPad: Kernel<MirrorPadPrepared> = {
  prepare(ctx) {
    const [input, paddings] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("MIRROR_PAD", input, "input", ["float32", "int8"]);
    requireSameType("MIRROR_PAD", input, "input", output, "output");
    requireType("MIRROR_PAD", paddings, "paddings", ["int32", "int64"]);
    const rank = input.shape.length;
    if (paddings.shape.length !== 2 || paddings.shape[0] !== rank || paddings.shape[1] !== 2) {
      throw new KernelError(`MIRROR_PAD: paddings [${paddings.shape}] must be [${rank}, 2]`);
    }
    if (output.shape.length !== rank) {
      throw new KernelError(`MIRROR_PAD: output rank ${output.shape.length} differs from input rank ${rank}`);
    }
    if (input.elementCount === 0 && output.elementCount > 0) {
      throw new KernelError("MIRROR_PAD: cannot pad an empty input to a non-empty output");
    }
    const mode = String(ctx.node.options.mode ?? "REFLECT");
    if (mode !== "REFLECT" && mode !== "SYMMETRIC") throw new KernelError(`MIRROR_PAD: mode ${mode} is not supported`);
    const base = { inputShape: [...input.shape], outputShape: [...output.shape], offset: mode === "REFLECT" ? 1 : 0 };
    const tables = paddings.data
      ? coordinateTables(base, constantIntegers("MIRROR_PAD", paddings, "paddings"), KernelError)
      : null;
    return { ...base, tables };
  },

  eval(p, io) {
    const paddings = io.inputs[1]!;
    const tables =
      p.tables ?? coordinateTables(p, Array.from(paddings as ArrayLike<number | bigint>, Number), InputError);
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    const rank = tables.length;
    if (output.length === 0) return;
    if (rank === 0) {
      output[0] = input[0]!;
      return;
    }
    // Odometer over the outer dimensions; the innermost dimension is one table lookup per element.
    const inner = tables[rank - 1]!;
    const counter = new Array<number>(rank).fill(0);
    let o = 0;
    for (;;) {
      let base = 0;
      for (let d = 0; d < rank - 1; d++) base += tables[d]![counter[d]!]!;
      for (let i = 0; i < inner.length; i++) output[o++] = input[base + inner[i]!]!;
      let d = rank - 2;
      while (d >= 0) {
        counter[d]! += 1;
        if (counter[d]! < tables[d]!.length) break;
        counter[d] = 0;
        d--;
      }
      if (d < 0) return;
    }
  },
};
