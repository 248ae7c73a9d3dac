/**
 * What the WebAssembly int8 convolution paths share: the compiled module (assembled once per thread, null when
 * WebAssembly SIMD or wabt is missing), one instance per prepared node with its memory laid out once, and the
 * per-channel requantization table the WAT reads.
 *
 * Sharing: a prepared node, and so its instance, is shared by every session of the model. That is safe because
 * sessions in one thread never run at the same time, and each call copies its input into the instance memory and
 * its output out of it, so nothing but the constant weights and tables outlives a call.
 */
import { type CompiledWasm, compileWat, type WasmMemory, webAssembly } from "./assemble.js";
import { INT8_CONV_WAT, REQUANT_GROUP_BYTES } from "./int8-conv-wat.js";

const PAGE_BYTES = 65536;
const ALIGN = 16;
/** Slack after each buffer for 8- and 16-byte accesses that run past its end (see int8-conv-wat.ts). */
export const BUFFER_SLACK = 16;

export interface Int8ConvExports {
  pointwise(...args: number[]): void;
  depthwise3x3(...args: number[]): void;
}

let module: CompiledWasm | null | undefined;

/** The compiled kernels, or null (no SIMD in this engine, or wabt unavailable): then callers use the JS path. */
export function int8ConvModule(): CompiledWasm | null {
  if (module === undefined) module = compileWat("int8-conv.wat", INT8_CONV_WAT, { simd: true, bulk_memory: true });
  return module;
}

/** Byte offsets of a node's buffers in its instance memory, in the order requested, 16-byte aligned. */
export function layout(sizes: number[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const size of sizes) {
    offsets.push(total);
    total += Math.ceil((size + BUFFER_SLACK) / ALIGN) * ALIGN;
  }
  return { offsets, total };
}

/** A fresh instance with `bytes` of memory, or null when the module is unavailable. */
export function instantiate(bytes: number): { memory: WasmMemory; kernels: Int8ConvExports } | null {
  const compiled = int8ConvModule();
  if (!compiled || !webAssembly) return null;
  const memory = new webAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
  const instance = new webAssembly.Instance(compiled, { env: { memory } });
  return { memory, kernels: instance.exports as unknown as Int8ConvExports };
}

/** Bytes of the requantization table for `channels`. */
export function requantTableBytes(channels: number): number {
  return Math.ceil(channels / 8) * REQUANT_GROUP_BYTES;
}

/**
 * Writes the table int8-conv-wat.ts describes at byte `offset`; false when a shift is outside TFLM's range
 * (left 0..31, right 0..31), which the WAT's per-lane arithmetic does not cover.
 */
export function writeRequantTable(
  memory: WasmMemory,
  offset: number,
  foldedBias: Float64Array,
  multipliers: Int32Array,
  shifts: Int32Array,
): boolean {
  const table = new Int32Array(memory.buffer, offset, requantTableBytes(foldedBias.length) / 4);
  const fieldStride = 8;
  const groupStride = REQUANT_GROUP_BYTES / 4;
  for (let c = 0; c < foldedBias.length; c++) {
    const shift = shifts[c]!;
    const left = Math.max(0, shift);
    const right = Math.max(0, -shift);
    if (left > 31 || right > 31) return false;
    const mask = (2 ** right - 1) | 0;
    const base = (c >> 3) * groupStride + (c & 7);
    // The int32 accumulator wraps, so the folded bias only matters modulo 2^32.
    table[base] = foldedBias[c]! | 0;
    table[base + fieldStride] = (2 ** left) | 0;
    table[base + 2 * fieldStride] = multipliers[c]!;
    table[base + 3 * fieldStride] = (2 ** (31 - right)) | 0;
    table[base + 4 * fieldStride] = (2 ** (32 - right)) | 0;
    table[base + 5 * fieldStride] = mask;
    table[base + 6 * fieldStride] = mask >> 1;
  }
  return true;
}
