/**
 * Runs one kernel on hand-made tensors, for kernel unit tests whose golden values come from TFLM's
 * kernels/*_test.cc. Constant inputs (weights) are given to prepare as TFLM would see them; other inputs only
 * reach the kernel at eval.
 */
import type { DType, OperatorDef, TensorDef } from "../../src/format/model.js";
import { dtypeByteSize } from "../../src/format/model.js";
import type { AnyKernel, EvalIO, NodeContext } from "../../src/runtime/kernel.js";
import { allocate, type TypedArray, viewOf } from "../../src/runtime/tensor.js";

export interface TensorSpec {
  dtype: DType;
  shape: number[];
  /** Values (integers for quantized types). Required for inputs. */
  data?: ArrayLike<number> | readonly bigint[];
  scale?: number | number[];
  zeroPoint?: number | number[];
  quantizedDimension?: number;
  /** Constant tensors (weights, biases, shape operands) are visible to prepare. */
  constant?: boolean;
  isVariable?: boolean;
}

export interface KernelRun {
  opName?: string;
  options?: Record<string, unknown>;
  customOptions?: Uint8Array;
  inputs: (TensorSpec | null)[];
  outputs: TensorSpec[];
  intermediates?: TensorSpec[];
  /** How many times to invoke (state persists between invocations). Default 1. */
  invocations?: number;
}

function fill(dtype: DType, count: number, values: ArrayLike<number> | readonly bigint[] | undefined): TypedArray {
  const arr = allocate(dtype, count);
  if (values) {
    if (values.length !== count) throw new Error(`test data has ${values.length} values, shape needs ${count}`);
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      if (arr instanceof BigInt64Array || arr instanceof BigUint64Array) arr[i] = BigInt(v);
      else (arr as Float32Array)[i] = Number(v);
    }
  }
  return arr;
}

function toDef(spec: TensorSpec, index: number): TensorDef {
  const elementCount = spec.shape.reduce((a, b) => a * b, 1);
  const scale = spec.scale === undefined ? null : Array.isArray(spec.scale) ? spec.scale : [spec.scale];
  const zero = spec.zeroPoint === undefined ? 0 : spec.zeroPoint;
  const zeroPoint = Array.isArray(zero) ? zero : (scale ?? [0]).map(() => zero as number);
  let data: Uint8Array | null = null;
  if (spec.constant) {
    const arr = fill(spec.dtype, elementCount, spec.data);
    data = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  }
  return {
    index,
    name: `t${index}`,
    dtype: spec.dtype,
    shape: spec.shape,
    shapeSignature: null,
    elementCount,
    byteLength: elementCount * dtypeByteSize(spec.dtype),
    buffer: 0,
    data,
    quantization: scale ? { scale, zeroPoint, quantizedDimension: spec.quantizedDimension ?? 0 } : null,
    isVariable: spec.isVariable ?? false,
  };
}

/** Prepares and evaluates the kernel; returns the outputs of the last invocation (and every invocation's). */
export function runKernel(kernel: AnyKernel, run: KernelRun): { outputs: TypedArray[]; history: TypedArray[][] } {
  let next = 0;
  const inputs = run.inputs.map((s) => (s ? toDef(s, next++) : null));
  const outputs = run.outputs.map((s) => toDef(s, next++));
  const intermediates = (run.intermediates ?? []).map((s) => toDef(s, next++));
  const node: OperatorDef = {
    index: 0,
    opName: run.opName ?? "TEST",
    isCustom: false,
    opVersion: 1,
    inputs: inputs.map((t) => (t ? t.index : -1)),
    outputs: outputs.map((t) => t.index),
    intermediates: intermediates.map((t) => t.index),
    options: run.options ?? {},
    optionsTable: "",
    customOptions: run.customOptions ?? null,
  };
  const scratchSizes: number[] = [];
  const ctx: NodeContext = {
    node,
    inputs,
    outputs,
    intermediates,
    requestScratch(bytes) {
      scratchSizes.push(bytes);
      return scratchSizes.length - 1;
    },
  };
  const prepared = kernel.prepare(ctx);
  const state = kernel.createState?.(prepared);
  const inputViews = inputs.map((t, k) => {
    if (!t) return null;
    if (t.data) return viewOf(t.dtype, t.data.buffer, t.data.byteOffset, t.elementCount);
    return fill(t.dtype, t.elementCount, run.inputs[k]!.data);
  });
  const history: TypedArray[][] = [];
  for (let i = 0; i < (run.invocations ?? 1); i++) {
    const io: EvalIO = {
      inputs: inputViews,
      outputs: outputs.map((t) => allocate(t.dtype, t.elementCount)),
      scratch: scratchSizes.map((b) => new Uint8Array(b)),
    };
    kernel.eval(prepared, io, state);
    history.push(io.outputs);
  }
  return { outputs: history[history.length - 1]!, history };
}
