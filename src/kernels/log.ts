/** LOG (TFLM elementwise.cc): float32 only, std::log per element (log of a negative is NaN, of 0 is -inf). */
import { float32UnaryKernel } from "./more-ops-common.js";

export const log = float32UnaryKernel("LOG", Math.log);
