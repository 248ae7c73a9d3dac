/** REDUCE_ALL (TFLM reduce.cc): logical AND of bool values over constant axes; an empty slice is true. */
import { reduceFoldKernel } from "./more-ops-common.js";

export const reduceAll = reduceFoldKernel(
  "REDUCE_ALL",
  ["bool"],
  () => 1,
  (current, input) => (current && input ? 1 : 0),
);
