/**
 * SQUARED_DIFFERENCE (TFLM squared_difference.cc): (a - b)² with broadcasting (up to 4-D) for float32 and int32
 * (wrapping), and quantized int8/int16: both inputs rescaled to a common scale with 7 (int8) or 0 (int16) bits
 * of headroom, the integer difference squared, then requantized to the output. int16 needs zero points of 0.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { BroadcastPlan } from "./broadcast.js";
import {
  type BinaryOperands,
  binaryOperands,
  mapBinary,
  quantizeMultiplierBelowOne,
  quantParams,
  requireType,
} from "./elementwise-common.js";
import { integerRange, quantizeMultiplier, type Requantizer, requantize, requantizer } from "./fixed-point.js";
import { plan4D } from "./more-ops-common.js";

interface QuantizedSquaredDifference {
  offsetA: number;
  offsetB: number;
  leftShift: number;
  scaleA: Requantizer;
  scaleB: Requantizer;
  output: Requantizer;
  outputOffset: number;
  min: number;
  max: number;
}

type SquaredDifferencePrepared =
  | { kind: "float32" | "int32"; plan: BroadcastPlan }
  | { kind: "int8"; plan: BroadcastPlan; pairTable: Int8Array }
  | { kind: "int16"; plan: BroadcastPlan; params: QuantizedSquaredDifference };

function quantizedParams({ a, b, out }: BinaryOperands): QuantizedSquaredDifference {
  const qa = quantParams(a, "input 1", "SQUARED_DIFFERENCE");
  const qb = quantParams(b, "input 2", "SQUARED_DIFFERENCE");
  const qo = quantParams(out, "output", "SQUARED_DIFFERENCE");
  const [min, max] = integerRange(out.dtype);
  for (const zeroPoint of [qa.zeroPoint, qb.zeroPoint, qo.zeroPoint]) {
    if (out.dtype === "int16" ? zeroPoint !== 0 : zeroPoint < min || zeroPoint > max) {
      throw new KernelError(`SQUARED_DIFFERENCE: zero point ${zeroPoint} is not valid for ${out.dtype}`);
    }
  }
  if (!(qo.scale > 0)) throw new KernelError(`SQUARED_DIFFERENCE: output scale ${qo.scale} is not positive`);
  // int8 keeps 7 bits of headroom: 255² · 2^14 still fits in int32.
  const leftShift = out.dtype === "int8" ? 7 : 0;
  const twiceMaxScale = 2 * Math.max(qa.scale, qb.scale);
  const ma = quantizeMultiplierBelowOne("SQUARED_DIFFERENCE", qa.scale / twiceMaxScale);
  const mb = quantizeMultiplierBelowOne("SQUARED_DIFFERENCE", qb.scale / twiceMaxScale);
  const mo = quantizeMultiplier((twiceMaxScale * twiceMaxScale) / Math.fround(2 ** (2 * leftShift) * qo.scale));
  return {
    offsetA: -qa.zeroPoint,
    offsetB: -qb.zeroPoint,
    leftShift,
    scaleA: requantizer(ma.multiplier, ma.shift),
    scaleB: requantizer(mb.multiplier, mb.shift),
    output: requantizer(mo.multiplier, mo.shift),
    outputOffset: qo.zeroPoint,
    min,
    max,
  };
}

function squaredDifferenceQuantized(p: QuantizedSquaredDifference, x: number, y: number): number {
  const scaledA = requantize((x + p.offsetA) << p.leftShift, p.scaleA);
  const scaledB = requantize((y + p.offsetB) << p.leftShift, p.scaleB);
  const difference = (scaledA - scaledB) | 0;
  const value = requantize(Math.imul(difference, difference), p.output) + p.outputOffset;
  return value < p.min ? p.min : value > p.max ? p.max : value;
}

export const squaredDifference: Kernel<SquaredDifferencePrepared> = {
  prepare(ctx) {
    const operands = binaryOperands(ctx, "SQUARED_DIFFERENCE");
    const { a, b, out } = operands;
    requireType("SQUARED_DIFFERENCE", "input", a.dtype, ["float32", "int32", "int8", "int16"]);
    if (b.dtype !== a.dtype || out.dtype !== a.dtype) {
      throw new KernelError(`SQUARED_DIFFERENCE: tensor types differ (${a.dtype}, ${b.dtype}, ${out.dtype})`);
    }
    const plan = plan4D("SQUARED_DIFFERENCE", operands);
    switch (a.dtype) {
      case "float32":
      case "int32":
        return { kind: a.dtype, plan };
      case "int8": {
        const params = quantizedParams(operands);
        const pairTable = new Int8Array(65536);
        for (let x = -128; x < 128; x++) {
          for (let y = -128; y < 128; y++) {
            pairTable[((x + 128) << 8) | (y + 128)] = squaredDifferenceQuantized(params, x, y);
          }
        }
        return { kind: "int8", plan, pairTable };
      }
      default:
        return { kind: "int16", plan, params: quantizedParams(operands) };
    }
  },
  eval(p, io) {
    const [a, b] = io.inputs;
    const out = io.outputs[0]!;
    switch (p.kind) {
      case "float32":
        mapBinary(p.plan, a as Float32Array, b as Float32Array, out as Float32Array, (x, y) => {
          const difference = Math.fround(x - y);
          return difference * difference;
        });
        return;
      case "int32":
        mapBinary(p.plan, a as Int32Array, b as Int32Array, out as Int32Array, (x, y) => {
          const difference = (x - y) | 0;
          return Math.imul(difference, difference);
        });
        return;
      case "int8": {
        const table = p.pairTable;
        mapBinary(
          p.plan,
          a as Int8Array,
          b as Int8Array,
          out as Int8Array,
          (x, y) => table[((x + 128) << 8) | (y + 128)]!,
        );
        return;
      }
      case "int16": {
        const params = p.params;
        mapBinary(p.plan, a as Int16Array, b as Int16Array, out as Int16Array, (x, y) =>
          squaredDifferenceQuantized(params, x, y),
        );
        return;
      }
    }
  },
};
