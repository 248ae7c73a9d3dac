/**
 * TRANSPOSE: permutes the dimensions of a 1-5-D float32/int8/int16 tensor by a constant perm (TFLM's types).
 * Eval walks the output in order, stepping through the input with the permuted strides.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  constantInt32,
  requireInputs,
  requireOutputs,
  requireSameType,
  requireType,
  stridesOf,
} from "./data-common.js";

const MAX_RANK = 5;

interface TransposePrepared {
  /** Output shape and, per output dimension, the input stride it walks; both padded to 5-D. */
  outputShape: number[];
  inputSteps: number[];
}

export const transpose: Kernel<TransposePrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input, permTensor] = requireInputs(ctx, 2);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["float32", "int8", "int16"]);
    requireSameType(name, input!, "input", output!, "output");
    const rank = input!.shape.length;
    if (rank < 1 || rank > MAX_RANK) throw new KernelError(`${name}: input rank ${rank} is not 1 to ${MAX_RANK}`);
    const perm = constantInt32(name, permTensor!, "perm");
    if (permTensor!.shape.length !== 1 || perm.length !== rank) {
      throw new KernelError(`${name}: perm must be a vector of ${rank} values`);
    }
    if (perm.some((p) => p < 0 || p >= rank) || new Set(perm).size !== rank) {
      throw new KernelError(`${name}: perm [${[...perm]}] is not a permutation of 0..${rank - 1}`);
    }
    const expected = Array.from(perm, (p) => input!.shape[p]!);
    if (expected.length !== output!.shape.length || expected.some((d, i) => d !== output!.shape[i])) {
      throw new KernelError(`${name}: output shape [${output!.shape}] should be [${expected}]`);
    }
    const inputStrides = stridesOf(input!.shape);
    const pad = MAX_RANK - rank;
    return {
      outputShape: [...new Array<number>(pad).fill(1), ...expected],
      inputSteps: [...new Array<number>(pad).fill(0), ...Array.from(perm, (p) => inputStrides[p]!)],
    };
  },

  eval(p, io) {
    const input = io.inputs[0]! as Float32Array;
    const output = io.outputs[0]! as Float32Array;
    const [n0, n1, n2, n3, n4] = p.outputShape as [number, number, number, number, number];
    const [s0, s1, s2, s3, s4] = p.inputSteps as [number, number, number, number, number];
    let k = 0;
    for (let a = 0; a < n0; a++) {
      for (let b = 0; b < n1; b++) {
        for (let c = 0; c < n2; c++) {
          for (let d = 0; d < n3; d++) {
            let src = a * s0 + b * s1 + c * s2 + d * s3;
            for (let e = 0; e < n4; e++) {
              output[k++] = input[src]!;
              src += s4;
            }
          }
        }
      }
    }
  },
};
