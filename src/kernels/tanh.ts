/**
 * TANH (TFLM tanh.cc): float32, int8 through gemmlowp's fixed-point tanh on Q4.27 (precomputed for all 256
 * inputs; TFLM writes Q0.7 whatever the output's quantization says) and int16 through TFLite's interpolated
 * sigmoid table.
 */
import { sigmoidFamilyKernel } from "./elementwise-common.js";
import { fixedPointTanh, roundingDivideByPOT, tanhInt16 } from "./fixed-point.js";

export const tanh = sigmoidFamilyKernel({
  opName: "TANH",
  allowInt16ShiftOne: true,
  int8FromQ4: (q4) => roundingDivideByPOT(fixedPointTanh(q4, 4), 24),
  float32(x, y) {
    for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]!);
  },
  int16: tanhInt16,
});
