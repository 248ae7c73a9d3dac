/** CEIL (TFLM ceil.cc): float32 only, identical input and output shapes. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const ceil = float32UnaryKernel("CEIL", Math.ceil);
