/**
 * LESS_EQUAL (TFLM comparisons.cc): true where the first input is less or equal.
 * Types: float32, int32, int64 and int8, with 4-D broadcasting.
 * Quantized inputs compare in rescaled real units.
 */
import { comparisonKernel } from "./more-ops-common.js";

export const lessEqual = comparisonKernel("LESS_EQUAL", ["float32", "int32", "int64", "int8"], (x, y) => x <= y);
