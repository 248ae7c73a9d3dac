/**
 * Verifying reader for TFLite flatbuffers (schema version 3).
 *
 * Every offset, vtable, vector length and string is bounds-checked before it is read, as flatbuffers' own
 * verifier does, and every cross-reference (buffer, tensor, opcode index) is checked against its table, so a
 * malformed or hostile file ends in a ModelFormatError that says where it went wrong — never a RangeError, a
 * hang or an allocation sized by the attacker. Owns no execution logic.
 */
import { ModelFormatError } from "../errors.js";
import {
  dtypeByteSize,
  type MetadataDef,
  type ModelDef,
  type OperatorDef,
  type QuantizationDef,
  type SubgraphDef,
  TENSOR_TYPES,
  type TensorDef,
} from "./model.js";
import { BUILTIN_OPERATORS, BUILTIN_OPTIONS, type OptionField } from "./schema-tables.js";

export interface ReadLimits {
  /** Largest tensor a model may declare, in bytes. */
  maxTensorBytes: number;
  /** Largest rank a tensor may declare. */
  maxRank: number;
  /** Most objects (tables, vector elements) the reader will visit. */
  maxObjects: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxTensorBytes: 256 * 1024 * 1024,
  maxRank: 8,
  maxObjects: 4_000_000,
};

const MAX_FLATBUFFER_BYTES = 0x7fffffff;

/** Checked access to one flatbuffer: every read verifies its range first. */
class FlatView {
  private readonly view: DataView;
  private objects = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly maxObjects: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  count(n: number, where: string): void {
    this.objects += n;
    if (this.objects > this.maxObjects) {
      throw new ModelFormatError(`${where}: model has more than ${this.maxObjects} objects`);
    }
  }

  check(pos: number, size: number, where: string): void {
    if (!Number.isInteger(pos) || pos < 0 || size < 0 || pos + size > this.length) {
      throw new ModelFormatError(`${where}: offset ${pos}+${size} outside the file (${this.length} bytes)`);
    }
  }

  u8(pos: number, where: string): number {
    this.check(pos, 1, where);
    return this.view.getUint8(pos);
  }
  i8(pos: number, where: string): number {
    this.check(pos, 1, where);
    return this.view.getInt8(pos);
  }
  u16(pos: number, where: string): number {
    this.check(pos, 2, where);
    return this.view.getUint16(pos, true);
  }
  i16(pos: number, where: string): number {
    this.check(pos, 2, where);
    return this.view.getInt16(pos, true);
  }
  u32(pos: number, where: string): number {
    this.check(pos, 4, where);
    return this.view.getUint32(pos, true);
  }
  i32(pos: number, where: string): number {
    this.check(pos, 4, where);
    return this.view.getInt32(pos, true);
  }
  f32(pos: number, where: string): number {
    this.check(pos, 4, where);
    return this.view.getFloat32(pos, true);
  }
  i64(pos: number, where: string): bigint {
    this.check(pos, 8, where);
    return this.view.getBigInt64(pos, true);
  }
  u64(pos: number, where: string): bigint {
    this.check(pos, 8, where);
    return this.view.getBigUint64(pos, true);
  }

  /** Follows a uoffset stored at `pos`. */
  deref(pos: number, where: string): number {
    const target = pos + this.u32(pos, where);
    this.check(target, 0, where);
    return target;
  }

  table(pos: number, where: string): Table {
    this.count(1, where);
    const vtable = pos - this.i32(pos, where);
    const vtableSize = this.u16(vtable, `${where} vtable`);
    const tableSize = this.u16(vtable + 2, `${where} vtable`);
    if (vtableSize < 4 || vtableSize % 2 !== 0) {
      throw new ModelFormatError(`${where}: invalid vtable size ${vtableSize}`);
    }
    this.check(vtable, vtableSize, `${where} vtable`);
    this.check(pos, tableSize, `${where} table`);
    return new Table(this, pos, vtable, vtableSize, tableSize, where);
  }
}

type ScalarKind = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32";
const SCALAR_SIZE: Record<ScalarKind, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4 };

class Table {
  constructor(
    private readonly fb: FlatView,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
    readonly where: string,
  ) {}

  /** Absolute position of field `i`, or 0 when absent; checks it lies inside the table with `size` bytes. */
  private field(i: number, size: number): number {
    const entry = 4 + 2 * i;
    if (entry >= this.vtableSize) return 0;
    const offset = this.fb.u16(this.vtable + entry, this.where);
    if (offset === 0) return 0;
    if (offset + size > this.tableSize) {
      throw new ModelFormatError(`${this.where}: field ${i} lies outside its table`);
    }
    return this.pos + offset;
  }

  has(i: number): boolean {
    return this.field(i, 0) !== 0;
  }

  scalar(i: number, kind: ScalarKind, fallback: number): number {
    const p = this.field(i, SCALAR_SIZE[kind]);
    return p === 0 ? fallback : this.fb[kind](p, `${this.where} field ${i}`);
  }

  bigScalar(i: number, signed: boolean): bigint {
    const p = this.field(i, 8);
    if (p === 0) return 0n;
    return signed ? this.fb.i64(p, this.where) : this.fb.u64(p, this.where);
  }

  private ref(i: number): number {
    const p = this.field(i, 4);
    return p === 0 ? 0 : this.fb.deref(p, `${this.where} field ${i}`);
  }

  childTable(i: number, where: string): Table | null {
    const p = this.ref(i);
    return p === 0 ? null : this.fb.table(p, where);
  }

  string(i: number): string | null {
    const p = this.ref(i);
    if (p === 0) return null;
    const len = this.fb.u32(p, `${this.where} string`);
    this.fb.check(p + 4, len + 1, `${this.where} string`);
    return new TextDecoder("utf-8", { fatal: false }).decode(this.fb.bytes.subarray(p + 4, p + 4 + len));
  }

  /**
   * Returns [start, length] of a vector of elements `elemSize` bytes wide, bounds-checked. Elements count
   * against the object limit except raw bytes (weights), which the file size already bounds.
   */
  vector(i: number, elemSize: number, countElements = true): [number, number] | null {
    const p = this.ref(i);
    if (p === 0) return null;
    const len = this.fb.u32(p, `${this.where} field ${i} vector`);
    if (len * elemSize > this.fb.length) {
      throw new ModelFormatError(`${this.where}: field ${i} vector of ${len} elements exceeds the file`);
    }
    this.fb.check(p + 4, len * elemSize, `${this.where} field ${i} vector`);
    if (countElements) this.fb.count(len, this.where);
    return [p + 4, len];
  }

  scalarVector(i: number, kind: ScalarKind): number[] | null {
    const v = this.vector(i, SCALAR_SIZE[kind]);
    if (!v) return null;
    const [start, len] = v;
    // Built by push so integer vectors stay small-integer arrays: kernels index with shapes in hot loops.
    const out: number[] = [];
    const integer = kind !== "f32" && kind !== "u32";
    for (let k = 0; k < len; k++) {
      const v = this.fb[kind](start + k * SCALAR_SIZE[kind], this.where);
      out.push(integer ? v | 0 : v);
    }
    return out;
  }

  int64Vector(i: number): bigint[] | null {
    const v = this.vector(i, 8);
    if (!v) return null;
    const [start, len] = v;
    const out = new Array<bigint>(len);
    for (let k = 0; k < len; k++) out[k] = this.fb.i64(start + k * 8, this.where);
    return out;
  }

  bytes(i: number): Uint8Array | null {
    const v = this.vector(i, 1, false);
    return v ? this.fb.bytes.subarray(v[0], v[0] + v[1]) : null;
  }

  tables(i: number, where: (k: number) => string): Table[] {
    const v = this.vector(i, 4);
    if (!v) return [];
    const [start, len] = v;
    const out: Table[] = [];
    for (let k = 0; k < len; k++) {
      const at = this.fb.deref(start + 4 * k, where(k));
      out.push(this.fb.table(at, where(k)));
    }
    return out;
  }
}

/** Copies bytes into a fresh buffer so typed-array views of any element width are aligned. */
function alignedCopy(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(Math.ceil(src.byteLength / 16) * 16 || 16), 0, src.byteLength);
  out.set(src);
  return out;
}

interface BufferEntry {
  data: Uint8Array | null;
}

function readBuffers(fb: FlatView, model: Table): BufferEntry[] {
  return model
    .tables(4, (k) => `buffer ${k}`)
    .map((t, k) => {
      const inline = t.bytes(0);
      if (inline && inline.byteLength > 0) return { data: inline };
      const offset = t.bigScalar(1, false);
      const size = t.bigScalar(2, false);
      if (offset > 1n && size > 0n) {
        if (offset + size > BigInt(fb.length)) {
          throw new ModelFormatError(
            `buffer ${k}: external data ${offset}+${size} outside the file (${fb.length} bytes)`,
          );
        }
        return { data: fb.bytes.subarray(Number(offset), Number(offset + size)) };
      }
      return { data: null };
    });
}

function readQuantization(t: Table | null, where: string): QuantizationDef | null {
  if (!t) return null;
  const scale = t.scalarVector(2, "f32");
  const zero = t.int64Vector(3);
  if (!scale || scale.length === 0) return null;
  const zeroPoint = (zero ?? []).map((z) => {
    if (z < -(2n ** 31n) || z >= 2n ** 31n) throw new ModelFormatError(`${where}: zero point ${z} out of range`);
    return Number(z);
  });
  if (zeroPoint.length !== 0 && zeroPoint.length !== scale.length) {
    throw new ModelFormatError(`${where}: ${scale.length} scales but ${zeroPoint.length} zero points`);
  }
  for (const s of scale) {
    if (!Number.isFinite(s)) throw new ModelFormatError(`${where}: quantization scale ${s} is not finite`);
  }
  return {
    scale,
    zeroPoint: zeroPoint.length ? zeroPoint : scale.map(() => 0),
    quantizedDimension: t.scalar(6, "i32", 0),
  };
}

function readTensor(t: Table, index: number, buffers: BufferEntry[], limits: ReadLimits, where: string): TensorDef {
  const shape = t.scalarVector(0, "i32") ?? [];
  const typeId = t.scalar(1, "i8", 0);
  const dtype = TENSOR_TYPES[typeId];
  if (dtype === undefined) throw new ModelFormatError(`${where}: unknown tensor type ${typeId}`);
  if (shape.length > limits.maxRank) {
    throw new ModelFormatError(`${where}: rank ${shape.length} exceeds the limit of ${limits.maxRank}`);
  }
  let elementCount = 1;
  for (const d of shape) {
    if (d < 0) throw new ModelFormatError(`${where}: negative dimension ${d} in shape [${shape}]`);
    elementCount *= d;
  }
  const elemSize = dtypeByteSize(dtype);
  const byteLength = elementCount * elemSize;
  if (byteLength > limits.maxTensorBytes) {
    throw new ModelFormatError(
      `${where}: shape [${shape}] of ${dtype} needs ${byteLength} bytes, over the limit of ${limits.maxTensorBytes}`,
    );
  }
  const buffer = t.scalar(2, "u32", 0);
  if (buffer >= buffers.length && !(buffer === 0 && buffers.length === 0)) {
    throw new ModelFormatError(`${where}: buffer ${buffer} out of range (${buffers.length} buffers)`);
  }
  const raw = buffers[buffer]?.data ?? null;
  if (raw && elemSize > 0 && raw.byteLength !== byteLength) {
    throw new ModelFormatError(
      `${where}: buffer ${buffer} holds ${raw.byteLength} bytes but shape [${shape}] of ${dtype} needs ${byteLength}`,
    );
  }
  const quantization = readQuantization(t.childTable(4, `${where} quantization`), where);
  // quantized_dimension is not checked here: TFLM ignores it where a kernel does not use it (person_detect
  // ships biases with quantized_dimension 3 on rank-1 tensors); kernels that use per-channel data check it.
  const signature = t.scalarVector(7, "i32");
  return {
    index,
    name: t.string(3) ?? "",
    dtype,
    shape,
    shapeSignature: signature && signature.length === shape.length ? signature : null,
    elementCount,
    byteLength,
    buffer,
    data: raw ? alignedCopy(raw) : null,
    quantization,
    isVariable: t.scalar(5, "u8", 0) !== 0,
  };
}

function readOptionField(t: Table, i: number, f: OptionField): unknown {
  const type = f.type;
  if (typeof type === "object") {
    if ("enumOf" in type) {
      const raw = t.scalar(i, "i8", type.enumOf.indexOf(f.default as string));
      return type.enumOf[raw] ?? raw;
    }
    const kind = type.vector;
    if (kind === "int64" || kind === "uint64") return t.int64Vector(i)?.map(Number) ?? [];
    const map = {
      int32: "i32",
      uint32: "u32",
      uint8: "u8",
      int8: "i8",
      int16: "i16",
      float32: "f32",
      bool: "u8",
    } as const;
    return t.scalarVector(i, map[kind]) ?? [];
  }
  switch (type) {
    case "bool":
      return t.scalar(i, "u8", f.default ? 1 : 0) !== 0;
    case "int8":
      return t.scalar(i, "i8", f.default as number);
    case "uint8":
      return t.scalar(i, "u8", f.default as number);
    case "int16":
      return t.scalar(i, "i16", f.default as number);
    case "int32":
      return t.scalar(i, "i32", f.default as number);
    case "uint32":
      return t.scalar(i, "u32", f.default as number);
    case "float32":
      return t.scalar(i, "f32", f.default as number);
    case "int64":
    case "uint64":
      return t.has(i) ? Number(t.bigScalar(i, type === "int64")) : f.default;
    case "string":
      return t.string(i) ?? "";
  }
}

function readOptions(t: Table, where: string): { table: string; options: Record<string, unknown> } {
  const typeId = t.scalar(3, "u8", 0);
  const spec = BUILTIN_OPTIONS[typeId];
  if (!spec) throw new ModelFormatError(`${where}: unknown builtin options type ${typeId}`);
  const options: Record<string, unknown> = {};
  const table = typeId === 0 ? null : t.childTable(4, `${where} options`);
  spec.fields.forEach((f, i) => {
    options[f.name] = table ? readOptionField(table, i, f) : f.default;
  });
  return { table: spec.table, options };
}

interface OpCode {
  name: string;
  isCustom: boolean;
  version: number;
}

function readOpCodes(model: Table): OpCode[] {
  return model
    .tables(1, (k) => `operator code ${k}`)
    .map((t, k) => {
      const deprecated = t.scalar(0, "i8", 0);
      const builtin = t.scalar(3, "i32", 0);
      // Files from before schema 3a keep the code in the deprecated byte; the larger of the two is the real one.
      const code = Math.max(deprecated, builtin);
      const name = BUILTIN_OPERATORS[code];
      if (name === undefined) throw new ModelFormatError(`operator code ${k}: unknown builtin operator ${code}`);
      const version = t.scalar(2, "i32", 1);
      if (name === "CUSTOM") {
        const custom = t.string(1);
        if (!custom) throw new ModelFormatError(`operator code ${k}: CUSTOM operator without a custom code`);
        return { name: custom, isCustom: true, version };
      }
      return { name, isCustom: false, version };
    });
}

function checkIndices(list: number[], count: number, what: string, where: string, allowOptional: boolean): void {
  for (const i of list) {
    if (allowOptional && i === -1) continue;
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new ModelFormatError(`${where}: ${what} ${i} out of range (${count} tensors)`);
    }
  }
}

function readSubgraph(t: Table, s: number, buffers: BufferEntry[], opcodes: OpCode[], limits: ReadLimits): SubgraphDef {
  const prefix = s === 0 ? "" : `subgraph ${s} `;
  const tensors = t
    .tables(0, (k) => `${prefix}tensor ${k}`)
    .map((tt, k) => readTensor(tt, k, buffers, limits, `${prefix}tensor ${k}`));
  const inputs = t.scalarVector(1, "i32") ?? [];
  const outputs = t.scalarVector(2, "i32") ?? [];
  checkIndices(inputs, tensors.length, "input tensor", `${prefix}inputs`, false);
  checkIndices(outputs, tensors.length, "output tensor", `${prefix}outputs`, false);
  const operators = t
    .tables(3, (k) => `${prefix}operator ${k}`)
    .map((ot, k): OperatorDef => {
      const where = `${prefix}operator ${k}`;
      const opcodeIndex = ot.scalar(0, "u32", 0);
      const opcode = opcodes[opcodeIndex];
      if (!opcode) {
        throw new ModelFormatError(`${where}: opcode index ${opcodeIndex} out of range (${opcodes.length} opcodes)`);
      }
      const opInputs = ot.scalarVector(1, "i32") ?? [];
      const opOutputs = ot.scalarVector(2, "i32") ?? [];
      const intermediates = ot.scalarVector(8, "i32") ?? [];
      checkIndices(opInputs, tensors.length, "input tensor", where, true);
      checkIndices(opOutputs, tensors.length, "output tensor", where, false);
      checkIndices(intermediates, tensors.length, "intermediate tensor", where, false);
      const { table, options } = readOptions(ot, where);
      const custom = ot.bytes(5);
      return {
        index: k,
        opName: opcode.name,
        isCustom: opcode.isCustom,
        opVersion: opcode.version,
        inputs: opInputs,
        outputs: opOutputs,
        intermediates,
        options,
        optionsTable: table,
        customOptions: custom ? alignedCopy(custom) : null,
      };
    });
  return { name: t.string(4) ?? "", tensors, inputs, outputs, operators };
}

/** Reads and verifies a .tflite flatbuffer. Throws ModelFormatError on anything malformed. */
export function readModel(bytes: Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): ModelDef {
  if (!(bytes instanceof Uint8Array)) throw new ModelFormatError("model must be given as bytes");
  if (bytes.byteLength < 8) throw new ModelFormatError(`file is ${bytes.byteLength} bytes, too short for a model`);
  if (bytes.byteLength > MAX_FLATBUFFER_BYTES) throw new ModelFormatError("file is larger than 2 GiB");
  const identifier = String.fromCharCode(bytes[4] ?? 0, bytes[5] ?? 0, bytes[6] ?? 0, bytes[7] ?? 0);
  if (identifier !== "TFL3") {
    throw new ModelFormatError(`not a TFLite model: file identifier is ${JSON.stringify(identifier)}, expected "TFL3"`);
  }
  const fb = new FlatView(bytes, limits.maxObjects);
  const model = fb.table(fb.deref(0, "root"), "model");
  const schemaVersion = model.scalar(0, "u32", 0);
  if (schemaVersion !== 3) throw new ModelFormatError(`schema version ${schemaVersion} is not supported (expected 3)`);
  const opcodes = readOpCodes(model);
  const buffers = readBuffers(fb, model);
  const subgraphs = model.tables(2, (k) => `subgraph ${k}`).map((t, s) => readSubgraph(t, s, buffers, opcodes, limits));
  if (subgraphs.length === 0) throw new ModelFormatError("model has no subgraphs");
  const metadata: MetadataDef[] = model
    .tables(6, (k) => `metadata ${k}`)
    .map((t) => {
      const buffer = t.scalar(1, "u32", 0);
      return { name: t.string(0) ?? "", data: buffers[buffer]?.data ?? null };
    });
  return {
    schemaVersion,
    description: model.string(3) ?? "",
    subgraphs,
    metadata,
    bufferCount: buffers.length,
    fileBytes: bytes.byteLength,
  };
}
