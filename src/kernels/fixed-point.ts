/**
 * The one home of TFLite's integer arithmetic: quantized multipliers, gemmlowp's rounding primitives and the
 * requantization every integer kernel ends with. Each function reproduces TFLM's reference (double-rounding
 * build, TFLITE_SINGLE_ROUNDING off) bit for bit.
 *
 * JavaScript numbers are exact only up to 2^53, and a 32×32-bit product needs 62 bits, so products are split
 * into 16- or 24-bit halves whose partial products stay exact; no float shortcut, no BigInt on hot paths.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_POW_15 = 32768;
const TWO_POW_16 = 65536;
const TWO_POW_24 = 16777216;

/** frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exponent = Math.max(-1023, Math.floor(Math.log2(Math.abs(x))) + 1);
  let fraction = x * 2 ** -exponent;
  // log2 can be off by one near powers of two; settle it exactly.
  while (Math.abs(fraction) < 0.5) {
    fraction *= 2;
    exponent -= 1;
  }
  while (Math.abs(fraction) >= 1) {
    fraction /= 2;
    exponent += 1;
  }
  return [fraction, exponent];
}

/** TFLite's QuantizeMultiplier: a real multiplier as a Q31 integer and a power-of-two shift. */
export function quantizeMultiplier(realMultiplier: number): { multiplier: number; shift: number } {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const [q, exponent] = frexp(realMultiplier);
  let shift = exponent;
  // std::round rounds halves away from zero.
  let qFixed = Math.sign(q) * Math.round(Math.abs(q) * 2 ** 31);
  if (qFixed === 2 ** 31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  // TFLite clamps very large shifts (only reachable with absurd scales).
  if (shift > 30) {
    shift = 30;
    qFixed = INT32_MAX;
  }
  return { multiplier: qFixed, shift };
}

/** gemmlowp SaturatingRoundingDoublingHighMul: (a*b*2 + 2^31 rounding) >> 32, computed exactly. */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  // a*b = hi*2^16 + lo with both partial products below 2^47, so exact in float64.
  const bLow = b & 0xffff;
  const bHigh = (b - bLow) / TWO_POW_16;
  return highMulFinish(a * bHigh, a * bLow);
}

function highMulFinish(hi: number, lo: number): number {
  // ab = hi*2^16 + lo; its sign decides the nudge and C's truncating division.
  // Carry the low part's whole multiples of 2^16 into hi so that 0 <= rem < 2^16.
  const carry = Math.floor(lo / TWO_POW_16);
  const h0 = hi + carry;
  const r0 = lo - carry * TWO_POW_16;
  const negative = h0 < 0;
  // nudge = ab >= 0 ? 2^30 : 1 - 2^30, i.e. (2^14)*2^16 or (-(2^14))*2^16 + 1.
  let h = h0 + (negative ? -16384 : 16384);
  let r = r0 + (negative ? 1 : 0);
  if (r >= TWO_POW_16) {
    r -= TWO_POW_16;
    h += 1;
  }
  // total = h*2^16 + r, 0 <= r < 2^16; divide by 2^31 truncating toward zero.
  const floorQ = Math.floor(h / TWO_POW_15);
  if (h >= 0) return floorQ;
  const exact = r === 0 && h - floorQ * TWO_POW_15 === 0;
  return exact ? floorQ : floorQ + 1;
}

/** gemmlowp RoundingDivideByPOT: arithmetic shift right by `exponent` rounding half away from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const mask = (2 ** exponent - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** TFLite MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, shift) — the requantization step. */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  // x * (1 << left_shift) wraps in int32 in the C++ build; << does the same here.
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x << leftShift, multiplier), rightShift);
}

/**
 * TFLite MultiplyByQuantizedMultiplier(int64 x, int32 multiplier, shift), used with 64-bit accumulators
 * (int16 activations). Uses a 16-bit reduced multiplier exactly as TFLite does. `x` must satisfy |x| < 2^47.
 */
export function multiplyByQuantizedMultiplierInt64(x: number, multiplier: number, shift: number): number {
  const reduced = multiplier < 0x7fff0000 ? (multiplier + TWO_POW_15) >> 16 : 0x7fff;
  const totalShift = 15 - shift;
  const round = 2 ** (totalShift - 1);
  // x = xh*2^24 + xl with 0 <= xl < 2^24: every partial product below 2^40.
  const xl = x - Math.floor(x / TWO_POW_24) * TWO_POW_24;
  const xh = (x - xl) / TWO_POW_24;
  const low = xl * reduced + round;
  const carry = Math.floor(low / TWO_POW_24);
  const h = xh * reduced + carry;
  const rem = low - carry * TWO_POW_24;
  let result: number;
  if (totalShift >= 24) {
    result = Math.floor(h / 2 ** (totalShift - 24));
  } else {
    result = h * 2 ** (24 - totalShift) + Math.floor(rem / 2 ** totalShift);
  }
  return result | 0;
}

/** std::round: halves away from zero (Math.round sends -2.5 to -2). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Per-channel (or per-tensor, length 1) multipliers and shifts for effective scales. */
export function quantizeMultipliers(realMultipliers: ArrayLike<number>): {
  multipliers: Int32Array;
  shifts: Int32Array;
} {
  const n = realMultipliers.length;
  const multipliers = new Int32Array(n);
  const shifts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const q = quantizeMultiplier(realMultipliers[i]!);
    multipliers[i] = q.multiplier;
    shifts[i] = q.shift;
  }
  return { multipliers, shifts };
}

/** Output range [min, max] of an integer type. */
export function integerRange(dtype: string): [number, number] {
  switch (dtype) {
    case "int8":
      return [-128, 127];
    case "uint8":
      return [0, 255];
    case "int16":
      return [-32768, 32767];
    case "int32":
      return [INT32_MIN, INT32_MAX];
    default:
      throw new Error(`no integer range for ${dtype}`);
  }
}

/** TFLite CalculateActivationRangeQuantized: the fused activation's clamp in the output's quantized domain. */
export function quantizedActivationRange(
  activation: string,
  dtype: string,
  scale: number,
  zeroPoint: number,
): [number, number] {
  const [qmin, qmax] = integerRange(dtype);
  // TFLite divides in float32 and rounds half away from zero.
  const quantize = (f: number) => zeroPoint + roundHalfAway(Math.fround(f / Math.fround(scale)));
  switch (activation) {
    case "NONE":
      return [qmin, qmax];
    case "RELU":
      return [Math.max(qmin, quantize(0)), qmax];
    case "RELU6":
      return [Math.max(qmin, quantize(0)), Math.min(qmax, quantize(6))];
    case "RELU_N1_TO_1":
      return [Math.max(qmin, quantize(-1)), Math.min(qmax, quantize(1))];
    default:
      throw new Error(`unsupported fused activation ${activation}`);
  }
}

/** TFLite CalculateActivationRange for float kernels. */
export function floatActivationRange(activation: string): [number, number] {
  switch (activation) {
    case "NONE":
      return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    case "RELU":
      return [0, Number.POSITIVE_INFINITY];
    case "RELU6":
      return [0, 6];
    case "RELU_N1_TO_1":
      return [-1, 1];
    default:
      throw new Error(`unsupported fused activation ${activation}`);
  }
}
