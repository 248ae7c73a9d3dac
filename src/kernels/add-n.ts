/**
 * ADD_N (TFLM add_n.cc): the sum of two or more same-shape inputs. float32 accumulates in input order in float32.
 * int8 (all inputs sharing one scale and zero point) follows TFLM's reference AddN exactly, including its start
 * value: the accumulator begins at the rescaled input offset (-zero_point) rather than 0, so the result carries
 * one extra -zero_point term, as TFLM's does.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { quantizeMultiplierBelowOne, quantParams, requireType } from "./elementwise-common.js";
import { quantizedActivationRange, type Requantizer, requantize, requantizer } from "./fixed-point.js";
import { shapesEqual } from "./more-ops-common.js";

/** Inputs are shifted left by 20 bits before rescaling, keeping precision (TFLM's kAddNIntegerShift). */
const LEFT_SHIFT = 20;

type AddNPrepared =
  | { kind: "float32"; count: number }
  | {
      kind: "int8";
      count: number;
      inputOffset: number;
      input: Requantizer;
      output: Requantizer;
      outputOffset: number;
      min: number;
      max: number;
    };

export const addN: Kernel<AddNPrepared> = {
  prepare(ctx) {
    const inputs = ctx.inputs;
    const out = ctx.outputs[0];
    if (inputs.length < 2 || ctx.outputs.length !== 1 || !out) {
      throw new KernelError("ADD_N: needs at least 2 inputs and 1 output");
    }
    const first = inputs[0];
    if (!first) throw new KernelError("ADD_N: input 0 is missing");
    requireType("ADD_N", "output", out.dtype, ["float32", "int8"]);
    if (first.dtype !== out.dtype) {
      throw new KernelError(`ADD_N: input type ${first.dtype} differs from output type ${out.dtype}`);
    }
    if (first.elementCount !== out.elementCount) {
      throw new KernelError(`ADD_N: output [${out.shape}] and input [${first.shape}] have different sizes`);
    }
    const q = first.dtype === "int8" ? quantParams(first, "input 0", "ADD_N") : null;
    for (let k = 1; k < inputs.length; k++) {
      const t = inputs[k];
      if (!t) throw new KernelError(`ADD_N: input ${k} is missing`);
      if (!shapesEqual(t.shape, first.shape)) {
        throw new KernelError(`ADD_N: input ${k} shape [${t.shape}] differs from input 0 shape [${first.shape}]`);
      }
      if (t.dtype !== first.dtype)
        throw new KernelError(`ADD_N: input ${k} type ${t.dtype} differs from ${first.dtype}`);
      if (q) {
        const qk = quantParams(t, `input ${k}`, "ADD_N");
        if (qk.scale !== q.scale || qk.zeroPoint !== q.zeroPoint) {
          throw new KernelError(`ADD_N: int8 inputs must share one scale and zero point (input ${k} differs)`);
        }
      }
    }
    if (!q) return { kind: "float32", count: inputs.length };
    const qo = quantParams(out, "output", "ADD_N");
    const twiceInputScale = 2 * q.scale;
    const mi = quantizeMultiplierBelowOne("ADD_N", q.scale / twiceInputScale);
    const mo = quantizeMultiplierBelowOne("ADD_N", twiceInputScale / (2 ** LEFT_SHIFT * qo.scale));
    const [min, max] = quantizedActivationRange("NONE", "int8", qo.scale, qo.zeroPoint);
    return {
      kind: "int8",
      count: inputs.length,
      inputOffset: -q.zeroPoint,
      input: requantizer(mi.multiplier, mi.shift),
      output: requantizer(mo.multiplier, mo.shift),
      outputOffset: qo.zeroPoint,
      min,
      max,
    };
  },
  eval(p, io) {
    const inputs = io.inputs as Float32Array[];
    if (p.kind === "float32") {
      const y = io.outputs[0] as Float32Array;
      y.set(inputs[0]!);
      // Each store rounds the running sum to float32, as TFLM's float accumulator does.
      for (let k = 1; k < p.count; k++) {
        const x = inputs[k]!;
        for (let i = 0; i < y.length; i++) y[i] += x[i]!;
      }
      return;
    }
    const y = io.outputs[0] as Int8Array;
    const start = requantize(p.inputOffset << LEFT_SHIFT, p.input);
    for (let i = 0; i < y.length; i++) {
      let sum = start;
      for (let k = 0; k < p.count; k++) {
        sum = (sum + requantize((p.inputOffset + inputs[k]![i]!) << LEFT_SHIFT, p.input)) | 0;
      }
      const value = requantize(sum, p.output) + p.outputOffset;
      y[i] = value < p.min ? p.min : value > p.max ? p.max : value;
    }
  },
};
