/**
 * Turns the files given to `edge-infer run --in` into raw tensor bytes: `.bin` is taken as little-endian tensor
 * bytes (the oracle's format), `.json` as an array of numbers (nested arrays are flattened), `.bmp` as an 8-bit
 * image. Each file must hold exactly `frames` tensors' worth of data.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import { decodeBmp } from "../io/bmp.js";
import type { TensorSummary } from "../runtime/model.js";
import { allocate } from "../runtime/tensor.js";

export type BmpConversion = "offset" | "raw";

function flatten(value: unknown, out: number[], label: string): void {
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, out, label);
  } else if (typeof value === "number" && Number.isFinite(value)) {
    out.push(value);
  } else {
    throw new InputError(`${label}: ${JSON.stringify(value)} is not a finite number`);
  }
}

/** Encodes plain numbers as the tensor's element type, checking integer ranges. */
export function encodeNumbers(values: number[], tensor: TensorSummary, label: string): Uint8Array {
  const arr = allocate(tensor.dtype, values.length);
  const integer = tensor.dtype !== "float32" && tensor.dtype !== "float64";
  values.forEach((v, i) => {
    if (integer && !Number.isInteger(v)) throw new InputError(`${label}: value ${i} (${v}) is not an integer`);
    if (arr instanceof BigInt64Array || arr instanceof BigUint64Array) arr[i] = BigInt(v);
    else {
      (arr as Float32Array)[i] = v;
      if (integer && (arr as Float32Array)[i] !== v) {
        throw new InputError(`${label}: value ${i} (${v}) does not fit ${tensor.dtype}`);
      }
    }
  });
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

export async function readInputFile(
  file: string,
  tensor: TensorSummary,
  frames: number,
  bmp: BmpConversion = "offset",
): Promise<Uint8Array> {
  const label = `input file ${file}`;
  const expected = tensor.byteLength * frames;
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new InputError(`${label}: ${(err as Error).message}`);
  }
  let bytes: Uint8Array;
  switch (path.extname(file).toLowerCase()) {
    case ".json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString("utf8"));
      } catch (err) {
        throw new InputError(`${label}: invalid JSON (${(err as Error).message})`);
      }
      const values: number[] = [];
      flatten(parsed, values, label);
      bytes = encodeNumbers(values, tensor, label);
      break;
    }
    case ".bmp": {
      if (tensor.dtype !== "int8" && tensor.dtype !== "uint8") {
        throw new InputError(`${label}: BMP input needs an int8 or uint8 tensor, model input is ${tensor.dtype}`);
      }
      const { pixels } = decodeBmp(new Uint8Array(raw), label);
      bytes = new Uint8Array(pixels.byteLength);
      // int8 models take pixel - 128 (the example apps' convention); "raw" reinterprets the bytes as TFLM's tests do.
      const shift = tensor.dtype === "int8" && bmp === "offset" ? 128 : 0;
      for (let i = 0; i < pixels.byteLength; i++) bytes[i] = (pixels[i]! - shift) & 0xff;
      break;
    }
    default:
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  }
  if (bytes.byteLength !== expected) {
    throw new InputError(
      `${label}: holds ${bytes.byteLength} bytes, input "${tensor.name}" needs ${expected} ` +
        `(${frames} × ${tensor.dtype} [${tensor.shape.join(",")}])`,
    );
  }
  return bytes;
}
