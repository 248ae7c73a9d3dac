/**
 * Minimal reader for uncompressed 8-bit (palette or grayscale) and 24-bit BMP files, returning one byte per
 * pixel in top-down row order — the layout TFLM's person-detection data uses.
 */
import { InputError } from "../errors.js";

export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export function decodeBmp(bytes: Uint8Array, label = "image"): GrayImage {
  if (bytes.byteLength < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) {
    throw new InputError(`${label}: not a BMP file`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0 || width * height > 64 * 1024 * 1024) {
    throw new InputError(`${label}: unsupported BMP size ${width}x${rawHeight}`);
  }
  if (compression !== 0 || (bitsPerPixel !== 8 && bitsPerPixel !== 24)) {
    throw new InputError(`${label}: only uncompressed 8-bit or 24-bit BMP files are supported`);
  }
  const bytesPerPixel = bitsPerPixel / 8;
  const stride = Math.ceil((width * bytesPerPixel) / 4) * 4;
  if (dataOffset + stride * height > bytes.byteLength) throw new InputError(`${label}: BMP pixel data is truncated`);
  const pixels = new Uint8Array(width * height);
  const bottomUp = rawHeight > 0;
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (bottomUp ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      if (bytesPerPixel === 1) {
        pixels[y * width + x] = bytes[row + x]!;
      } else {
        const p = row + 3 * x;
        // BGR → luma with integer BT.601 weights.
        pixels[y * width + x] = (29 * bytes[p]! + 150 * bytes[p + 1]! + 77 * bytes[p + 2]! + 128) >> 8;
      }
    }
  }
  return { width, height, pixels };
}
