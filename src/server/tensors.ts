/**
 * The server's tensor boundary: turning request values (nested JSON numbers, OIP typed data, binary bytes) into
 * the typed arrays a model's inputs hold — checking counts, shapes and ranges, quantizing real values with the
 * input's scale and zero point — and turning outputs back into datatypes and real values. Pure functions, no
 * I/O; every rejection is an InputError whose message names the model, the tensor and the problem.
 */

import { InputError } from "../errors.js";
import type { DType, TensorSummary, TypedArray } from "../index.js";
import { dequantize, quantize } from "../runtime/quantization.js";
import { allocate as allocateTensor, INTEGER_RANGES } from "../runtime/tensor.js";

/** Open Inference Protocol datatype names by TFLite dtype. */
const OIP_BY_DTYPE: Partial<Record<DType, string>> = {
  bool: "BOOL",
  uint8: "UINT8",
  uint16: "UINT16",
  uint32: "UINT32",
  uint64: "UINT64",
  int8: "INT8",
  int16: "INT16",
  int32: "INT32",
  int64: "INT64",
  float16: "FP16",
  float32: "FP32",
  float64: "FP64",
  string: "BYTES",
};

export const OIP_DATATYPES = [
  "BOOL",
  "UINT8",
  "UINT16",
  "UINT32",
  "UINT64",
  "INT8",
  "INT16",
  "INT32",
  "INT64",
  "FP16",
  "FP32",
  "FP64",
  "BYTES",
] as const;

export function oipDatatype(dtype: DType): string {
  return OIP_BY_DTYPE[dtype] ?? dtype.toUpperCase();
}

export function dtypeOfOip(datatype: string): DType | null {
  for (const [dtype, name] of Object.entries(OIP_BY_DTYPE)) if (name === datatype) return dtype as DType;
  return null;
}

/** Bytes per element of an OIP datatype in the binary tensor extension; 0 for BYTES and unknown names. */
export function oipElementBytes(datatype: string): number {
  switch (datatype) {
    case "BOOL":
    case "UINT8":
    case "INT8":
      return 1;
    case "UINT16":
    case "INT16":
    case "FP16":
      return 2;
    case "UINT32":
    case "INT32":
    case "FP32":
      return 4;
    case "UINT64":
    case "INT64":
    case "FP64":
      return 8;
    default:
      return 0;
  }
}

export function isQuantized(t: TensorSummary): boolean {
  return t.scale !== null && INTEGER_RANGES[t.dtype] !== undefined && t.dtype !== "bool";
}

export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

export function describeTensor(model: string, kind: "input" | "output", t: TensorSummary): string {
  return `model "${model}" ${kind} "${t.name}"`;
}

const MAX_NESTING = 32;

/**
 * Flattens nested arrays of numbers (row-major) into one list, rejecting anything that is not a finite number
 * (booleans are accepted as 0/1 when `allowBooleans`). Iterative, with a nesting limit.
 */
export function flattenNumbers(value: unknown, label: string, allowBooleans = false): number[] {
  if (typeof value === "number" || (allowBooleans && typeof value === "boolean")) value = [value];
  if (!Array.isArray(value)) throw new InputError(`${label} must be an array of numbers, got ${typeName(value)}`);
  const out: number[] = [];
  // Fast path: a flat array of numbers.
  let flat = true;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v === "number" && Number.isFinite(v)) out.push(v);
    else {
      flat = false;
      break;
    }
  }
  if (flat) return out;
  out.length = 0;
  const stack: [unknown[], number][] = [[value, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [arr, i] = top;
    if (i >= arr.length) {
      stack.pop();
      continue;
    }
    top[1] = i + 1;
    const v = arr[i];
    if (Array.isArray(v)) {
      if (stack.length >= MAX_NESTING) throw new InputError(`${label} is nested more than ${MAX_NESTING} levels deep`);
      stack.push([v, 0]);
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new InputError(`${label}: value ${out.length} (${v}) is not a finite number`);
      out.push(v);
    } else if (allowBooleans && typeof v === "boolean") {
      out.push(v ? 1 : 0);
    } else {
      throw new InputError(`${label}: value ${out.length} is not a number (got ${typeName(v)})`);
    }
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return `a ${typeof v}`;
}

/** How many times a request's values fill the tensor (its batch), or an InputError naming what was expected. */
export function batchCount(model: string, t: TensorSummary, count: number, maxBatch: number): number {
  const size = t.shape.reduce((a, d) => a * d, 1);
  const batchable = t.shape.length > 0 && t.shape[0] === 1 && size > 0;
  if (count === size) return 1;
  if (batchable && count > 0 && count % size === 0) {
    const batch = count / size;
    if (batch > maxBatch) {
      throw new InputError(
        `${describeTensor(model, "input", t)}: a batch of ${batch} inputs exceeds the limit of ${maxBatch} (MAX_BATCH)`,
      );
    }
    return batch;
  }
  const hint = batchable ? ` or a multiple of ${size} for a batch` : "";
  throw new InputError(
    `${describeTensor(model, "input", t)} expects ${size} values (shape [${t.shape.join(",")}])${hint}, got ${count}`,
  );
}

/** The runtime's typed array for `dtype`; a type no tensor here can hold is the client's error. */
function allocate(dtype: DType, length: number): TypedArray {
  try {
    return allocateTensor(dtype, length);
  } catch {
    throw new InputError(`tensors of type ${dtype} cannot be sent to this server`);
  }
}

/**
 * Real-valued inputs (the seed API's numbers, or OIP FP32/FP64 data) into the tensor's type: float tensors take
 * them as they are; quantized tensors get round(v / scale) + zero point, saturated to the type's range (as
 * TFLite's QUANTIZE does); unquantized integer tensors require integers in range.
 */
export function fromReal(model: string, t: TensorSummary, values: ArrayLike<number>): TypedArray {
  const out = allocate(t.dtype, values.length);
  if (isFloat(t.dtype)) {
    (out as Float32Array).set(values);
    return out;
  }
  const range = INTEGER_RANGES[t.dtype];
  if (!range) throw new InputError(`${describeTensor(model, "input", t)} has type ${t.dtype}, which takes no numbers`);
  if (isQuantized(t)) return quantize(values, t);
  return fromRaw(model, t, values);
}

/** Integer (or boolean) values already in the tensor's own type: checked for integrality and range. */
export function fromRaw(model: string, t: TensorSummary, values: ArrayLike<number>): TypedArray {
  const out = allocate(t.dtype, values.length);
  if (isFloat(t.dtype)) {
    (out as Float32Array).set(values);
    return out;
  }
  const range = INTEGER_RANGES[t.dtype];
  if (!range) throw new InputError(`${describeTensor(model, "input", t)} has type ${t.dtype}, which takes no numbers`);
  const [lo, hi] = range;
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new InputError(
        `${describeTensor(model, "input", t)}: value ${i} (${v}) is not an ${t.dtype} integer in [${lo}, ${hi}]`,
      );
    }
    if (big) (out as BigInt64Array)[i] = BigInt(v);
    else (out as Int32Array)[i] = v;
  }
  return out;
}

/** Little-endian bytes of the binary tensor extension, reinterpreted as the tensor's type (copied, aligned). */
export function fromBinary(model: string, t: TensorSummary, datatype: string, bytes: Uint8Array): TypedArray {
  const width = oipElementBytes(datatype);
  if (width === 0)
    throw new InputError(`${describeTensor(model, "input", t)}: datatype ${datatype} cannot be sent as binary here`);
  if (bytes.byteLength % width !== 0) {
    throw new InputError(
      `${describeTensor(model, "input", t)}: ${bytes.byteLength} bytes of binary data is not a whole number of ${datatype} elements`,
    );
  }
  const dtype = dtypeOfOip(datatype)!;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const view = viewAs(dtype, copy.buffer, bytes.byteLength / width);
  if (dtype === t.dtype) {
    if (t.dtype === "bool") {
      for (let i = 0; i < view.length; i++) {
        if ((view as Uint8Array)[i]! > 1)
          throw new InputError(`${describeTensor(model, "input", t)}: value ${i} is not a BOOL (0 or 1)`);
      }
    }
    return view;
  }
  if (isFloat(dtype)) return fromReal(model, t, view as Float32Array);
  return fromRaw(model, t, Array.from(view as Int32Array, Number));
}

function viewAs(dtype: DType, buffer: ArrayBufferLike, length: number): TypedArray {
  const typed = allocate(dtype, 0).constructor as unknown as new (
    b: ArrayBufferLike,
    o: number,
    l: number,
  ) => TypedArray;
  return new typed(buffer, 0, length);
}

/** Real values of an output: dequantized for quantized tensors, as numbers for the rest. */
export function toReal(t: TensorSummary, values: TypedArray): Float64Array | Float32Array {
  return dequantize(values, isQuantized(t) ? t : { ...t, scale: null });
}

/** A typed array as a plain JSON-ready list (bigints become numbers; booleans become true/false for BOOL). */
export function toJsonList(dtype: DType, values: TypedArray): (number | boolean)[] {
  if (dtype === "bool") return Array.from(values as Uint8Array, (v) => v !== 0);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Array.from(values, Number);
  // A plain loop: Array.from over a typed array is several times slower for the short outputs served here.
  const numbers = values as Float32Array;
  const out = new Array<number>(numbers.length);
  for (let i = 0; i < numbers.length; i++) out[i] = numbers[i]!;
  return out;
}

/** Bytes of a typed array as the binary tensor extension sends them (little-endian, as JS engines store them). */
export function toBinary(values: TypedArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** The output shape for a batch: the first dimension multiplied by the batch count. */
export function batchedShape(shape: readonly number[], batch: number): number[] {
  if (batch === 1 || shape.length === 0) return [...shape];
  return [shape[0]! * batch, ...shape.slice(1)];
}
