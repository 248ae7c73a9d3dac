/** ARG_MAX (TFLM arg_min_max.cc): float32/int8 input, int32 axis and output; the first maximum wins. */
import { argMinMaxKernel } from "./more-ops-common.js";

export const argMax = argMinMaxKernel("ARG_MAX", (candidate, best) => candidate > best);
