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

/**
 * Value range of each integer element type (bool as 0/1). 64-bit types are limited to what a JS number holds
 * exactly, since values arrive as numbers.
 */
export const INTEGER_RANGES: Readonly<Partial<Record<DType, readonly [number, number]>>> = {
  bool: [0, 1],
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};
