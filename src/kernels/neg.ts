/** NEG (TFLM neg.cc): float32 only — TFLM's kernel has no integer path. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const neg = float32UnaryKernel("NEG", (x) => -x);
