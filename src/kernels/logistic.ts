/**
 * LOGISTIC (TFLM logistic.cc / logistic_common.cc): float32 (TFLM's cut-off formula), int8 through gemmlowp's
 * fixed-point logistic on Q4.27 (precomputed for all 256 inputs; output scale 1/256, zero point -128) and int16
 * through TFLite's interpolated sigmoid table.
 */
import { KernelError } from "../errors.js";
import { quantParams, sigmoidFamilyKernel } from "./elementwise-common.js";
import { fixedPointLogistic, logisticInt16, roundingDivideByPOT } from "./fixed-point.js";

/** Above this, TFLM returns exactly 1; below -9 it returns exp(x) (1 + exp(-x) would round to exp(-x)). */
const CUTOFF_UPPER = 16.619047164916992;
const CUTOFF_LOWER = -9;

export const logistic = sigmoidFamilyKernel({
  opName: "LOGISTIC",
  allowInt16ShiftOne: false,
  checkInt8Output(out) {
    const qo = quantParams(out, "output", "LOGISTIC");
    if (qo.zeroPoint !== -128) {
      throw new KernelError(`LOGISTIC: int8 output zero point must be -128, not ${qo.zeroPoint}`);
    }
  },
  // Q0.31 to the output's Q0.8, offset by the zero point.
  int8FromQ4: (q4) => roundingDivideByPOT(fixedPointLogistic(q4, 4), 23) - 128,
  float32(x, y) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v > CUTOFF_UPPER) y[i] = 1;
      else if (v < CUTOFF_LOWER) y[i] = Math.exp(v);
      else y[i] = 1 / Math.fround(1 + Math.fround(Math.exp(-v)));
    }
  },
  int16: logisticInt16,
});
