/** The ADD/SUB input-rescaling shortcut in elementwise-common.ts against a BigInt transcription of gemmlowp/TFLite. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { inputScaling, scaleShiftedInput } from "../../../src/kernels/elementwise-common.js";

/** MultiplyByQuantizedMultiplierSmallerThanOneExp(x, m, shift): SaturatingRoundingDoublingHighMul + RoundingDivideByPOT. */
function referenceBigInt(x: number, multiplier: number, shift: number): number {
  const a = BigInt(x);
  const b = BigInt(multiplier);
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  const high = (ab + nudge) / (1n << 31n); // BigInt division truncates toward zero, like C++.
  const mask = (1n << BigInt(-shift)) - 1n;
  const remainder = high & mask;
  const threshold = (mask >> 1n) + (high < 0n ? 1n : 0n);
  return Number((high >> BigInt(-shift)) + (remainder > threshold ? 1n : 0n));
}

test("scaleShiftedInput equals TFLite's rescaling of (value << leftShift) for int8 and int16 operands", () => {
  let seed = 12345;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  let checked = 0;
  for (let trial = 0; trial < 320; trial++) {
    // QuantizeMultiplierSmallerThanOneExp gives multipliers in [2^30, 2^31) and shifts <= 0.
    const multiplier = 1073741824 + (next() % 1073741823);
    const shift = -(trial % 32);
    for (const [leftShift, limit, step] of [
      [20, 255, 1],
      [15, 65535, 61],
    ] as const) {
      const s = inputScaling(multiplier, shift, leftShift);
      for (let value = -limit; value <= limit; value += step) {
        const expected = referenceBigInt(value * 2 ** leftShift, multiplier, shift);
        assert.equal(scaleShiftedInput(value, s), expected, `${value} << ${leftShift}, ${multiplier}, ${shift}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100000);
});
