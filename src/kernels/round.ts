/** ROUND (TFLM round.cc): float32 only; halves go to the even neighbour (TF's tf.round, banker's rounding). */
import { float32UnaryKernel } from "./more-ops-common.js";

function roundHalfToEven(x: number): number {
  const below = Math.floor(x);
  const fraction = x - below;
  // Every float32 at or beyond 2^23 is an integer (fraction 0), so the parity test only sees small values.
  if (fraction < 0.5 || (fraction === 0.5 && below % 2 === 0)) return below;
  return below + 1;
}

export const round = float32UnaryKernel("ROUND", roundHalfToEven);
