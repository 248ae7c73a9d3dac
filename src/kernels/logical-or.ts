/** LOGICAL_OR (TFLM logical.cc): bool inputs, 4-D broadcasting. */
import { logicalKernel } from "./more-ops-common.js";

export const logicalOr = logicalKernel("LOGICAL_OR", (x, y) => x | y);
