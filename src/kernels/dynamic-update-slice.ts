/**
 * DYNAMIC_UPDATE_SLICE (TFLM dynamic_update_slice.cc): the output is the operand with `update` written over it at
 * start indices read per invocation (int32 or int64, one per dimension), each clamped into [0, operand - update]
 * as TFLM does, for float32, int8, int16 and int32 tensors of up to 6 dimensions.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import {
  copyRun,
  requireInputs,
  requireOutputs,
  requireSameType,
  requireType,
  sameShape,
  stridesOf,
} from "./data-common.js";

/** TFLM's RuntimeShape::kMaxSmallSize. */
const MAX_RANK = 6;

interface DynamicUpdateSlicePrepared {
  operandShape: number[];
  updateShape: number[];
  operandStrides: number[];
  updateStrides: number[];
  operandCount: number;
  updateCount: number;
}

export const dynamicUpdateSlice: Kernel<DynamicUpdateSlicePrepared> = {
  prepare(ctx) {
    const [operand, update, start] = requireInputs(ctx, 3) as [TensorDef, TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("DYNAMIC_UPDATE_SLICE", operand, "operand", ["float32", "int8", "int16", "int32"]);
    requireSameType("DYNAMIC_UPDATE_SLICE", operand, "operand", update, "update");
    requireSameType("DYNAMIC_UPDATE_SLICE", operand, "operand", output, "output");
    requireType("DYNAMIC_UPDATE_SLICE", start, "start indices", ["int32", "int64"]);
    const rank = operand.shape.length;
    if (rank > MAX_RANK) throw new KernelError(`DYNAMIC_UPDATE_SLICE: operand rank ${rank} is above ${MAX_RANK}`);
    if (start.shape.length !== 1 || start.shape[0] !== rank) {
      throw new KernelError(`DYNAMIC_UPDATE_SLICE: start indices [${start.shape}] must be [${rank}]`);
    }
    if (update.shape.length !== rank || update.shape.some((d, i) => d > operand.shape[i]!)) {
      throw new KernelError(
        `DYNAMIC_UPDATE_SLICE: update [${update.shape}] does not fit in operand [${operand.shape}]`,
      );
    }
    if (!sameShape(operand.shape, output.shape)) {
      throw new KernelError(
        `DYNAMIC_UPDATE_SLICE: output shape [${output.shape}] differs from operand [${operand.shape}]`,
      );
    }
    return {
      operandShape: [...operand.shape],
      updateShape: [...update.shape],
      operandStrides: stridesOf(operand.shape),
      updateStrides: stridesOf(update.shape),
      operandCount: operand.elementCount,
      updateCount: update.elementCount,
    };
  },

  eval(p, io) {
    const operand = io.inputs[0]!;
    const update = io.inputs[1]!;
    const start = io.inputs[2] as Int32Array | BigInt64Array;
    const output = io.outputs[0] as TypedArray;
    if (p.operandCount === p.updateCount) {
      copyRun(output, 0, update, 0, p.updateCount);
      return;
    }
    if (operand !== output) copyRun(output, 0, operand, 0, p.operandCount);
    if (p.updateCount === 0) return;
    const rank = p.operandShape.length;
    // Clamped start offset in the output, then an odometer over the update's rows (its last dimension).
    let base = 0;
    for (let d = 0; d < rank; d++) {
      const raw = Number(start[d]!);
      const clamped = Math.min(Math.max(0, raw), p.operandShape[d]! - p.updateShape[d]!);
      base += clamped * p.operandStrides[d]!;
    }
    const rowLength = p.updateShape[rank - 1]!;
    const rowCount = p.updateCount / rowLength;
    const counter = new Array<number>(rank).fill(0);
    let to = base;
    for (let r = 0; r < rowCount; r++) {
      copyRun(output, to, update, r * rowLength, rowLength);
      for (let d = rank - 2; d >= 0; d--) {
        counter[d]! += 1;
        to += p.operandStrides[d]!;
        if (counter[d]! < p.updateShape[d]!) break;
        to -= p.operandStrides[d]! * p.updateShape[d]!;
        counter[d] = 0;
      }
    }
  },
};
