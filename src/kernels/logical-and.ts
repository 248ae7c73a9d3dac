/** LOGICAL_AND (TFLM logical.cc): bool inputs, 4-D broadcasting. */
import { logicalKernel } from "./more-ops-common.js";

export const logicalAnd = logicalKernel("LOGICAL_AND", (x, y) => x & y);
