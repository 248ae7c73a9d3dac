/**
 * LESS (TFLM comparisons.cc): true where the first input is less.
 * Types: float32, int32, int64 and int8, with 4-D broadcasting.
 * Quantized inputs compare in rescaled real units.
 */
import { comparisonKernel } from "./more-ops-common.js";

export const less = comparisonKernel("LESS", ["float32", "int32", "int64", "int8"], (x, y) => x < y);
