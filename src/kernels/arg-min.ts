/** ARG_MIN (TFLM arg_min_max.cc): float32/int8 input, int32 axis and output; the first minimum wins. */
import { argMinMaxKernel } from "./more-ops-common.js";

export const argMin = argMinMaxKernel("ARG_MIN", (candidate, best) => candidate < best);
