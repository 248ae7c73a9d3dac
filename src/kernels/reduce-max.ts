/** REDUCE_MAX (TFLM reduce.cc): float32 and int8 (same quantization in and out), constant axes, keep_dims. */
import { FLOAT32_MAX } from "./elementwise-common.js";
import { reduceFoldKernel } from "./more-ops-common.js";

export const reduceMax = reduceFoldKernel(
  "REDUCE_MAX",
  ["float32", "int8"],
  (dtype) => (dtype === "int8" ? -128 : -FLOAT32_MAX),
  // NaN inputs never win the comparison, as in TFLM.
  (current, input) => (input > current ? input : current),
);
