/** COS (TFLM elementwise.cc): float32 only, std::cos per element. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const cos = float32UnaryKernel("COS", Math.cos);
