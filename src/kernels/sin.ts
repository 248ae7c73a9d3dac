/** SIN (TFLM elementwise.cc): float32 only, std::sin per element. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const sin = float32UnaryKernel("SIN", Math.sin);
