/**
 * Plain, immutable description of a .tflite model as read from its flatbuffer: what the file says, verified,
 * and nothing about execution. The runtime builds on these objects; the writer produces files from them.
 */

export const TENSOR_TYPES = [
  "float32",
  "float16",
  "int32",
  "uint8",
  "int64",
  "string",
  "bool",
  "int16",
  "complex64",
  "int8",
  "float64",
  "complex128",
  "uint64",
  "resource",
  "variant",
  "uint32",
  "uint16",
  "int4",
  "bfloat16",
  "int2",
  "uint4",
  "float8_e4m3fn",
  "float8_e5m2",
] as const;

export type DType = (typeof TENSOR_TYPES)[number];

/** Bytes per element for the types the runtime can hold in memory; 0 for types it cannot. */
export function dtypeByteSize(dtype: DType): number {
  switch (dtype) {
    case "float32":
    case "int32":
    case "uint32":
      return 4;
    case "float64":
    case "int64":
    case "uint64":
    case "complex64":
      return 8;
    case "int16":
    case "uint16":
    case "float16":
    case "bfloat16":
      return 2;
    case "int8":
    case "uint8":
    case "bool":
      return 1;
    default:
      return 0;
  }
}

export interface QuantizationDef {
  /** One scale per channel (or one for the whole tensor). */
  scale: number[];
  zeroPoint: number[];
  /** The axis the per-channel arrays run along. */
  quantizedDimension: number;
}

export interface TensorDef {
  index: number;
  name: string;
  dtype: DType;
  shape: number[];
  /** Shape with -1 for dynamic dimensions, when the file gives one. */
  shapeSignature: number[] | null;
  elementCount: number;
  byteLength: number;
  buffer: number;
  /** Constant contents (weights), 16-byte aligned copy; null for activations, inputs and variables. */
  data: Uint8Array | null;
  quantization: QuantizationDef | null;
  isVariable: boolean;
}

export interface OperatorDef {
  index: number;
  /** Builtin op name as in the schema ("CONV_2D"), or the custom code for custom ops ("SignalWindow"). */
  opName: string;
  isCustom: boolean;
  opVersion: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  /** Builtin options decoded by field name (camelCase), defaults filled in. */
  options: Record<string, unknown>;
  optionsTable: string;
  customOptions: Uint8Array | null;
}

export interface SubgraphDef {
  name: string;
  tensors: TensorDef[];
  inputs: number[];
  outputs: number[];
  operators: OperatorDef[];
}

export interface MetadataDef {
  name: string;
  data: Uint8Array | null;
}

export interface ModelDef {
  schemaVersion: number;
  description: string;
  subgraphs: SubgraphDef[];
  metadata: MetadataDef[];
  bufferCount: number;
  fileBytes: number;
}
