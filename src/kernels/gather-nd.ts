/**
 * GATHER_ND (TFLM gather_nd.cc): each row of the int32 indices (its last dimension, at most 5 long) addresses a
 * slice of float32 or int8 params; the slices are copied out in order. Like TFLM, a row is checked only as a
 * whole: its flat offset must keep the slice inside params (so [0, 3] into a 2×2 matrix reads element [1, 1]),
 * and an out-of-range row fails the invocation.
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import {
  copyRun,
  dimsProduct,
  requireInputs,
  requireOutputs,
  requireSameType,
  requireType,
  sameShape,
} from "./data-common.js";

const MAX_INDEX_LENGTH = 5;

interface GatherNdPrepared {
  indexLength: number;
  sliceCount: number;
  sliceSize: number;
  paramsCount: number;
  /** Params elements per step of each indexed dimension. */
  strides: number[];
}

export const gatherNd: Kernel<GatherNdPrepared> = {
  prepare(ctx) {
    const [params, indices] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    requireType("GATHER_ND", params, "params", ["float32", "int8"]);
    requireType("GATHER_ND", indices, "indices", ["int32"]);
    requireSameType("GATHER_ND", params, "params", output, "output");
    const paramsRank = params.shape.length;
    const indicesRank = indices.shape.length;
    if (paramsRank < 1) throw new KernelError("GATHER_ND: params must be at least a vector");
    if (indicesRank < 1) throw new KernelError("GATHER_ND: indices must be at least a vector");
    const indexLength = indices.shape[indicesRank - 1]!;
    if (indexLength > paramsRank) {
      throw new KernelError(`GATHER_ND: index length ${indexLength} exceeds the params rank ${paramsRank}`);
    }
    if (indexLength > MAX_INDEX_LENGTH) {
      throw new KernelError(`GATHER_ND: index length ${indexLength} exceeds ${MAX_INDEX_LENGTH}`);
    }
    const expected = [...indices.shape.slice(0, -1), ...params.shape.slice(indexLength)];
    if (!sameShape(expected, output.shape)) {
      throw new KernelError(`GATHER_ND: output shape [${output.shape}] should be [${expected}]`);
    }
    const strides: number[] = [];
    for (let j = 0; j < indexLength; j++) strides.push(dimsProduct(params.shape, j + 1));
    return {
      indexLength,
      sliceCount: dimsProduct(indices.shape, 0, indicesRank - 1),
      sliceSize: dimsProduct(params.shape, indexLength),
      paramsCount: params.elementCount,
      strides,
    };
  },

  eval(p, io) {
    const params = io.inputs[0]!;
    const indices = io.inputs[1] as Int32Array;
    const output = io.outputs[0]!;
    const { indexLength, sliceSize, strides } = p;
    for (let i = 0; i < p.sliceCount; i++) {
      let from = 0;
      for (let j = 0; j < indexLength; j++) from += indices[i * indexLength + j]! * strides[j]!;
      if (from < 0 || from + sliceSize > p.paramsCount) {
        throw new InputError(`GATHER_ND: index row ${i} is out of bounds`);
      }
      copyRun(output, i * sliceSize, params, from, sliceSize);
    }
  },
};
