/**
 * EMBEDDING_LOOKUP (TFLM embedding_lookup.cc): output row i is row ids[i] of the value table (rows = its first
 * dimension). float32 and int8 tables copy rows; an int8 table with a float32 output dequantizes with the
 * table's scale and zero point 0 (the hybrid path). An id outside the table fails the invocation, as in TFLM.
 */
import { InputError, KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel } from "../runtime/kernel.js";
import { copyRun, requireInputs, requireOutputs, requireType, scaleOf, zeroPointOf } from "./data-common.js";

interface EmbeddingLookupPrepared {
  rows: number;
  columns: number;
  /** int8 table, float32 output: rows are dequantized with `scale`; otherwise copied unchanged. */
  hybrid: boolean;
  scale: number;
}

export const embeddingLookup: Kernel<EmbeddingLookupPrepared> = {
  prepare(ctx) {
    const [ids, table] = requireInputs(ctx, 2) as [TensorDef, TensorDef];
    const [output] = requireOutputs(ctx, 1) as [TensorDef];
    if (ids.shape.length !== 1) throw new KernelError(`EMBEDDING_LOOKUP: ids [${ids.shape}] must be 1-D`);
    requireType("EMBEDDING_LOOKUP", ids, "ids", ["int32"]);
    if (table.shape.length < 2) throw new KernelError(`EMBEDDING_LOOKUP: table [${table.shape}] must have rank >= 2`);
    requireType("EMBEDDING_LOOKUP", table, "table", ["float32", "int8"]);
    requireType("EMBEDDING_LOOKUP", output, "output", table.dtype === "float32" ? ["float32"] : ["float32", "int8"]);
    // TFLM rewrites the output's leading dimensions to [ids, table dims 1…]; extra output dimensions are kept.
    const expected = [ids.shape[0]!, ...table.shape.slice(1)];
    if (output.shape.length < table.shape.length || expected.some((d, i) => output.shape[i] !== d)) {
      throw new KernelError(`EMBEDDING_LOOKUP: output shape [${output.shape}] should start with [${expected}]`);
    }
    const rows = table.shape[0]!;
    const columns = rows === 0 ? 0 : table.elementCount / rows;
    if (output.elementCount !== ids.elementCount * columns) {
      throw new KernelError(
        `EMBEDDING_LOOKUP: output [${output.shape}] does not hold ${ids.elementCount} rows of ${columns}`,
      );
    }
    const hybrid = table.dtype === "int8" && output.dtype === "float32";
    if (hybrid && zeroPointOf(table) !== 0)
      throw new KernelError("EMBEDDING_LOOKUP: hybrid int8 table needs zero point 0");
    return { rows, columns, hybrid, scale: hybrid ? Math.fround(scaleOf(table)) : 0 };
  },

  eval(p, io) {
    const ids = io.inputs[0] as Int32Array;
    const table = io.inputs[1]!;
    const output = io.outputs[0]!;
    const { rows, columns, hybrid, scale } = p;
    if (rows === 0) return;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= rows) {
        throw new InputError(`EMBEDDING_LOOKUP: id ${id} is out of bounds [0, ${rows - 1}]`);
      }
      if (!hybrid) {
        copyRun(output, i * columns, table, id * columns, columns);
        continue;
      }
      const from = table as Int8Array;
      const to = output as Float32Array;
      for (let c = 0; c < columns; c++) to[i * columns + c] = from[id * columns + c]! * scale;
    }
  },
};
