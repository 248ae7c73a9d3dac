/**
 * STRIDED_SLICE for 1-4-D float32/int8/int16/int32/bool tensors with constant begin/end/strides and TFLM's
 * mask semantics: begin_mask, end_mask and shrink_axis_mask apply; TFLM's micro kernel ignores ellipsis_mask,
 * new_axis_mask and offset, and so do we (a model relying on them fails TFLM's output-shape check here too).
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import {
  constantInt32,
  copyRun,
  extendShape,
  requireInputs,
  requireOutputs,
  requireSameType,
  requireType,
  stridesOf,
} from "./data-common.js";

const MAX_RANK = 4;
const WORK_RANK = 5;

interface SliceParams {
  start: number[];
  stop: number[];
  stride: number[];
  beginMask: number;
  endMask: number;
  shrinkMask: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** TFLM strided_slice::StartForAxis: the first index visited (used for the prepare-time shape check). */
function checkStart(p: SliceParams, shape: readonly number[], axis: number): number {
  const size = shape[axis]!;
  if (size === 0) return 0;
  const stride = p.stride[axis]!;
  let start = p.start[axis]!;
  if (p.beginMask & (1 << axis)) start = stride > 0 ? -2147483648 : 2147483647;
  if (start < 0) start += size;
  return stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
}

/** TFLM strided_slice::StopForAxis: one past the last index (prepare-time shape check). */
function checkStop(p: SliceParams, shape: readonly number[], axis: number, start: number): number {
  const size = shape[axis]!;
  if (size === 0) return 0;
  if (p.shrinkMask & (1 << axis)) return start + 1;
  const stride = p.stride[axis]!;
  let stop = p.stop[axis]!;
  if (p.endMask & (1 << axis)) stop = stride > 0 ? 2147483647 : -2147483648;
  if (stop < 0) stop += size;
  return stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
}

/** TFLM StridedSliceStartForAxis (what eval uses): the mask is applied after clamping. */
function evalStart(p: SliceParams, shape: readonly number[], axis: number): number {
  const size = shape[axis]!;
  const stride = p.stride[axis]!;
  let start = p.start[axis]!;
  if (start < 0) start += size;
  start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
  if (p.beginMask & (1 << axis)) start = stride > 0 ? 0 : size - 1;
  return start;
}

/** TFLM StridedSliceEndForAxis (what eval uses). */
function evalStop(p: SliceParams, shape: readonly number[], axis: number, start: number): number {
  const size = shape[axis]!;
  if (p.shrinkMask & (1 << axis)) return start >= size ? start : start + 1;
  const stride = p.stride[axis]!;
  let stop = p.stop[axis]!;
  if (stop < 0) stop += size;
  stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
  if (p.endMask & (1 << axis)) stop = stride > 0 ? size : -1;
  return stop;
}

interface StridedSlicePrepared {
  start: number[];
  stop: number[];
  stride: number[];
  /** Input strides in elements, 5-D. */
  inputStrides: number[];
}

export const stridedSlice: Kernel<StridedSlicePrepared> = {
  prepare(ctx) {
    const name = ctx.node.opName;
    const [input, begin, end, strides] = requireInputs(ctx, 4);
    const [output] = requireOutputs(ctx, 1);
    requireType(name, input!, "input", ["float32", "int8", "int16", "int32", "bool"]);
    requireSameType(name, input!, "input", output!, "output");
    const rank = input!.shape.length;
    if (rank > MAX_RANK) throw new KernelError(`${name}: input rank ${rank} exceeds ${MAX_RANK}`);
    const beginData = constantInt32(name, begin!, "begin");
    const endData = constantInt32(name, end!, "end");
    const strideData = constantInt32(name, strides!, "strides");
    if (beginData.length < rank || endData.length < rank || strideData.length < rank) {
      throw new KernelError(`${name}: begin, end and strides need ${rank} values each`);
    }
    const o = ctx.node.options;
    // TFLM keeps the masks as uint16.
    const params: SliceParams = {
      start: Array.from(beginData.subarray(0, rank)),
      stop: Array.from(endData.subarray(0, rank)),
      stride: Array.from(strideData.subarray(0, rank)),
      beginMask: Number(o.beginMask ?? 0) & 0xffff,
      endMask: Number(o.endMask ?? 0) & 0xffff,
      shrinkMask: Number(o.shrinkAxisMask ?? 0) & 0xffff,
    };

    // The shape the converter must have written, computed as TFLM's CheckOutputSize does.
    const expected: number[] = [];
    for (let axis = 0; axis < rank; axis++) {
      const stride = params.stride[axis]!;
      if (stride === 0) throw new KernelError(`${name}: stride of axis ${axis} is 0`);
      const start = checkStart(params, input!.shape, axis);
      let stop = checkStop(params, input!.shape, axis, start);
      const shrink = (params.shrinkMask & (1 << axis)) !== 0;
      if (shrink) stop = start + 1;
      const length = Math.ceil(Math.fround(Math.fround(stop - start) / Math.fround(stride)));
      if (!shrink) expected.push(Math.max(0, length));
    }
    if (expected.length !== output!.shape.length || expected.some((d, i) => d !== output!.shape[i])) {
      const ignored = Number(o.ellipsisMask ?? 0) || Number(o.newAxisMask ?? 0) || o.offset === true;
      throw new KernelError(
        `${name}: output shape [${output!.shape}] differs from the slice's [${expected}]` +
          (ignored ? " (ellipsis_mask, new_axis_mask and offset are not supported, as in TFLM)" : ""),
      );
    }

    // Eval works in 5-D: leading axes take everything (TFLM's StridedSlicePadIndices).
    const pad = WORK_RANK - rank;
    const padded: SliceParams = {
      start: [...new Array<number>(pad).fill(0), ...params.start],
      stop: [...new Array<number>(pad).fill(1), ...params.stop],
      stride: [...new Array<number>(pad).fill(1), ...params.stride],
      beginMask: ((params.beginMask << pad) | ((1 << pad) - 1)) & 0xffff,
      endMask: ((params.endMask << pad) | ((1 << pad) - 1)) & 0xffff,
      shrinkMask: (params.shrinkMask << pad) & 0xffff,
    };
    const shape5 = extendShape(input!.shape, WORK_RANK);
    const start: number[] = [];
    const stop: number[] = [];
    for (let axis = 0; axis < WORK_RANK; axis++) {
      start.push(evalStart(padded, shape5, axis));
      stop.push(evalStop(padded, shape5, axis, start[axis]!));
    }
    return { start, stop, stride: padded.stride, inputStrides: stridesOf(shape5) };
  },

  eval(p, io) {
    const input = io.inputs[0]!;
    const output = io.outputs[0]! as TypedArray;
    const out = output as unknown as { [i: number]: number };
    const inp = input as unknown as { [i: number]: number };
    const [b0, b1, b2, b3, b4] = p.start as [number, number, number, number, number];
    const [e0, e1, e2, e3, e4] = p.stop as [number, number, number, number, number];
    const [t0, t1, t2, t3, t4] = p.stride as [number, number, number, number, number];
    const [s0, s1, s2, s3] = p.inputStrides as [number, number, number, number];
    const within = (i: number, stop: number, stride: number) => (stride > 0 ? i < stop : i > stop);
    const runLength = e4 - b4;
    let k = 0;
    for (let i0 = b0; within(i0, e0, t0); i0 += t0) {
      for (let i1 = b1; within(i1, e1, t1); i1 += t1) {
        for (let i2 = b2; within(i2, e2, t2); i2 += t2) {
          for (let i3 = b3; within(i3, e3, t3); i3 += t3) {
            const base = i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3;
            if (t4 === 1) {
              if (runLength > 0) {
                copyRun(output, k, input, base + b4, runLength);
                k += runLength;
              }
            } else {
              for (let i4 = b4; within(i4, e4, t4); i4 += t4) out[k++] = inp[base + i4]!;
            }
          }
        }
      }
    }
  },
};
