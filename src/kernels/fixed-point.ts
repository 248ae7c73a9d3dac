/**
 * The one home of TFLite's integer arithmetic: quantized multipliers, gemmlowp's rounding primitives and the
 * requantization every integer kernel ends with. Each function reproduces TFLM's reference (double-rounding
 * build, TFLITE_SINGLE_ROUNDING off) bit for bit.
 *
 * JavaScript numbers are exact only up to 2^53, and a 32×32-bit product needs 62 bits, so products are split
 * into 16- or 24-bit halves whose partial products stay exact; no float shortcut, no BigInt on hot paths.
 */

import type { DType } from "../format/model.js";
import { INTEGER_RANGES } from "../runtime/tensor.js";

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO_POW_15 = 32768;
const TWO_POW_16 = 65536;
const TWO_POW_24 = 16777216;
const TWO_POW_30 = 1073741824;
const TWO_POW_31 = 2147483648;

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
  // The single-rounding build clamps shifts above 30 here; TFLM's default double-rounding build does not.
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
  const mask = ((1 << exponent) - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** 2^k and 2^-k for the shifts requantization uses, so the hot path does no Math.pow. */
const POW2 = Float64Array.from({ length: 64 }, (_, k) => 2 ** k);
const POW2_NEGATIVE = Float64Array.from({ length: 64 }, (_, k) => 2 ** -k);

/** TFLite MultiplyByQuantizedMultiplier(int32 x, int32 multiplier, shift) — the requantization step. */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  // x * (1 << left_shift) wraps in int32 in the C++ build; << does the same here.
  const shifted = shift > 0 ? x << shift : x;
  const right = shift > 0 ? 0 : -shift;
  if (multiplier < 0 || right > 31) {
    // Negative multipliers (TFLM never makes them, but a model may) take gemmlowp's two steps literally.
    return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, multiplier), right);
  }
  // The same one-floor form as requantizeFloor (see requantizeConstants), with the multiplier split in 16-bit
  // halves so every product is exact: floor((x·m + 2^30 + [r>0]·(2^(30+r) − [x<0]·2^31)) / 2^(31+r)).
  const low = multiplier & 0xffff;
  const high = (multiplier - low) / 65536;
  const lowPart = Math.floor((shifted * low) / 65536);
  const offset = right === 0 ? 16384 : 16384 + POW2[14 + right]! - (shifted < 0 ? 32768 : 0);
  return Math.floor((shifted * high + lowPart + offset) * POW2_NEGATIVE[15 + right]!);
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

/** The integer types kernels requantize into. */
const INTEGER_OUTPUT_TYPES = new Set(["int8", "uint8", "int16", "int32"]);

/** Output range [min, max] of an integer type. */
export function integerRange(dtype: string): [number, number] {
  const range = INTEGER_OUTPUT_TYPES.has(dtype) ? INTEGER_RANGES[dtype as DType] : undefined;
  if (!range) throw new Error(`no integer range for ${dtype}`);
  return [range[0], range[1]];
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

// ---------------------------------------------------------------------------------------------------------------
// int16 sigmoid / tanh by table (TFLite reference_integer_ops Logistic and Tanh for int16): a 256-entry table
// of sigmoid(i/24) in Q0.16 with linear interpolation; tanh(x) = 2*sigmoid(2x) - 1 reuses the same table.
// Input Q3.12 is pre-scaled by 3/4·2^(shift) so the table spans [-10.7, 10.7]; output is Q0.15.
// ---------------------------------------------------------------------------------------------------------------

/** sigmoid(i/24) in Q0.16; the exact table TFLite ships (not reproducible by rounding a formula). */
export const SIGMOID_TABLE_UINT16 = new Uint16Array([
  32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688, 43304,
  43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311,
  52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007, 58280,
  58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750,
  61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536, 63615,
  63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494, 64536, 64576,
  64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060,
  65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301,
  65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367, 65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420,
  65425, 65429, 65433, 65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479,
  65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508,
  65509, 65510, 65511, 65512, 65513, 65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
  65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529,
  65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533,
  65533, 65533, 65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
  65535,
]);

/**
 * The input scaling both int16 table functions apply: a multiplier of 0 means "power-of-two scale", where
 * TFLite folds the shift into the multiplier (3 << shift) and shifts by nothing.
 */
export function int16TableInputScaling(
  inputMultiplier: number,
  inputLeftShift: number,
): { multiplier: number; shift: number; round: number } {
  if (inputMultiplier === 0) return { multiplier: 3 << inputLeftShift, shift: 0, round: 0 };
  const round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
  return { multiplier: inputMultiplier, shift: inputLeftShift, round };
}

/** One int16 logistic value (Q0.15 result) from an int16 input, with scaling from int16TableInputScaling. */
export function logisticInt16(x: number, multiplier: number, shift: number, round: number): number {
  const scaled = (Math.imul(x, multiplier) + round) >> shift;
  const magnitude = scaled < 0 ? -scaled : scaled;
  const index = magnitude >>> 9;
  let result: number;
  if (index >= 255) {
    result = 0x7fff << 10;
  } else {
    const low = SIGMOID_TABLE_UINT16[index]!;
    const high = SIGMOID_TABLE_UINT16[index + 1]!;
    result = (low << 9) + (magnitude & 0x1ff) * (high - low);
  }
  // Negative inputs mirror around 1/2: 1 - sigmoid(|x|), with the round-to-nearest nudge folded in.
  result = scaled >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1;
  return ((result >>> 10) << 16) >> 16;
}

/** One int16 tanh value (Q0.15 result) from an int16 input, with scaling from int16TableInputScaling. */
export function tanhInt16(x: number, multiplier: number, shift: number, round: number): number {
  const scaled = (Math.imul(x, multiplier) + round) >> shift;
  const magnitude = scaled < 0 ? -scaled : scaled;
  // Half the shift of the sigmoid: the table is read at 2x.
  const index = magnitude >>> 8;
  let result: number;
  if (index >= 255) {
    result = 0xffff << 8;
  } else {
    const low = SIGMOID_TABLE_UINT16[index]!;
    const high = SIGMOID_TABLE_UINT16[index + 1]!;
    result = (low << 8) + (magnitude & 0xff) * (high - low);
  }
  result = scaled >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
  return ((result >> 8) << 16) >> 16;
}

// ---------------------------------------------------------------------------------------------------------------
// gemmlowp fixed-point: FixedPoint<int32, IntegerBits> values are plain int32 raws here, with the integer-bit
// count passed where gemmlowp has it as a template parameter. Sums wrap (gemmlowp's Add is a plain int32 add),
// products are saturatingRoundingDoublingHighMul. Used by softmax, log-softmax and division by reciprocal.
// ---------------------------------------------------------------------------------------------------------------

/** Count of leading zero bits of x read as uint32 (32 for 0), like TFLite's CountLeadingZeros<uint32_t>. */
export function countLeadingZeros32(x: number): number {
  return Math.clz32(x);
}

/** gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero, without overflow. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** int32 addition clamped to the int32 range (TFLite's SaturatingAddNonGemmlowp). */
export function saturatingAddInt32(a: number, b: number): number {
  return Math.min(INT32_MAX, Math.max(INT32_MIN, a + b));
}

/** int32 subtraction clamped to the int32 range (TFLite's SaturatingSub). */
export function saturatingSubInt32(a: number, b: number): number {
  return Math.min(INT32_MAX, Math.max(INT32_MIN, a - b));
}

/**
 * gemmlowp SaturatingRoundingMultiplyByPOT (and TFLite's run-time-exponent twin): x * 2^exponent, saturating
 * for exponent > 0, rounding to nearest for exponent < 0.
 */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

/** gemmlowp Rescale: the same value in a format with `dstIntegerBits` integer bits (saturating, rounding). */
export function rescaleFixedPoint(x: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(x, srcIntegerBits - dstIntegerBits);
}

// Raw Q0.31 (or Q2.29 where named) constants of gemmlowp's polynomial and Newton-Raphson approximations.
const EXP_MINUS_ONE_EIGHTH_Q0 = 1895147668;
const ONE_THIRD_Q0 = 715827883;
const ONE_EIGHTH_Q0 = 1 << 28;
const FORTY_EIGHT_OVER_SEVENTEEN_Q2 = 1515870810;
const MINUS_THIRTY_TWO_OVER_SEVENTEEN_Q2 = -1010580540;
const ONE_Q2 = 1 << 29;
/** exp(-2^k) in Q0.31 for k = -2..4: the barrel shifter's factors for each integer bit of the input. */
const EXP_BARREL_MULTIPLIERS: readonly [number, number][] = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl: Q0.31 in, Q0.31 out. */
function expOnNegativeQuarterInterval(a: number): number {
  // Fourth-order Taylor expansion around -1/8: x = a + 1/8.
  const x = (a + ONE_EIGHTH_Q0) | 0;
  const x2 = saturatingRoundingDoublingHighMul(x, x);
  const x3 = saturatingRoundingDoublingHighMul(x2, x);
  const x4 = saturatingRoundingDoublingHighMul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const polynomial = roundingDivideByPOT(
    (saturatingRoundingDoublingHighMul((x4Over4 + x3) | 0, ONE_THIRD_Q0) + x2) | 0,
    1,
  );
  return (
    (EXP_MINUS_ONE_EIGHTH_Q0 + saturatingRoundingDoublingHighMul(EXP_MINUS_ONE_EIGHTH_Q0, (x + polynomial) | 0)) | 0
  );
}

/**
 * gemmlowp exp_on_negative_values: exp(a) for a <= 0 given as a raw fixed-point value with `integerBits`
 * integer bits; the result is raw Q0.31 (exp(0) saturates to INT32_MAX).
 */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const aModQuarterMinusOneQuarter = ((a & (oneQuarter - 1)) - oneQuarter) | 0;
  let result = expOnNegativeQuarterInterval(rescaleFixedPoint(aModQuarterMinusOneQuarter, integerBits, 0));
  // The whole quarters of |a| multiply in exp(-2^k) for every set bit k.
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL_MULTIPLIERS) {
    if (integerBits > exponent && remainder & (1 << (fractionalBits + exponent))) {
      result = saturatingRoundingDoublingHighMul(result, multiplier);
    }
  }
  if (integerBits > 5) {
    // Below -32 the barrel shifter has run out of bits: exp is 0.
    const clamp = -(1 << (36 - integerBits));
    if (a < clamp) result = 0;
  }
  return a === 0 ? INT32_MAX : result;
}

/**
 * The Newton-Raphson division gemmlowp's one_over_one_plus_x and one_minus_x_over_one_plus_x share: for a in
 * [0, 1) as raw Q0.31, 1 / ((1 + a) / 2) = 2 / (1 + a) in Q2.29.
 */
function twoOverOnePlusXQ2(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX);
  // Three steps in Q2.29, starting from 48/17 - 32/17 * d.
  let x =
    (FORTY_EIGHT_OVER_SEVENTEEN_Q2 +
      saturatingRoundingDoublingHighMul(halfDenominator, MINUS_THIRTY_TWO_OVER_SEVENTEEN_Q2)) |
    0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
    const oneMinusHalfDenominatorTimesX = (ONE_Q2 - halfDenominatorTimesX) | 0;
    x =
      (x + saturatingRoundingMultiplyByPOT(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 2)) | 0;
  }
  return x;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1: 1 / (1 + a) for a in [0, 1), raw Q0.31 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  // 2 / (1 + a) in Q2.29, read as Q1.30, is 1 / (1 + a); then back to Q0.31.
  return saturatingRoundingMultiplyByPOT(twoOverOnePlusXQ2(a), 1);
}

/**
 * TFLite GetReciprocal: 1/x for a positive fixed-point x with `xIntegerDigits` integer bits, as a Q0.31 value
 * and the power of two it must still be divided by (`numBitsOverUnit`).
 */
export function getReciprocal(x: number, xIntegerDigits: number): { reciprocal: number; numBitsOverUnit: number } {
  const headroomPlusOne = countLeadingZeros32(x);
  // x shifted so its leading one sits at bit 31, minus that one: the fraction above 1.0 in Q0.31.
  const shiftedSumMinusOne = ((x << headroomPlusOne) - INT32_MIN) | 0;
  return {
    reciprocal: oneOverOnePlusXForXIn01(shiftedSumMinusOne),
    numBitsOverUnit: xIntegerDigits - headroomPlusOne,
  };
}

// gemmlowp fixed-point logistic and tanh on int32 raws (the int8 LOGISTIC and TANH kernels use them on Q4.27).

/** gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1: (1 - a) / (1 + a) for a in [0, 1), raw Q0.31. */
export function oneMinusXOverOnePlusXForXIn01(a: number): number {
  // 2 / (1 + a) - 1 = (1 - a) / (1 + a), from Q2.29 back to Q0.31.
  return saturatingRoundingMultiplyByPOT((twoOverOnePlusXQ2(a) - ONE_Q2) | 0, 2);
}

/** gemmlowp logistic: 1 / (1 + exp(-a)) for a raw fixed-point `a` with `integerBits` integer bits; Q0.31 out. */
export function fixedPointLogistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const positive = a > 0;
  const magnitude = positive ? a : -a | 0;
  const ofMagnitude = oneOverOnePlusXForXIn01(expOnNegativeValues(-magnitude | 0, integerBits));
  // logistic(-x) = 1 - logistic(x), with 1 as INT32_MAX in Q0.31.
  return positive ? ofMagnitude : (INT32_MAX - ofMagnitude) | 0;
}

/** gemmlowp tanh: tanh(a) for a raw fixed-point `a` with `integerBits` integer bits; Q0.31 out. */
export function fixedPointTanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const negative = a < 0;
  const nonPositive = negative ? a : -a | 0;
  // tanh(|x|) = (1 - exp(-2|x|)) / (1 + exp(-2|x|)); doubling the input is one more integer bit on the same raw.
  const magnitude = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(nonPositive, integerBits + 1));
  return negative ? -magnitude | 0 : magnitude;
}

// ---------------------------------------------------------------------------------------------------------------
// MultiplyByQuantizedMultiplier with its constants prepared once: the same result for every int32 x (double
// rounding) in a few double operations instead of the split-product calls, for kernels that requantize per
// element. SaturatingRoundingDoublingHighMul is floor((x·m + 2^30) / 2^31) for m >= 0, and the rounding shift by
// r >= 1 folds into the same floor: floor((x·m + 2^30 + 2^(30+r) − [x<0]·2^31) / 2^(31+r)). `requantizeFloor` is
// that floor, written once; `requantizeConstants` its constants for a shift. Two ways to keep x·m exact use them:
// `requantizer`/`requantize` split m = mHigh·2^16 + mLow (every partial product below 2^47, any int32 x), and
// conv-common.ts's per-channel tables multiply unsplit while |x| < REQUANTIZE_UNSPLIT_LIMIT.
// ---------------------------------------------------------------------------------------------------------------

/** |x| (after any left shift) below this keeps the unsplit x·m an exact double: |x·m| < 2^21 · 2^31 = 2^52. */
export const REQUANTIZE_UNSPLIT_LIMIT = 2097152;
/** Largest right shift for which the unsplit sum stays below 2^53 (its offset 2^(30+r) included). */
export const REQUANTIZE_UNSPLIT_MAX_RIGHT_SHIFT = 21;

/** The constants of `requantizeFloor` for TFLM's exponent `shift` (positive = left shift), right shift r = -shift. */
export interface RequantizeConstants {
  leftShift: number;
  /** 2^30 + 2^(30+r), or 2^30 when r = 0. */
  offset: number;
  /** 2^31 when r >= 1 (negative values round half away from zero), else 0. */
  negativeAdjust: number;
  /** 2^-(31+r). */
  scale: number;
}

export function requantizeConstants(shift: number): RequantizeConstants {
  const right = Math.max(-shift, 0);
  return {
    leftShift: Math.max(shift, 0),
    offset: right === 0 ? TWO_POW_30 : TWO_POW_30 + 2 ** (30 + right),
    negativeAdjust: right === 0 ? 0 : TWO_POW_31,
    scale: 2 ** -(31 + right),
  };
}

/**
 * MultiplyByQuantizedMultiplier as one floor, floor((x·m + offset − [x < 0]·negativeAdjust) · scale), for an
 * int32 x already shifted left; exact while every term is an integer below 2^53 (the callers above see to it).
 * The int8 fast convolutions write this expression inline in their innermost loops.
 */
export function requantizeFloor(
  x: number,
  multiplier: number,
  offset: number,
  negativeAdjust: number,
  scale: number,
): number {
  return Math.floor((x * multiplier + offset - (x >>> 31) * negativeAdjust) * scale);
}

export interface Requantizer {
  leftShift: number;
  multiplierHigh: number;
  multiplierLow: number;
  /** requantizeConstants' offset, negativeAdjust and scale in units of 2^16 (the high product's). */
  offset: number;
  negativeAdjust: number;
  scale: number;
}

/** Constants for requantize(x, r) ≡ multiplyByQuantizedMultiplier(x, multiplier, shift); multiplier >= 0. */
export function requantizer(multiplier: number, shift: number): Requantizer {
  if (multiplier < 0) throw new Error(`requantizer: negative multiplier ${multiplier}`);
  const c = requantizeConstants(shift);
  const multiplierLow = multiplier & 0xffff;
  return {
    leftShift: c.leftShift,
    multiplierHigh: (multiplier - multiplierLow) / TWO_POW_16,
    multiplierLow,
    offset: c.offset / TWO_POW_16,
    negativeAdjust: c.negativeAdjust / TWO_POW_16,
    scale: c.scale * TWO_POW_16,
  };
}

/** TFLite MultiplyByQuantizedMultiplier(int32 x, ...) with prepared constants; bit-exact for every int32 x. */
export function requantize(x: number, r: Requantizer): number {
  const shifted = x << r.leftShift;
  // x·m / 2^16 = x·mHigh + x·mLow / 2^16; the final floor divides by a whole power of two (2^(15+r)), so
  // flooring the low part first changes nothing, and it joins the offset as an integer.
  const low = Math.floor((shifted * r.multiplierLow) / TWO_POW_16);
  return requantizeFloor(shifted, r.multiplierHigh, r.offset + low, r.negativeAdjust, r.scale);
}

// ---------------------------------------------------------------------------------------------------------------
// TFLite GetInvSqrtQuantizedMultiplierExp: 1/sqrt(x) of a positive int32 as a Q31 multiplier and shift, by five
// Newton-Raphson steps in gemmlowp Q3.28 (used by RSQRT and L2_NORMALIZATION).
// ---------------------------------------------------------------------------------------------------------------

/** 1/sqrt(input) as { multiplier, shift } with `reverseShift` (-1 in TFLM's callers) applied to the shift. */
export function invSqrtQuantizedMultiplierExp(
  input: number,
  reverseShift: number,
): { multiplier: number; shift: number } {
  // 0 and 1 both map to the largest multiplier: 1 is exact, 0 is undefined and treated like 1.
  if (input <= 1) return { multiplier: INT32_MAX, shift: 0 };
  let shift = 11;
  while (input >= 1 << 29) {
    input = Math.trunc(input / 4);
    shift++;
  }
  // Normalise into [2^27, 2^29) by whole bit pairs so the square root's exponent stays an integer.
  const leftShiftBitPairs = Math.floor((Math.clz32(input) - 1) / 2) - 1;
  shift -= leftShiftBitPairs;
  input <<= 2 * leftShiftBitPairs;
  const ONE_Q3 = 1 << 28;
  const THREE_HALVES_Q3 = (1 << 28) + (1 << 27);
  const halfInput = roundingDivideByPOT(input >> 1, 1);
  let x = ONE_Q3;
  for (let i = 0; i < 5; i++) {
    // x³ is Q9.22 after two products; back to Q3.28 with a saturating shift of 6.
    const x3 = saturatingRoundingMultiplyByPOT(
      saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(x, x), x),
      6,
    );
    // Both products are Q6.25; their difference wraps like gemmlowp's raw subtraction, then back to Q3.28.
    const difference =
      (saturatingRoundingDoublingHighMul(THREE_HALVES_Q3, x) - saturatingRoundingDoublingHighMul(halfInput, x3)) | 0;
    x = saturatingRoundingMultiplyByPOT(difference, 3);
  }
  const HALF_SQRT_2_Q0 = 1518500250;
  let multiplier = saturatingRoundingDoublingHighMul(x, HALF_SQRT_2_Q0);
  if (shift < 0) {
    multiplier = (multiplier << -shift) | 0;
    shift = 0;
  }
  return { multiplier, shift: (shift * reverseShift) | 0 };
}
