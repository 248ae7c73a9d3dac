/** FLOOR_DIV (TFLM floor_div.cc): float32 only, floor of the double-precision quotient; a 0 divisor fails. */
import { float32BinaryKernel } from "./more-ops-common.js";

// float32 operands divide exactly enough in double, as TFLM's std::divides<double> does.
export const floorDiv = float32BinaryKernel("FLOOR_DIV", (x, y) => Math.floor(x / y), true);
