/** MAXIMUM (TFLM maximum_minimum.cc): elementwise larger value with broadcasting; float32, int8/16/32/64. */
import { maximumMinimumKernel } from "./elementwise-common.js";

// `x > y ? x : y` exactly as TFLM's MaximumOp, so a NaN second operand wins and a NaN first one loses.
// biome-ignore lint/complexity/useMathMinMax: Math.max would propagate a NaN first operand.
export const maximum = maximumMinimumKernel("MAXIMUM", (x, y) => (x > y ? x : y));
