/**
 * Real values in and out of quantized tensors, as TFLite's QUANTIZE and DEQUANTIZE ops compute them:
 * q = clamp(round(x / scale) + zero_point) with the division in float32 and halves rounded away from zero, and
 * x = (q − zero_point) · scale. Per-tensor parameters (the first channel's, for per-channel tensors).
 */
import { InputError } from "../errors.js";
import type { TensorSummary } from "./model.js";
import { allocate, INTEGER_RANGES, type TypedArray } from "./tensor.js";

/** The integer types TFLite quantizes real values into. */
const QUANTIZED_TYPES = new Set(["int8", "uint8", "int16", "int32"]);

type Quantized = Pick<TensorSummary, "dtype" | "scale" | "zeroPoint" | "name">;

/** Quantizes real values into a new typed array of the tensor's type; float tensors get the values unchanged. */
export function quantize(values: ArrayLike<number>, tensor: Quantized): TypedArray {
  const out = allocate(tensor.dtype, values.length);
  if (out instanceof Float32Array || out instanceof Float64Array) {
    out.set(values);
    return out;
  }
  const range = QUANTIZED_TYPES.has(tensor.dtype) ? INTEGER_RANGES[tensor.dtype] : undefined;
  if (!range || tensor.scale === null || tensor.scale === 0) {
    throw new InputError(`tensor "${tensor.name}" (${tensor.dtype}) is not a quantized tensor`);
  }
  const scale = Math.fround(tensor.scale);
  const zeroPoint = tensor.zeroPoint ?? 0;
  const [lo, hi] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new InputError(`value ${i} (${v}) is not a finite number`);
    const scaled = Math.fround(v / scale);
    const rounded = scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
    (out as Int32Array)[i] = Math.min(hi, Math.max(lo, rounded + zeroPoint));
  }
  return out;
}

/** Real values of a tensor's contents: dequantized for quantized integer tensors, as numbers otherwise. */
export function dequantize(values: TypedArray, tensor: Quantized): Float64Array | Float32Array {
  if (values instanceof Float32Array || values instanceof Float64Array) return values;
  const out = new Float64Array(values.length);
  const quantized = tensor.scale !== null && tensor.scale !== 0;
  const scale = tensor.scale ?? 1;
  const zeroPoint = tensor.zeroPoint ?? 0;
  for (let i = 0; i < values.length; i++) {
    const q = Number(values[i]!);
    out[i] = quantized ? (q - zeroPoint) * scale : q;
  }
  return out;
}
