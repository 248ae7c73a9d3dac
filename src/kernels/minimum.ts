/** MINIMUM (TFLM maximum_minimum.cc): elementwise smaller value with broadcasting; float32, int8/16/32/64. */
import { maximumMinimumKernel } from "./elementwise-common.js";

// `x < y ? x : y` exactly as TFLM's MinimumOp, so a NaN second operand wins and a NaN first one loses.
// biome-ignore lint/complexity/useMathMinMax: Math.min would propagate a NaN first operand.
export const minimum = maximumMinimumKernel("MINIMUM", (x, y) => (x < y ? x : y));
