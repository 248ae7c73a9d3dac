/**
 * FLOOR_MOD (TFLM floor_mod.cc): float32 only. fmod (JavaScript's %, exact for floats) moved to the divisor's
 * sign; the correction x % y + y is rounded to float32 like the C++ float sum.
 */
import { float32BinaryKernel } from "./more-ops-common.js";

export const floorMod = float32BinaryKernel("FLOOR_MOD", (x, y) => {
  const truncated = x % y;
  return truncated !== 0 && y < 0 !== truncated < 0 ? truncated + y : truncated;
});
