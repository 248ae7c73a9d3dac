/**
 * The project's own .tflite writer: turns a plain model description (the same shape `readModel` returns, or a
 * hand-built subset of it) into a schema-v3 flatbuffer with the npm `flatbuffers` Builder. It writes what it is
 * given — tensors, buffers, quantization, opcodes, operators with builtin options, metadata — and checks only
 * what would make the file unreadable (indices, buffer sizes, option names); it knows nothing of execution.
 *
 * Field numbers follow TensorFlow Lite's schema.fbs; option tables and their field order come from
 * schema-tables.ts, which the reader uses too, so whatever this writes the reader reads back unchanged.
 */
import { Builder } from "flatbuffers";
import { ModelFormatError } from "../errors.js";
import { type DType, dtypeByteSize, TENSOR_TYPES } from "./model.js";
import { BUILTIN_OPERATORS, BUILTIN_OPTIONS, type OptionField } from "./schema-tables.js";

export interface WriterQuantization {
  scale: readonly number[];
  /** Defaults to zeros. */
  zeroPoint?: readonly number[];
  quantizedDimension?: number;
}

export interface WriterTensor {
  name?: string;
  dtype: DType;
  shape: readonly number[];
  shapeSignature?: readonly number[] | null;
  /** Constant contents (weights); omitted or null for activations, inputs and variables. */
  data?: Uint8Array | ArrayBufferView | null;
  quantization?: WriterQuantization | null;
  isVariable?: boolean;
}

export interface WriterOperator {
  /** Builtin op name ("FULLY_CONNECTED"), or the custom code when `isCustom`. */
  opName: string;
  isCustom?: boolean;
  /** Operator version recorded in the opcode table (TFLite's op_version); default 1. */
  opVersion?: number;
  /** Tensor indices; -1 marks an omitted optional input. */
  inputs: readonly number[];
  outputs: readonly number[];
  intermediates?: readonly number[];
  /** Builtin options by camelCase field name; fields not given take the schema default. */
  options?: Readonly<Record<string, unknown>>;
  /** Options table name ("FullyConnectedOptions"); defaults from DEFAULT_OPTIONS_TABLE, or none. */
  optionsTable?: string;
  customOptions?: Uint8Array | null;
}

export interface WriterSubgraph {
  name?: string;
  tensors: readonly WriterTensor[];
  inputs: readonly number[];
  outputs: readonly number[];
  operators: readonly WriterOperator[];
}

export interface WriterModel {
  description?: string;
  subgraphs: readonly WriterSubgraph[];
  metadata?: readonly { name: string; data: Uint8Array | null }[];
}

/** The options table each common builtin op uses, for operators that do not name one. */
export const DEFAULT_OPTIONS_TABLE: Readonly<Record<string, string>> = {
  ADD: "AddOptions",
  AVERAGE_POOL_2D: "Pool2DOptions",
  CONCATENATION: "ConcatenationOptions",
  CONV_2D: "Conv2DOptions",
  DEPTHWISE_CONV_2D: "DepthwiseConv2DOptions",
  DEQUANTIZE: "DequantizeOptions",
  DIV: "DivOptions",
  FULLY_CONNECTED: "FullyConnectedOptions",
  L2_POOL_2D: "Pool2DOptions",
  LEAKY_RELU: "LeakyReluOptions",
  MAX_POOL_2D: "Pool2DOptions",
  MUL: "MulOptions",
  PAD: "PadOptions",
  QUANTIZE: "QuantizeOptions",
  RESHAPE: "ReshapeOptions",
  SOFTMAX: "SoftmaxOptions",
  STRIDED_SLICE: "StridedSliceOptions",
  SUB: "SubOptions",
  SVDF: "SVDFOptions",
  TRANSPOSE_CONV: "TransposeConvOptions",
  UNIDIRECTIONAL_SEQUENCE_LSTM: "UnidirectionalSequenceLSTMOptions",
};

const BUILTIN_CODES: ReadonlyMap<string, number> = new Map(
  Object.entries(BUILTIN_OPERATORS).map(([code, name]) => [name, Number(code)]),
);
const OPTION_TYPES: ReadonlyMap<string, number> = new Map(BUILTIN_OPTIONS.map((o, i) => [o.table, i]));
/** Codes above this live only in OperatorCode.builtin_code; the deprecated byte holds this placeholder. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

function bytesOf(data: Uint8Array | ArrayBufferView): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A byte vector whose first element is 16-byte aligned in the finished file, as TFLite requires of buffers. */
function alignedByteVector(b: Builder, bytes: Uint8Array): number {
  b.startVector(1, bytes.byteLength, 16);
  for (let i = bytes.byteLength - 1; i >= 0; i--) b.addInt8(bytes[i]!);
  return b.endVector();
}

function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}

function int64Vector(b: Builder, values: readonly number[]): number {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]!));
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function typedVector(b: Builder, kind: string, values: readonly number[]): number {
  const widths: Record<string, [number, (v: number) => void]> = {
    int32: [4, (v) => b.addInt32(v)],
    uint32: [4, (v) => b.addInt32(v | 0)],
    float32: [4, (v) => b.addFloat32(v)],
    int16: [2, (v) => b.addInt16(v)],
    uint8: [1, (v) => b.addInt8(v)],
    int8: [1, (v) => b.addInt8(v)],
    bool: [1, (v) => b.addInt8(v ? 1 : 0)],
    int64: [8, (v) => b.addInt64(BigInt(v))],
    uint64: [8, (v) => b.addInt64(BigInt(v))],
  };
  const entry = widths[kind];
  if (!entry) throw new ModelFormatError(`writer: vector of ${kind} is not supported`);
  b.startVector(entry[0], values.length, entry[0]);
  for (let i = values.length - 1; i >= 0; i--) entry[1](values[i]!);
  return b.endVector();
}

function numberOption(value: unknown, field: OptionField, where: string): number {
  const v = value === undefined ? field.default : value;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ModelFormatError(`${where}: option ${field.name} must be a number, got ${JSON.stringify(value)}`);
  }
  return v;
}

/** Writes one builtin options table; returns [union type, table offset]. */
function writeOptions(b: Builder, op: WriterOperator, where: string): [number, number] {
  const tableName = op.optionsTable ?? DEFAULT_OPTIONS_TABLE[op.opName] ?? "NONE";
  const type = OPTION_TYPES.get(tableName);
  if (type === undefined) throw new ModelFormatError(`${where}: unknown builtin options table ${tableName}`);
  const spec = BUILTIN_OPTIONS[type]!;
  const given = op.options ?? {};
  for (const key of Object.keys(given)) {
    if (!spec.fields.some((f) => f.name === key)) {
      throw new ModelFormatError(`${where}: ${tableName} has no option "${key}"`);
    }
  }
  if (type === 0) return [0, 0];
  // Vectors and strings are written before the table that refers to them.
  const children = spec.fields.map((f) => {
    const value = given[f.name];
    if (value === undefined) return 0;
    if (f.type === "string") return b.createString(String(value));
    if (typeof f.type === "object" && "vector" in f.type) {
      if (!Array.isArray(value)) throw new ModelFormatError(`${where}: option ${f.name} must be an array`);
      return typedVector(b, f.type.vector, value as number[]);
    }
    return 0;
  });
  b.startObject(spec.fields.length);
  spec.fields.forEach((f, i) => {
    const value = given[f.name];
    if (children[i]) {
      b.addFieldOffset(i, children[i]!, 0);
      return;
    }
    const t = f.type;
    if (typeof t === "object") {
      if ("enumOf" in t) {
        const name = value === undefined ? f.default : value;
        const index = typeof name === "number" ? name : t.enumOf.indexOf(String(name));
        if (index < 0) {
          throw new ModelFormatError(`${where}: option ${f.name} is ${JSON.stringify(name)}, not one of ${t.enumOf}`);
        }
        b.addFieldInt8(i, index, t.enumOf.indexOf(String(f.default)));
      }
      return;
    }
    switch (t) {
      case "bool":
      case "int8":
      case "uint8":
        b.addFieldInt8(i, numberOption(value, f, where), numberOption(undefined, f, where));
        break;
      case "int16":
        b.addFieldInt16(i, numberOption(value, f, where), numberOption(undefined, f, where));
        break;
      case "int32":
      case "uint32":
        b.addFieldInt32(i, numberOption(value, f, where) | 0, numberOption(undefined, f, where) | 0);
        break;
      case "float32":
        b.addFieldFloat32(i, numberOption(value, f, where), numberOption(undefined, f, where));
        break;
      case "int64":
      case "uint64":
        b.addFieldInt64(i, BigInt(numberOption(value, f, where)), BigInt(numberOption(undefined, f, where)));
        break;
      case "string":
        break;
    }
  });
  return [type, b.endObject()];
}

interface Plan {
  opcodes: { name: string; isCustom: boolean; version: number }[];
  opcodeIndex: Map<string, number>;
  buffers: Uint8Array[];
  /** Buffer index of each tensor, per subgraph. */
  tensorBuffers: number[][];
  metadataBuffers: number[];
}

function checkIndex(i: number, count: number, allowOptional: boolean, where: string): void {
  if (allowOptional && i === -1) return;
  if (!Number.isInteger(i) || i < 0 || i >= count) {
    throw new ModelFormatError(`${where}: tensor index ${i} out of range (${count} tensors)`);
  }
}

/** Validates the description and assigns buffers and opcodes (buffer 0 stays the empty sentinel). */
function plan(model: WriterModel): Plan {
  const p: Plan = {
    opcodes: [],
    opcodeIndex: new Map(),
    buffers: [new Uint8Array(0)],
    tensorBuffers: [],
    metadataBuffers: [],
  };
  if (model.subgraphs.length === 0) throw new ModelFormatError("writer: model has no subgraphs");
  model.subgraphs.forEach((g, s) => {
    const prefix = s === 0 ? "" : `subgraph ${s} `;
    const n = g.tensors.length;
    p.tensorBuffers.push(
      g.tensors.map((t, k) => {
        const where = `${prefix}tensor ${k}`;
        if (!TENSOR_TYPES.includes(t.dtype)) throw new ModelFormatError(`${where}: unknown dtype ${t.dtype}`);
        for (const d of t.shape) {
          if (!Number.isInteger(d) || d < 0) throw new ModelFormatError(`${where}: invalid dimension ${d}`);
        }
        if (!t.data) return 0;
        const bytes = bytesOf(t.data);
        const expected = t.shape.reduce((a, d) => a * d, 1) * dtypeByteSize(t.dtype);
        if (dtypeByteSize(t.dtype) > 0 && bytes.byteLength !== expected) {
          throw new ModelFormatError(
            `${where}: data has ${bytes.byteLength} bytes but shape [${t.shape}] of ${t.dtype} needs ${expected}`,
          );
        }
        p.buffers.push(bytes);
        return p.buffers.length - 1;
      }),
    );
    for (const i of g.inputs) checkIndex(i, n, false, `${prefix}inputs`);
    for (const i of g.outputs) checkIndex(i, n, false, `${prefix}outputs`);
    g.operators.forEach((op, k) => {
      const where = `${prefix}operator ${k}`;
      for (const i of op.inputs) checkIndex(i, n, true, where);
      for (const i of op.outputs) checkIndex(i, n, false, where);
      for (const i of op.intermediates ?? []) checkIndex(i, n, false, where);
      if (!op.isCustom && !BUILTIN_CODES.has(op.opName)) {
        throw new ModelFormatError(`${where}: unknown builtin operator ${op.opName}`);
      }
      const version = op.opVersion ?? 1;
      const key = `${op.isCustom ? "custom:" : ""}${op.opName}@${version}`;
      if (!p.opcodeIndex.has(key)) {
        p.opcodeIndex.set(key, p.opcodes.length);
        p.opcodes.push({ name: op.opName, isCustom: op.isCustom ?? false, version });
      }
    });
  });
  for (const m of model.metadata ?? []) {
    if (!m.data) {
      p.metadataBuffers.push(0);
      continue;
    }
    p.buffers.push(m.data);
    p.metadataBuffers.push(p.buffers.length - 1);
  }
  return p;
}

function writeTensor(b: Builder, t: WriterTensor, buffer: number): number {
  const shape = int32Vector(b, t.shape);
  const signature = t.shapeSignature ? int32Vector(b, t.shapeSignature) : 0;
  const name = b.createString(t.name ?? "");
  let quantization = 0;
  if (t.quantization && t.quantization.scale.length > 0) {
    const q = t.quantization;
    const scale = float32Vector(b, q.scale);
    const zeroPoint = int64Vector(b, q.zeroPoint ?? q.scale.map(() => 0));
    b.startObject(7);
    b.addFieldOffset(2, scale, 0);
    b.addFieldOffset(3, zeroPoint, 0);
    b.addFieldInt32(6, q.quantizedDimension ?? 0, 0);
    quantization = b.endObject();
  }
  b.startObject(8);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, TENSOR_TYPES.indexOf(t.dtype), 0);
  b.addFieldInt32(2, buffer, 0);
  b.addFieldOffset(3, name, 0);
  if (quantization) b.addFieldOffset(4, quantization, 0);
  b.addFieldInt8(5, t.isVariable ? 1 : 0, 0);
  if (signature) b.addFieldOffset(7, signature, 0);
  return b.endObject();
}

function writeOperator(b: Builder, op: WriterOperator, opcodeIndex: number, where: string): number {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const intermediates = op.intermediates?.length ? int32Vector(b, op.intermediates) : 0;
  const custom = op.customOptions ? b.createByteVector(op.customOptions) : 0;
  const [optionsType, options] = writeOptions(b, op, where);
  b.startObject(9);
  b.addFieldInt32(0, opcodeIndex, 0);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  b.addFieldInt8(3, optionsType, 0);
  if (options) b.addFieldOffset(4, options, 0);
  if (custom) b.addFieldOffset(5, custom, 0);
  if (intermediates) b.addFieldOffset(8, intermediates, 0);
  return b.endObject();
}

/** Serialises a model description as a .tflite (schema v3, identifier "TFL3") file. */
export function writeModel(model: WriterModel): Uint8Array {
  const p = plan(model);
  const b = new Builder(1024);

  const opcodes = p.opcodes.map((o) => {
    const custom = o.isCustom ? b.createString(o.name) : 0;
    const code = o.isCustom ? BUILTIN_CODES.get("CUSTOM")! : BUILTIN_CODES.get(o.name)!;
    b.startObject(4);
    b.addFieldInt8(0, Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), 0);
    if (custom) b.addFieldOffset(1, custom, 0);
    b.addFieldInt32(2, o.version, 1);
    b.addFieldInt32(3, code, 0);
    return b.endObject();
  });

  const subgraphs = model.subgraphs.map((g, s) => {
    const prefix = s === 0 ? "" : `subgraph ${s} `;
    const tensors = g.tensors.map((t, k) => writeTensor(b, t, p.tensorBuffers[s]![k]!));
    const operators = g.operators.map((op, k) => {
      const key = `${op.isCustom ? "custom:" : ""}${op.opName}@${op.opVersion ?? 1}`;
      return writeOperator(b, op, p.opcodeIndex.get(key)!, `${prefix}operator ${k}`);
    });
    const tensorsVec = offsetVector(b, tensors);
    const inputs = int32Vector(b, g.inputs);
    const outputs = int32Vector(b, g.outputs);
    const operatorsVec = offsetVector(b, operators);
    const name = g.name ? b.createString(g.name) : 0;
    b.startObject(5);
    b.addFieldOffset(0, tensorsVec, 0);
    b.addFieldOffset(1, inputs, 0);
    b.addFieldOffset(2, outputs, 0);
    b.addFieldOffset(3, operatorsVec, 0);
    if (name) b.addFieldOffset(4, name, 0);
    return b.endObject();
  });

  const buffers = p.buffers.map((bytes) => {
    const data = bytes.byteLength > 0 ? alignedByteVector(b, bytes) : 0;
    b.startObject(3);
    if (data) b.addFieldOffset(0, data, 0);
    return b.endObject();
  });

  const metadata = (model.metadata ?? []).map((m, k) => {
    const name = b.createString(m.name);
    b.startObject(2);
    b.addFieldOffset(0, name, 0);
    b.addFieldInt32(1, p.metadataBuffers[k]!, 0);
    return b.endObject();
  });

  const opcodesVec = offsetVector(b, opcodes);
  const subgraphsVec = offsetVector(b, subgraphs);
  const description = b.createString(model.description ?? "");
  const buffersVec = offsetVector(b, buffers);
  const metadataVec = metadata.length ? offsetVector(b, metadata) : 0;
  b.startObject(8);
  b.addFieldInt32(0, 3, 0);
  b.addFieldOffset(1, opcodesVec, 0);
  b.addFieldOffset(2, subgraphsVec, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffersVec, 0);
  if (metadataVec) b.addFieldOffset(6, metadataVec, 0);
  b.finish(b.endObject(), "TFL3");
  return b.asUint8Array().slice();
}
