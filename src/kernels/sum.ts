/** SUM over constant axes for float32/int8/int16 (TFLM reduce.cc); the shared implementation is in data-common. */
import { meanOrSumKernel } from "./data-common.js";

export const sum = meanOrSumKernel(true);
