/**
 * BROADCAST_TO (TFLM broadcast_to.cc): repeats a tensor of up to 5 dimensions along its size-1 dimensions to a
 * constant int32/int64 target shape, for every fixed-size element type (TFLM copies raw bytes, so the type
 * does not matter). The source index of each output element is planned once in prepare.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireInputs, requireOutputs, requireSameType, requireType } from "./data-common.js";
import { broadcastIndexMap, constantIntegers, shapesEqual } from "./more-ops-common.js";

const MAX_RANK = 5;
const ELEMENT_TYPES = [
  "float32",
  "int8",
  "uint8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "uint64",
  "bool",
] as const;

/** Input index per output element; null when no dimension repeats (a plain copy). */
type BroadcastToPrepared = Int32Array | null;

export const broadcastTo: Kernel<BroadcastToPrepared> = {
  prepare(ctx) {
    const [input, shape] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("BROADCAST_TO", input, "input", ELEMENT_TYPES);
    requireSameType("BROADCAST_TO", input, "input", output, "output");
    if (shape.shape.length !== 1) throw new KernelError(`BROADCAST_TO: shape tensor [${shape.shape}] must be 1-D`);
    const target = constantIntegers("BROADCAST_TO", shape, "shape");
    if (input.shape.length > MAX_RANK || output.shape.length > MAX_RANK) {
      throw new KernelError(`BROADCAST_TO: only 1-D to ${MAX_RANK}-D tensors are supported`);
    }
    if (!shapesEqual(target, output.shape)) {
      throw new KernelError(`BROADCAST_TO: output shape [${output.shape}] differs from the shape operand [${target}]`);
    }
    const map = broadcastIndexMap("BROADCAST_TO", input.shape, output.shape);
    return input.elementCount === output.elementCount ? null : map;
  },

  eval(map, io) {
    const input = io.inputs[0] as Float32Array;
    const output = io.outputs[0] as Float32Array;
    if (!map) {
      if (input !== output) output.set(input);
      return;
    }
    for (let i = 0; i < map.length; i++) output[i] = input[map[i]!]!;
  },
};
