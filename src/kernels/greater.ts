/**
 * GREATER (TFLM comparisons.cc): true where the first input is greater.
 * Types: float32, int32, int64, int8 and int16, with 4-D broadcasting.
 * Quantized inputs compare in rescaled real units.
 * TFLM evaluates int16 too, but its prepare fills the rescaling only for int8 (int16 then runs on whatever the
 * parameter block held); here int16 uses the same rescaling as int8, which is what that path intends.
 */
import { comparisonKernel } from "./more-ops-common.js";

export const greater = comparisonKernel("GREATER", ["float32", "int32", "int64", "int8", "int16"], (x, y) => x > y);
