/**
 * An in-memory copy of a .tflite model that the XNNPACK peers accept: TFLite's interpreter rejects a per-tensor
 * quantization whose `quantized_dimension` is outside the tensor's rank ("quantized_dimension must be in range
 * [0, 1). Was 3."), which person_detect.tflite has on its 14 rank-1 bias tensors (TFLM ignores the field there).
 * This walks the flatbuffer (Model → subgraphs → tensors → quantization → quantized_dimension) and writes 0 into
 * that field of every rank-1 tensor. The field's value is stored inline in each table, so the write never touches
 * a vtable that other tables may share. For benchmarking peers only: our runtime loads the unmodified file.
 */
import { ByteBuffer } from "flatbuffers";

// Vtable offsets are 4 + 2 × field id (schema.fbs, schema version 3).
const MODEL_SUBGRAPHS = 4 + 2 * 2;
const SUBGRAPH_TENSORS = 4 + 2 * 0;
const TENSOR_SHAPE = 4 + 2 * 0;
const TENSOR_QUANTIZATION = 4 + 2 * 4;
const QUANTIZATION_QUANTIZED_DIMENSION = 4 + 2 * 6;

export interface PatchResult {
  bytes: Uint8Array;
  /** Indices (subgraph, tensor) of the tensors whose quantized_dimension was set to 0. */
  patched: { subgraph: number; tensor: number; was: number }[];
}

/** Returns a copy of `model` with quantized_dimension zeroed on every rank-1 tensor where it is non-zero. */
export function zeroRank1QuantizedDimension(model: Uint8Array): PatchResult {
  const bytes = model.slice();
  const bb = new ByteBuffer(bytes);
  const patched: PatchResult["patched"] = [];
  const root = bb.readInt32(0);
  const subgraphsField = bb.__offset(root, MODEL_SUBGRAPHS);
  if (!subgraphsField) return { bytes, patched };
  const subgraphs = bb.__vector(root + subgraphsField);
  const subgraphCount = bb.__vector_len(root + subgraphsField);
  for (let s = 0; s < subgraphCount; s++) {
    const subgraph = bb.__indirect(subgraphs + 4 * s);
    const tensorsField = bb.__offset(subgraph, SUBGRAPH_TENSORS);
    if (!tensorsField) continue;
    const tensors = bb.__vector(subgraph + tensorsField);
    const tensorCount = bb.__vector_len(subgraph + tensorsField);
    for (let t = 0; t < tensorCount; t++) {
      const tensor = bb.__indirect(tensors + 4 * t);
      const shapeField = bb.__offset(tensor, TENSOR_SHAPE);
      const rank = shapeField ? bb.__vector_len(tensor + shapeField) : 0;
      const quantField = bb.__offset(tensor, TENSOR_QUANTIZATION);
      if (rank !== 1 || !quantField) continue;
      const quant = bb.__indirect(tensor + quantField);
      const dimField = bb.__offset(quant, QUANTIZATION_QUANTIZED_DIMENSION);
      if (!dimField) continue;
      const was = bb.readInt32(quant + dimField);
      if (was === 0) continue;
      bb.writeInt32(quant + dimField, 0);
      patched.push({ subgraph: s, tensor: t, was });
    }
  }
  return { bytes, patched };
}
