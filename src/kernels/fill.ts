/**
 * FILL (TFLM fill.cc): every output element is the scalar value; float32, int32 and int8. The dims tensor must be
 * constant, one-dimensional and equal to the output shape (int8, int16, int32 or int64 values), as TFLM checks.
 */
import { KernelError } from "../errors.js";
import type { Kernel } from "../runtime/kernel.js";
import { requireType } from "./elementwise-common.js";
import { constantIntegers } from "./more-ops-common.js";

export const fill: Kernel<null> = {
  prepare(ctx) {
    const [dims, value] = ctx.inputs;
    const out = ctx.outputs[0];
    if (ctx.inputs.length !== 2 || !dims || !value || ctx.outputs.length !== 1 || !out) {
      throw new KernelError("FILL: needs 2 inputs (dims, value) and 1 output");
    }
    if (value.shape.length !== 0) throw new KernelError(`FILL: value must be a scalar, not [${value.shape}]`);
    if (value.dtype !== out.dtype) {
      throw new KernelError(`FILL: value type ${value.dtype} differs from output type ${out.dtype}`);
    }
    requireType("FILL", "value", value.dtype, ["float32", "int32", "int8"]);
    if (!dims.data) throw new KernelError("FILL: non-constant dims tensor is not supported");
    if (dims.shape.length !== 1) throw new KernelError(`FILL: dims must be one-dimensional, not [${dims.shape}]`);
    const wanted =
      dims.dtype === "int8" || dims.dtype === "int16"
        ? smallIntegers(dims.data, dims.dtype)
        : constantIntegers("FILL", dims, "dims");
    if (wanted.length !== out.shape.length || wanted.some((d, i) => d !== out.shape[i])) {
      throw new KernelError(`FILL: dims [${wanted}] differ from the output shape [${out.shape}]`);
    }
    return null;
  },
  eval(_p, io) {
    (io.outputs[0] as Float32Array).fill((io.inputs[1] as Float32Array)[0]!);
  },
};

function smallIntegers(bytes: Uint8Array, dtype: "int8" | "int16"): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = dtype === "int8" ? 1 : 2;
  return Array.from({ length: bytes.byteLength / size }, (_, i) =>
    dtype === "int8" ? view.getInt8(i) : view.getInt16(2 * i, true),
  );
}
