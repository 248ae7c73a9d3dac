/** FLOOR (TFLM floor.cc): float32 only. */
import { float32UnaryKernel } from "./more-ops-common.js";

export const floor = float32UnaryKernel("FLOOR", Math.floor);
