/** SQRT (TFLM elementwise.cc): float32 only; sqrt rounded once to float32 is exactly sqrtf. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const sqrt = float32UnaryKernel("SQRT", Math.sqrt);
