/**
 * Public library API: load (and write) models, run sessions, quantize and dequantize. The HTTP server is a
 * separate entry point, `edge-inference-server/server` (src/server/index.ts).
 */
export * from "./errors.js";
export type { DType, ModelDef, TensorDef } from "./format/model.js";
export { readModel } from "./format/reader.js";
export { type WriterModel, writeModel } from "./format/writer.js";
export { supportedOps } from "./kernels/registry.js";
export { Model, type ModelOptions, type OpSummary, type TensorSummary } from "./runtime/model.js";
export { dequantize, quantize } from "./runtime/quantization.js";
export { type InputMap, type InputValue, type OpProfileEntry, Session } from "./runtime/session.js";
export type { TypedArray } from "./runtime/tensor.js";
