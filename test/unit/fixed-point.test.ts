/**
 * TFLite's integer primitives against a literal BigInt transcription of the C++ (common.cc, gemmlowp), on edge
 * values (INT32_MIN/MAX, every shift from -31 to 30, zero and negative multipliers) and random ones.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  quantizeMultiplier,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
} from "../../src/kernels/fixed-point.js";

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

function refHighMul(a: number, b: number): number {
  if (a === I32_MIN && b === I32_MIN) return I32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, as C++ does
}
function refDivideByPOT(x: number, e: number): number {
  const mask = BigInt.asIntN(32, (1n << BigInt(e)) - 1n);
  const rem = BigInt(x) & mask;
  const threshold = (mask >> 1n) + (x < 0 ? 1n : 0n);
  return Number((BigInt(x) >> BigInt(e)) + (rem > threshold ? 1n : 0n));
}
function refMultiply(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const shifted = Number(BigInt.asIntN(32, BigInt(x) << BigInt(left)));
  return refDivideByPOT(refHighMul(shifted, m), right);
}
function refMultiply64(x: number, m: number, shift: number): number {
  const reduced = m < 0x7fff0000 ? (m + (1 << 15)) >> 16 : 0x7fff;
  const total = BigInt(15 - shift);
  return Number(BigInt.asIntN(32, (BigInt(x) * BigInt(reduced) + (1n << (total - 1n))) >> total));
}

let seed = 12345;
function random32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed | 0;
}
const EDGES = [0, 1, -1, 2, -2, 127, -128, 32767, -32768, I32_MAX, I32_MIN, 1 << 30, -(1 << 30), 12345, -54321];

test("saturatingRoundingDoublingHighMul and roundingDivideByPOT match gemmlowp", () => {
  for (const a of EDGES)
    for (const b of EDGES) assert.equal(saturatingRoundingDoublingHighMul(a, b), refHighMul(a, b), `${a}·${b}`);
  for (let i = 0; i < 20000; i++) {
    const a = random32();
    const b = random32();
    assert.equal(saturatingRoundingDoublingHighMul(a, b), refHighMul(a, b), `${a}·${b}`);
    const e = (i % 31) + 1;
    assert.equal(roundingDivideByPOT(a, e), refDivideByPOT(a, e), `${a} >> ${e}`);
  }
});

test("multiplyByQuantizedMultiplier matches TFLite for every shift, edge inputs and random ones", () => {
  const multipliers = [0, 1, 1 << 30, I32_MAX, 1518500250, 1073741825, -(1 << 30), -1518500250];
  for (let shift = -31; shift <= 30; shift++) {
    for (const m of multipliers) {
      for (const x of EDGES)
        assert.equal(multiplyByQuantizedMultiplier(x, m, shift), refMultiply(x, m, shift), `${x},${m},${shift}`);
    }
    for (let i = 0; i < 3000; i++) {
      const x = i % 2 ? random32() : random32() >> (i % 24);
      const m = (random32() >>> 1) | (1 << 30);
      assert.equal(multiplyByQuantizedMultiplier(x, m, shift), refMultiply(x, m, shift), `${x},${m},${shift}`);
    }
  }
});

test("the 64-bit accumulator variant matches TFLite where the result fits int32", () => {
  for (let i = 0; i < 20000; i++) {
    const x = Math.floor((random32() / 2 ** 31) * 2 ** (i % 47));
    const m = (random32() >>> 1) | (1 << 30);
    const shift = (i % 39) - 31;
    const expected = refMultiply64(x, m, shift);
    const exact = Number((BigInt(x) * BigInt(m < 0x7fff0000 ? (m + (1 << 15)) >> 16 : 0x7fff)) >> BigInt(15 - shift));
    if (exact < I32_MIN || exact > I32_MAX) continue; // TFLite DCHECKs the result fits
    assert.equal(multiplyByQuantizedMultiplierInt64(x, m, shift), expected, `${x},${m},${shift}`);
  }
});

test("quantizeMultiplier follows TFLite's QuantizeMultiplier (frexp, round, 2^31 carry, tiny scales)", () => {
  assert.deepEqual(quantizeMultiplier(0.5), { multiplier: 1 << 30, shift: 0 });
  assert.deepEqual(quantizeMultiplier(1), { multiplier: 1 << 30, shift: 1 });
  assert.deepEqual(quantizeMultiplier(0.75), { multiplier: 1610612736, shift: 0 });
  // 1 - 2^-40 rounds up to 2^31, which carries into the exponent.
  assert.deepEqual(quantizeMultiplier(1 - 2 ** -40), { multiplier: 1 << 30, shift: 1 });
  assert.deepEqual(quantizeMultiplier(2 ** -40), { multiplier: 0, shift: 0 });
  assert.deepEqual(quantizeMultiplier(-0.5), { multiplier: -(1 << 30), shift: 0 });
});
