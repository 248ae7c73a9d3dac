/**
 * Typed-array views of tensor memory. A tensor's bytes live in the session's arena (activations), in the model
 * (constants) or in session-owned buffers (variables); kernels only ever see these views.
 */
import { UnsupportedOpError } from "../errors.js";
import type { DType } from "../format/model.js";

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type TypedArrayConstructor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  new (length: number): TypedArray;
};

const CONSTRUCTORS: Partial<Record<DType, TypedArrayConstructor>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

export function typedArrayConstructor(dtype: DType): TypedArrayConstructor {
  const ctor = CONSTRUCTORS[dtype];
  if (!ctor) throw new UnsupportedOpError(`tensors of type ${dtype} are not supported`);
  return ctor;
}

/** A view of `length` elements of `dtype` at `byteOffset` in `buffer` (which must be suitably aligned). */
export function viewOf(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray {
  return new (typedArrayConstructor(dtype))(buffer, byteOffset, length);
}

export function allocate(dtype: DType, length: number): TypedArray {
  return new (typedArrayConstructor(dtype))(length);
}

/** Element count of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
