/** SQUARE (TFLM elementwise.cc): float32 only; the double product of two floats is exact, so one rounding. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const square = float32UnaryKernel("SQUARE", (x) => x * x);
