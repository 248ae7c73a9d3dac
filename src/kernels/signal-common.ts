/**
 * Shared pieces of TFLM's signal-library ops (the audio front end): flexbuffer option reading, the library's
 * integer helpers (most-significant bit, rounding square roots, fixed-point log), exact uint32×uint32 products
 * (BigInt only past 2^53), the FIFO behind framer/stacker/delay, and kissfft v130 (as patched by TFLM) in its int16,
 * int32 and float builds, reproduced operation by operation so fixed-point spectra are bit-exact.
 * Kernels own their sessions' state; nothing here holds any.
 */
import { toObject } from "flatbuffers/js/flexbuffers.js";
import { KernelError } from "../errors.js";
import type { DType, TensorDef } from "../format/model.js";
import type { NodeContext } from "../runtime/kernel.js";

// ---------------------------------------------------------------------------------------------------------------
// Options and validation

export type SignalOptions = Record<string, unknown>;

/** Decodes the node's flexbuffer map of custom options. */
export function readSignalOptions(ctx: NodeContext): SignalOptions {
  const op = ctx.node.opName;
  const bytes = ctx.node.customOptions;
  if (!bytes || bytes.byteLength === 0) throw new KernelError(`${op}: custom options are missing`);
  let root: unknown;
  try {
    root = toObject(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new KernelError(`${op}: custom options are not a valid flexbuffer (${(error as Error).message})`);
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new KernelError(`${op}: custom options are not a flexbuffer map`);
  }
  return root as SignalOptions;
}

/** An integer option; TFLM reads every one of these as int32. */
export function optionInt(ctx: NodeContext, options: SignalOptions, key: string): number {
  const raw = options[key];
  if (raw === undefined) throw new KernelError(`${ctx.node.opName}: custom option '${key}' is missing`);
  const value = typeof raw === "bigint" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new KernelError(`${ctx.node.opName}: custom option '${key}' is not an integer`);
  }
  // FlexbufferWrapper::ElementAsInt32 keeps the low 32 bits.
  return value | 0;
}

export function optionBool(ctx: NodeContext, options: SignalOptions, key: string): boolean {
  const raw = options[key];
  if (raw === undefined) throw new KernelError(`${ctx.node.opName}: custom option '${key}' is missing`);
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "number" || typeof raw === "bigint") return Number(raw) !== 0;
  throw new KernelError(`${ctx.node.opName}: custom option '${key}' is not a boolean`);
}

/** Throws unless the option lies in [min, max]. */
export function checkRange(ctx: NodeContext, key: string, value: number, min: number, max: number): void {
  if (value < min || value > max) {
    throw new KernelError(`${ctx.node.opName}: custom option '${key}' is ${value}, expected ${min}..${max}`);
  }
}

/** Checks the input/output counts and returns the tensors, none of them omitted. */
export function signalTensors(
  ctx: NodeContext,
  inputCount: number,
  outputCount: number,
): { inputs: TensorDef[]; outputs: TensorDef[] } {
  const op = ctx.node.opName;
  if (ctx.inputs.length !== inputCount) {
    throw new KernelError(`${op}: expects ${inputCount} input(s), got ${ctx.inputs.length}`);
  }
  if (ctx.outputs.length !== outputCount) {
    throw new KernelError(`${op}: expects ${outputCount} output(s), got ${ctx.outputs.length}`);
  }
  const inputs = ctx.inputs.map((t, i) => {
    if (!t) throw new KernelError(`${op}: input ${i} is missing`);
    return t;
  });
  return { inputs, outputs: ctx.outputs };
}

export function expectType(ctx: NodeContext, what: string, tensor: TensorDef, dtype: DType): void {
  if (tensor.dtype !== dtype) {
    throw new KernelError(`${ctx.node.opName}: ${what} type ${tensor.dtype} is not supported (${dtype})`);
  }
}

export function expectRank(ctx: NodeContext, what: string, tensor: TensorDef, rank: number): void {
  if (tensor.shape.length !== rank) {
    throw new KernelError(`${ctx.node.opName}: ${what} must have rank ${rank}, got [${tensor.shape}]`);
  }
}

/** Maps the flexbuffer 'T' attribute (a TFLite TensorType) to the dtypes the FFT-family ops accept. */
export function fftTypeOf(ctx: NodeContext, options: SignalOptions): "int16" | "int32" | "float32" {
  const code = optionInt(ctx, options, "T");
  if (code === 7) return "int16";
  if (code === 2) return "int32";
  if (code === 0) return "float32";
  throw new KernelError(`${ctx.node.opName}: type code T=${code} is not supported (float32, int32, int16)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Integer helpers of signal/src

/** Index (1-based) of the highest set bit; 32 for zero, as GCC's __builtin_clz path in TFLM returns. */
export function mostSignificantBit32(x: number): number {
  return x === 0 ? 32 : 32 - Math.clz32(x);
}

/**
 * Rounding square root of a uint32 (TFLM Sqrt32). TFLM's digit-by-digit loop yields floor(sqrt(n)) and the
 * remainder n − r², then adds one when the remainder exceeds r (unless r is already 0xFFFF). Doubles give the
 * same floor root after one correction step, since r² stays far below 2^53.
 */
export function sqrt32(value: number): number {
  let root = Math.floor(Math.sqrt(value));
  if (root * root > value) root--;
  return value - root * root > root && root !== 0xffff ? root + 1 : root;
}

/**
 * Rounding square root of the uint64 hi·2^32 + lo (TFLM Sqrt64). Values below 2^32 take Sqrt32's path, which
 * saturates at 0xFFFF exactly as TFLM's shortcut does. Larger values: floor root from doubles, corrected with the
 * remainder n − r² computed exactly on 16-bit halves of r (every partial term stays below 2^53 near the root).
 */
export function sqrt64(hi: number, lo: number): number {
  if (hi === 0) return sqrt32(lo);
  let root = Math.floor(Math.sqrt(hi * 4294967296 + lo));
  let remainder = remainder64(hi, lo, root);
  while (remainder < 0) remainder = remainder64(hi, lo, --root);
  // The double estimate is within one of the true root.
  if (remainder > 2 * root) remainder = remainder64(hi, lo, ++root);
  return remainder > root && root !== 0xffffffff ? root + 1 : root;
}

function remainder64(hi: number, lo: number, root: number): number {
  const rh = Math.floor(root / 65536);
  const rl = root - rh * 65536;
  return (hi - rh * rh) * 4294967296 - 2 * rh * rl * 65536 + (lo - rl * rl);
}

const LOG_LUT = new Uint16Array([
  0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487,
  3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001, 5063, 5123, 5178,
  5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638,
  5633, 5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332, 5291, 5249, 5203, 5156, 5106,
  5054, 5000, 4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848, 3759,
  3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729,
  1605, 1480, 1353, 1224, 1094, 963, 830, 695, 559, 421, 282, 142, 0, 0,
]);
const LOG_SCALE_BITS = 16;
const LOG_SEGMENT_BITS = 7;
const LOG_COEFF = 45426; // 2^16 · ln(2)

/**
 * Natural log of a uint32 x > 1, times outScale (TFLM Log32): log2 as integer part plus a table-corrected linear
 * fraction in Q16, scaled by ln 2, then by outScale in wrapping uint32 arithmetic as the C code does.
 */
export function log32(x: number, outScale: number): number {
  const integer = mostSignificantBit32(x) - 1;
  let frac = (x - 2 ** integer) | 0;
  frac = integer < LOG_SCALE_BITS ? frac << (LOG_SCALE_BITS - integer) : frac >> (integer - LOG_SCALE_BITS);
  const baseSegment = frac >>> (LOG_SCALE_BITS - LOG_SEGMENT_BITS);
  const c0 = LOG_LUT[baseSegment]!;
  const c1 = LOG_LUT[baseSegment + 1]!;
  const segmentBase = baseSegment << (LOG_SCALE_BITS - LOG_SEGMENT_BITS);
  const relative = ((c1 - c0) * (frac - segmentBase)) >> LOG_SCALE_BITS;
  const fraction = (frac + c0 + relative) >>> 0;
  const log2 = ((integer << LOG_SCALE_BITS) + fraction) >>> 0;
  const round = 1 << (LOG_SCALE_BITS - 1);
  const loge = Math.floor((LOG_COEFF * log2 + round) / 65536) >>> 0;
  return (((Math.imul(outScale, loge) >>> 0) + round) >>> 0) >>> LOG_SCALE_BITS;
}

/** floor(a·b / 2^shift) mod 2^32 for uint32 a and b, shift 0..63, exact (the product can reach 2^64). */
export function mulShiftU32(a: number, b: number, shift: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) return Math.floor(product / 2 ** shift) >>> 0;
  return Number(BigInt.asUintN(32, (BigInt(a) * BigInt(b)) >> BigInt(shift)));
}

// ---------------------------------------------------------------------------------------------------------------
// FIFO of int16 samples: the observable behaviour of TFLM's CircularBuffer as framer, stacker and delay use it.

export class SampleQueue {
  private readonly data: Int16Array;
  private read = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.data = new Int16Array(capacity);
  }

  get available(): number {
    return this.count;
  }

  reset(): void {
    this.read = 0;
    this.count = 0;
    this.data.fill(0);
  }

  write(values: ArrayLike<number>, offset: number, n: number): void {
    let at = this.read + this.count;
    for (let i = 0; i < n; i++, at++) this.data[at % this.capacity] = values[offset + i]!;
    this.count += n;
  }

  writeZeros(n: number): void {
    let at = this.read + this.count;
    for (let i = 0; i < n; i++, at++) this.data[at % this.capacity] = 0;
    this.count += n;
  }

  /** Appends `times` copies of the newest `n` samples (CircularBufferExtend). */
  repeatLast(n: number, times: number): void {
    if (n <= 0 || times <= 0) return;
    const start = this.read + this.count - n;
    for (let t = 0; t < times; t++) {
      let at = this.read + this.count;
      for (let i = 0; i < n; i++, at++) this.data[at % this.capacity] = this.data[(start + i) % this.capacity]!;
      this.count += n;
    }
  }

  /** Copies the oldest n samples without consuming them. */
  peek(n: number, out: Int16Array, offset: number): void {
    for (let i = 0; i < n; i++) out[offset + i] = this.data[(this.read + i) % this.capacity]!;
  }

  discard(n: number): void {
    this.read = (this.read + n) % this.capacity;
    this.count -= n;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// kissfft v130 with TFLM's patch. Fixed-point builds scale every stage down by its radix (C_FIXDIV) and round
// products with sround; the float build computes in float32. Each FftArithmetic reproduces one build's macros.

export type FftScalar = "int16" | "int32" | "float32";

/** One kissfft build's scalar operations; every result is already converted to the build's scalar type. */
interface FftArithmetic {
  add(a: number, b: number): number;
  sub(a: number, b: number): number;
  neg(a: number): number;
  /** C_MUL real part: sround(a·b − c·d). */
  mulSub(a: number, b: number, c: number, d: number): number;
  /** C_MUL imaginary part: sround(a·b + c·d). */
  mulAdd(a: number, b: number, c: number, d: number): number;
  /** S_MUL / C_MULBYSCALAR. */
  scale(a: number, s: number): number;
  /** The constant C_FIXDIV multiplies by for radix p (SAMP_MAX / p); unused by the float build. */
  fixDivFactor(p: number): number;
  /** C_FIXDIV of one component. */
  fixDiv(a: number, factor: number): number;
  /** HALF_OF(a + b). */
  halfSum(a: number, b: number): number;
  /** KISS_FFT_COS/SIN of a phase whose cosine or sine is `value`. */
  twiddle(value: number): number;
}

const INT16_ARITHMETIC: FftArithmetic = {
  add: (a, b) => ((a + b) << 16) >> 16,
  sub: (a, b) => ((a - b) << 16) >> 16,
  neg: (a) => (-a << 16) >> 16,
  // Products of int16 fit int32; the int32 sum wraps as SAMPPROD does, then sround's shift and int16 cast.
  mulSub: (a, b, c, d) => ((((a * b - c * d + 16384) | 0) >> 15) << 16) >> 16,
  mulAdd: (a, b, c, d) => ((((a * b + c * d + 16384) | 0) >> 15) << 16) >> 16,
  scale: (a, s) => ((((a * s + 16384) | 0) >> 15) << 16) >> 16,
  fixDivFactor: (p) => Math.trunc(32767 / p),
  fixDiv: (a, factor) => ((((a * factor + 16384) | 0) >> 15) << 16) >> 16,
  halfSum: (a, b) => ((((a + b) | 0) >> 1) << 16) >> 16,
  twiddle: (value) => Math.floor(0.5 + 32767 * value),
};

/**
 * (a·b + c·d + 2^30) >> 31 in int64, cast to int32, for int32 a, b, d and |c| ≤ 2^31: kissfft's 32-bit sround.
 * Splitting b and d into 16-bit halves keeps every partial sum below 2^50, so doubles stay exact.
 */
function q31RoundedSum(a: number, b: number, c: number, d: number): number {
  const bLow = b & 0xffff;
  const bHigh = (b - bLow) / 65536;
  const dLow = d & 0xffff;
  const dHigh = (d - dLow) / 65536;
  const high = a * bHigh + c * dHigh;
  const low = a * bLow + c * dLow + 1073741824;
  // value = high·2^16 + low; dropping low's last 16 bits cannot change floor(value / 2^31).
  return Math.floor((high + Math.floor(low / 65536)) / 32768) | 0;
}

const INT32_ARITHMETIC: FftArithmetic = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  neg: (a) => -a | 0,
  mulSub: (a, b, c, d) => q31RoundedSum(a, b, -c, d),
  mulAdd: (a, b, c, d) => q31RoundedSum(a, b, c, d),
  scale: (a, s) => q31RoundedSum(a, s, 0, 0),
  fixDivFactor: (p) => Math.trunc(2147483647 / p),
  fixDiv: (a, factor) => q31RoundedSum(a, factor, 0, 0),
  halfSum: (a, b) => ((a + b) | 0) >> 1,
  twiddle: (value) => Math.floor(0.5 + 2147483647 * value),
};

const fround = Math.fround;
const FLOAT_ARITHMETIC: FftArithmetic = {
  add: (a, b) => fround(a + b),
  sub: (a, b) => fround(a - b),
  neg: (a) => -a,
  mulSub: (a, b, c, d) => fround(fround(a * b) - fround(c * d)),
  mulAdd: (a, b, c, d) => fround(fround(a * b) + fround(c * d)),
  scale: (a, s) => fround(a * s),
  fixDivFactor: () => 0,
  fixDiv: (a) => a,
  halfSum: (a, b) => fround(fround(a + b) * 0.5),
  twiddle: (value) => fround(value),
};

const ARITHMETIC: Record<FftScalar, FftArithmetic> = {
  int16: INT16_ARITHMETIC,
  int32: INT32_ARITHMETIC,
  float32: FLOAT_ARITHMETIC,
};

/** kf_factor: radix 4 first, then 2, then odd primes; past floor(sqrt(n)) the remainder is one factor. */
function factorize(n: number): number[] {
  const factors: number[] = [];
  const floorSqrt = Math.floor(Math.sqrt(n));
  let p = 4;
  do {
    while (n % p !== 0) {
      p = p === 4 ? 2 : p === 2 ? 3 : p + 2;
      if (p > floorSqrt) p = n;
    }
    n /= p;
    factors.push(p, n);
  } while (n > 1);
  return factors;
}

/** A complex kissfft plan (kiss_fft_alloc): twiddles and radix schedule, immutable once built. */
export class ComplexFft {
  readonly twiddles: Float64Array;
  readonly factors: number[];
  readonly maxRadix: number;
  private readonly math: FftArithmetic;

  constructor(
    readonly nfft: number,
    readonly inverse: boolean,
    readonly scalar: FftScalar,
  ) {
    this.math = ARITHMETIC[scalar];
    this.twiddles = new Float64Array(2 * nfft);
    for (let i = 0; i < nfft; i++) {
      let phase = (-2 * Math.PI * i) / nfft;
      if (inverse) phase *= -1;
      this.twiddles[2 * i] = this.math.twiddle(Math.cos(phase));
      this.twiddles[2 * i + 1] = this.math.twiddle(Math.sin(phase));
    }
    this.factors = factorize(nfft);
    let maxRadix = 0;
    for (let i = 0; i < this.factors.length; i += 2) maxRadix = Math.max(maxRadix, this.factors[i]!);
    this.maxRadix = maxRadix;
  }

  /** Complex multiplies per transform, for MAC estimates. */
  get complexMultiplies(): number {
    let total = 0;
    for (let i = 0; i < this.factors.length; i += 2) {
      const p = this.factors[i]!;
      total += (this.nfft / p) * (p - 1);
    }
    return total;
  }

  /**
   * Out-of-place transform of `input` (interleaved re/im, nfft values) into `output`. `scratch` holds
   * 2·maxRadix values for radices other than 2, 3, 4 and 5.
   */
  transform(input: Float64Array, output: Float64Array, scratch: Float64Array): void {
    this.work(output, 0, input, 0, 1, 0, scratch);
  }

  private work(
    out: Float64Array,
    outStart: number,
    input: Float64Array,
    inputAt: number,
    fstride: number,
    factorIndex: number,
    scratch: Float64Array,
  ): void {
    const p = this.factors[factorIndex]!;
    const m = this.factors[factorIndex + 1]!;
    const outEnd = outStart + 2 * p * m;
    if (m === 1) {
      for (let k = outStart; k < outEnd; k += 2) {
        out[k] = input[inputAt]!;
        out[k + 1] = input[inputAt + 1]!;
        inputAt += 2 * fstride;
      }
    } else {
      // p sub-transforms of length m over decimated inputs, then one recombining butterfly pass.
      for (let k = outStart; k < outEnd; k += 2 * m) {
        this.work(out, k, input, inputAt, fstride * p, factorIndex + 2, scratch);
        inputAt += 2 * fstride;
      }
    }
    switch (p) {
      case 2:
        this.butterfly2(out, outStart, fstride, m);
        break;
      case 3:
        this.butterfly3(out, outStart, fstride, m);
        break;
      case 4:
        this.butterfly4(out, outStart, fstride, m);
        break;
      case 5:
        this.butterfly5(out, outStart, fstride, m);
        break;
      default:
        this.butterflyGeneric(out, outStart, fstride, m, p, scratch);
    }
  }

  private butterfly2(f: Float64Array, start: number, fstride: number, m: number): void {
    const x = this.math;
    const tw = this.twiddles;
    const div = x.fixDivFactor(2);
    for (let k = 0, t = 0; k < m; k++, t += 2 * fstride) {
      const a = start + 2 * k;
      const b = a + 2 * m;
      const ar = x.fixDiv(f[a]!, div);
      const ai = x.fixDiv(f[a + 1]!, div);
      const br = x.fixDiv(f[b]!, div);
      const bi = x.fixDiv(f[b + 1]!, div);
      const tr = x.mulSub(br, tw[t]!, bi, tw[t + 1]!);
      const ti = x.mulAdd(br, tw[t + 1]!, bi, tw[t]!);
      f[b] = x.sub(ar, tr);
      f[b + 1] = x.sub(ai, ti);
      f[a] = x.add(ar, tr);
      f[a + 1] = x.add(ai, ti);
    }
  }

  private butterfly3(f: Float64Array, start: number, fstride: number, m: number): void {
    const x = this.math;
    const tw = this.twiddles;
    const div = x.fixDivFactor(3);
    const epi3i = tw[2 * fstride * m + 1]!;
    for (let k = 0, t1 = 0, t2 = 0; k < m; k++, t1 += 2 * fstride, t2 += 4 * fstride) {
      const i0 = start + 2 * k;
      const i1 = i0 + 2 * m;
      const i2 = i1 + 2 * m;
      const f0r = x.fixDiv(f[i0]!, div);
      const f0i = x.fixDiv(f[i0 + 1]!, div);
      const f1r = x.fixDiv(f[i1]!, div);
      const f1i = x.fixDiv(f[i1 + 1]!, div);
      const f2r = x.fixDiv(f[i2]!, div);
      const f2i = x.fixDiv(f[i2 + 1]!, div);
      const s1r = x.mulSub(f1r, tw[t1]!, f1i, tw[t1 + 1]!);
      const s1i = x.mulAdd(f1r, tw[t1 + 1]!, f1i, tw[t1]!);
      const s2r = x.mulSub(f2r, tw[t2]!, f2i, tw[t2 + 1]!);
      const s2i = x.mulAdd(f2r, tw[t2 + 1]!, f2i, tw[t2]!);
      const s3r = x.add(s1r, s2r);
      const s3i = x.add(s1i, s2i);
      const s0r = x.scale(x.sub(s1r, s2r), epi3i);
      const s0i = x.scale(x.sub(s1i, s2i), epi3i);
      const m1r = x.sub(f0r, x.halfSum(s3r, 0));
      const m1i = x.sub(f0i, x.halfSum(s3i, 0));
      f[i0] = x.add(f0r, s3r);
      f[i0 + 1] = x.add(f0i, s3i);
      f[i2] = x.add(m1r, s0i);
      f[i2 + 1] = x.sub(m1i, s0r);
      f[i1] = x.sub(m1r, s0i);
      f[i1 + 1] = x.add(m1i, s0r);
    }
  }

  private butterfly4(f: Float64Array, start: number, fstride: number, m: number): void {
    const x = this.math;
    const tw = this.twiddles;
    const div = x.fixDivFactor(4);
    const inverse = this.inverse;
    for (let k = 0, t1 = 0, t2 = 0, t3 = 0; k < m; k++, t1 += 2 * fstride, t2 += 4 * fstride, t3 += 6 * fstride) {
      const i0 = start + 2 * k;
      const i1 = i0 + 2 * m;
      const i2 = i1 + 2 * m;
      const i3 = i2 + 2 * m;
      let f0r = x.fixDiv(f[i0]!, div);
      let f0i = x.fixDiv(f[i0 + 1]!, div);
      const f1r = x.fixDiv(f[i1]!, div);
      const f1i = x.fixDiv(f[i1 + 1]!, div);
      const f2r = x.fixDiv(f[i2]!, div);
      const f2i = x.fixDiv(f[i2 + 1]!, div);
      const f3r = x.fixDiv(f[i3]!, div);
      const f3i = x.fixDiv(f[i3 + 1]!, div);
      const s0r = x.mulSub(f1r, tw[t1]!, f1i, tw[t1 + 1]!);
      const s0i = x.mulAdd(f1r, tw[t1 + 1]!, f1i, tw[t1]!);
      const s1r = x.mulSub(f2r, tw[t2]!, f2i, tw[t2 + 1]!);
      const s1i = x.mulAdd(f2r, tw[t2 + 1]!, f2i, tw[t2]!);
      const s2r = x.mulSub(f3r, tw[t3]!, f3i, tw[t3 + 1]!);
      const s2i = x.mulAdd(f3r, tw[t3 + 1]!, f3i, tw[t3]!);
      const s5r = x.sub(f0r, s1r);
      const s5i = x.sub(f0i, s1i);
      f0r = x.add(f0r, s1r);
      f0i = x.add(f0i, s1i);
      const s3r = x.add(s0r, s2r);
      const s3i = x.add(s0i, s2i);
      const s4r = x.sub(s0r, s2r);
      const s4i = x.sub(s0i, s2i);
      f[i2] = x.sub(f0r, s3r);
      f[i2 + 1] = x.sub(f0i, s3i);
      f[i0] = x.add(f0r, s3r);
      f[i0 + 1] = x.add(f0i, s3i);
      if (inverse) {
        f[i1] = x.sub(s5r, s4i);
        f[i1 + 1] = x.add(s5i, s4r);
        f[i3] = x.add(s5r, s4i);
        f[i3 + 1] = x.sub(s5i, s4r);
      } else {
        f[i1] = x.add(s5r, s4i);
        f[i1 + 1] = x.sub(s5i, s4r);
        f[i3] = x.sub(s5r, s4i);
        f[i3 + 1] = x.add(s5i, s4r);
      }
    }
  }

  private butterfly5(f: Float64Array, start: number, fstride: number, m: number): void {
    const x = this.math;
    const tw = this.twiddles;
    const div = x.fixDivFactor(5);
    const yar = tw[2 * fstride * m]!;
    const yai = tw[2 * fstride * m + 1]!;
    const ybr = tw[4 * fstride * m]!;
    const ybi = tw[4 * fstride * m + 1]!;
    for (let u = 0; u < m; u++) {
      const i0 = start + 2 * u;
      const i1 = i0 + 2 * m;
      const i2 = i1 + 2 * m;
      const i3 = i2 + 2 * m;
      const i4 = i3 + 2 * m;
      const s0r = x.fixDiv(f[i0]!, div);
      const s0i = x.fixDiv(f[i0 + 1]!, div);
      const f1r = x.fixDiv(f[i1]!, div);
      const f1i = x.fixDiv(f[i1 + 1]!, div);
      const f2r = x.fixDiv(f[i2]!, div);
      const f2i = x.fixDiv(f[i2 + 1]!, div);
      const f3r = x.fixDiv(f[i3]!, div);
      const f3i = x.fixDiv(f[i3 + 1]!, div);
      const f4r = x.fixDiv(f[i4]!, div);
      const f4i = x.fixDiv(f[i4 + 1]!, div);
      const t1 = 2 * u * fstride;
      const t2 = 2 * t1;
      const t3 = 3 * t1;
      const t4 = 4 * t1;
      const s1r = x.mulSub(f1r, tw[t1]!, f1i, tw[t1 + 1]!);
      const s1i = x.mulAdd(f1r, tw[t1 + 1]!, f1i, tw[t1]!);
      const s2r = x.mulSub(f2r, tw[t2]!, f2i, tw[t2 + 1]!);
      const s2i = x.mulAdd(f2r, tw[t2 + 1]!, f2i, tw[t2]!);
      const s3r = x.mulSub(f3r, tw[t3]!, f3i, tw[t3 + 1]!);
      const s3i = x.mulAdd(f3r, tw[t3 + 1]!, f3i, tw[t3]!);
      const s4r = x.mulSub(f4r, tw[t4]!, f4i, tw[t4 + 1]!);
      const s4i = x.mulAdd(f4r, tw[t4 + 1]!, f4i, tw[t4]!);
      const s7r = x.add(s1r, s4r);
      const s7i = x.add(s1i, s4i);
      const s10r = x.sub(s1r, s4r);
      const s10i = x.sub(s1i, s4i);
      const s8r = x.add(s2r, s3r);
      const s8i = x.add(s2i, s3i);
      const s9r = x.sub(s2r, s3r);
      const s9i = x.sub(s2i, s3i);
      f[i0] = x.add(s0r, x.add(s7r, s8r));
      f[i0 + 1] = x.add(s0i, x.add(s7i, s8i));
      const s5r = x.add(x.add(s0r, x.scale(s7r, yar)), x.scale(s8r, ybr));
      const s5i = x.add(x.add(s0i, x.scale(s7i, yar)), x.scale(s8i, ybr));
      const s6r = x.add(x.scale(s10i, yai), x.scale(s9i, ybi));
      const s6i = x.sub(-x.scale(s10r, yai), x.scale(s9r, ybi));
      f[i1] = x.sub(s5r, s6r);
      f[i1 + 1] = x.sub(s5i, s6i);
      f[i4] = x.add(s5r, s6r);
      f[i4 + 1] = x.add(s5i, s6i);
      const s11r = x.add(x.add(s0r, x.scale(s7r, ybr)), x.scale(s8r, yar));
      const s11i = x.add(x.add(s0i, x.scale(s7i, ybr)), x.scale(s8i, yar));
      const s12r = x.add(-x.scale(s10i, ybi), x.scale(s9i, yai));
      const s12i = x.sub(x.scale(s10r, ybi), x.scale(s9r, yai));
      f[i2] = x.add(s11r, s12r);
      f[i2 + 1] = x.add(s11i, s12i);
      f[i3] = x.sub(s11r, s12r);
      f[i3 + 1] = x.sub(s11i, s12i);
    }
  }

  private butterflyGeneric(
    f: Float64Array,
    start: number,
    fstride: number,
    m: number,
    p: number,
    scratch: Float64Array,
  ): void {
    const x = this.math;
    const tw = this.twiddles;
    const div = x.fixDivFactor(p);
    const n = this.nfft;
    for (let u = 0; u < m; u++) {
      for (let q = 0, k = u; q < p; q++, k += m) {
        scratch[2 * q] = x.fixDiv(f[start + 2 * k]!, div);
        scratch[2 * q + 1] = x.fixDiv(f[start + 2 * k + 1]!, div);
      }
      for (let q1 = 0, k = u; q1 < p; q1++, k += m) {
        let twiddleIndex = 0;
        let accR = scratch[0]!;
        let accI = scratch[1]!;
        for (let q = 1; q < p; q++) {
          twiddleIndex += fstride * k;
          if (twiddleIndex >= n) twiddleIndex -= n;
          const wr = tw[2 * twiddleIndex]!;
          const wi = tw[2 * twiddleIndex + 1]!;
          const sr = scratch[2 * q]!;
          const si = scratch[2 * q + 1]!;
          accR = x.add(accR, x.mulSub(sr, wr, si, wi));
          accI = x.add(accI, x.mulAdd(sr, wi, si, wr));
        }
        f[start + 2 * k] = accR;
        f[start + 2 * k + 1] = accI;
      }
    }
  }
}

/** Work buffers one real-FFT evaluation needs; per session, since prepared plans are shared. */
export interface RealFftWorkspace {
  packed: Float64Array;
  spectrum: Float64Array;
  scratch: Float64Array;
}

/**
 * kiss_fftr / kiss_fftri: a real transform of length fftLength through a complex transform of half the length
 * (even samples as real parts, odd as imaginary), then TFLM's split into positive-frequency bins.
 */
export class RealFft {
  readonly half: ComplexFft;
  readonly superTwiddles: Float64Array;
  private readonly math: FftArithmetic;

  constructor(
    readonly fftLength: number,
    readonly inverse: boolean,
    readonly scalar: FftScalar,
  ) {
    const ncfft = fftLength / 2;
    this.math = ARITHMETIC[scalar];
    this.half = new ComplexFft(ncfft, inverse, scalar);
    const count = Math.floor(ncfft / 2);
    this.superTwiddles = new Float64Array(2 * count);
    for (let i = 0; i < count; i++) {
      let phase = -Math.PI * ((i + 1) / ncfft + 0.5);
      if (inverse) phase *= -1;
      this.superTwiddles[2 * i] = this.math.twiddle(Math.cos(phase));
      this.superTwiddles[2 * i + 1] = this.math.twiddle(Math.sin(phase));
    }
  }

  createWorkspace(): RealFftWorkspace {
    const n = this.fftLength;
    return {
      packed: new Float64Array(n),
      spectrum: new Float64Array(n),
      scratch: new Float64Array(2 * Math.max(1, this.half.maxRadix)),
    };
  }

  /**
   * Forward transform: reads workspace.packed (fftLength real samples), writes fftLength/2 + 1 complex bins
   * interleaved into out[outAt…].
   */
  forward(work: RealFftWorkspace, out: Float32Array | Int16Array | Int32Array, outAt: number): void {
    const x = this.math;
    const ncfft = this.fftLength / 2;
    const spec = work.spectrum;
    const stw = this.superTwiddles;
    this.half.transform(work.packed, spec, work.scratch);
    const div = x.fixDivFactor(2);
    const dcR = x.fixDiv(spec[0]!, div);
    const dcI = x.fixDiv(spec[1]!, div);
    out[outAt] = x.add(dcR, dcI);
    out[outAt + 1] = 0;
    out[outAt + 2 * ncfft] = x.sub(dcR, dcI);
    out[outAt + 2 * ncfft + 1] = 0;
    for (let k = 1; k <= ncfft >> 1; k++) {
      const j = ncfft - k;
      const pkR = x.fixDiv(spec[2 * k]!, div);
      const pkI = x.fixDiv(spec[2 * k + 1]!, div);
      const pnkR = x.fixDiv(spec[2 * j]!, div);
      const pnkI = x.fixDiv(x.neg(spec[2 * j + 1]!), div);
      const f1r = x.add(pkR, pnkR);
      const f1i = x.add(pkI, pnkI);
      const f2r = x.sub(pkR, pnkR);
      const f2i = x.sub(pkI, pnkI);
      const wr = stw[2 * (k - 1)]!;
      const wi = stw[2 * (k - 1) + 1]!;
      const twr = x.mulSub(f2r, wr, f2i, wi);
      const twi = x.mulAdd(f2r, wi, f2i, wr);
      out[outAt + 2 * k] = x.halfSum(f1r, twr);
      out[outAt + 2 * k + 1] = x.halfSum(f1i, twi);
      out[outAt + 2 * j] = x.halfSum(f1r, -twr);
      out[outAt + 2 * j + 1] = x.halfSum(twi, -f1i);
    }
  }

  /**
   * Inverse transform: reads fftLength/2 + 1 complex bins from input[inAt…], leaves fftLength real samples in
   * workspace.packed (kissfft's unnormalized inverse).
   */
  backward(work: RealFftWorkspace, input: ArrayLike<number>, inAt: number): void {
    const x = this.math;
    const ncfft = this.fftLength / 2;
    const tmp = work.spectrum;
    const stw = this.superTwiddles;
    const div = x.fixDivFactor(2);
    const first = input[inAt]!;
    const last = input[inAt + 2 * ncfft]!;
    tmp[0] = x.fixDiv(x.add(first, last), div);
    tmp[1] = x.fixDiv(x.sub(first, last), div);
    for (let k = 1; k <= ncfft >> 1; k++) {
      const j = ncfft - k;
      const fkR = x.fixDiv(input[inAt + 2 * k]!, div);
      const fkI = x.fixDiv(input[inAt + 2 * k + 1]!, div);
      const fnkR = x.fixDiv(input[inAt + 2 * j]!, div);
      const fnkI = x.fixDiv(x.neg(input[inAt + 2 * j + 1]!), div);
      const ekR = x.add(fkR, fnkR);
      const ekI = x.add(fkI, fnkI);
      const dR = x.sub(fkR, fnkR);
      const dI = x.sub(fkI, fnkI);
      const wr = stw[2 * (k - 1)]!;
      const wi = stw[2 * (k - 1) + 1]!;
      const okR = x.mulSub(dR, wr, dI, wi);
      const okI = x.mulAdd(dR, wi, dI, wr);
      tmp[2 * k] = x.add(ekR, okR);
      tmp[2 * k + 1] = x.add(ekI, okI);
      tmp[2 * j] = x.sub(ekR, okR);
      tmp[2 * j + 1] = x.neg(x.sub(ekI, okI));
    }
    this.half.transform(tmp, work.packed, work.scratch);
  }
}

/** What SignalRfft and SignalIrfft prepare alike: the FFT type and fft_length, one input and one output row tensor. */
export interface RealFftRows {
  scalar: FftScalar;
  fftLength: number;
  input: TensorDef;
  output: TensorDef;
}

/** Their shared checks: both tensors of the FFT's type, fft_length even and at least 2, the same rank (≥ 1). */
export function prepareRealFftRows(ctx: NodeContext): RealFftRows {
  const op = ctx.node.opName;
  const options = readSignalOptions(ctx);
  const scalar = fftTypeOf(ctx, options);
  const fftLength = optionInt(ctx, options, "fft_length");
  const {
    inputs: [input],
    outputs: [output],
  } = signalTensors(ctx, 1, 1);
  expectType(ctx, "input", input!, scalar);
  expectType(ctx, "output", output!, scalar);
  if (fftLength < 2 || fftLength % 2 !== 0) {
    throw new KernelError(`${op}: fft_length ${fftLength} must be even and at least 2`);
  }
  const inShape = input!.shape;
  const outShape = output!.shape;
  if (inShape.length === 0 || inShape.length !== outShape.length) {
    throw new KernelError(`${op}: input [${inShape}] and output [${outShape}] must have the same rank (≥ 1)`);
  }
  return { scalar, fftLength, input: input!, output: output! };
}

/**
 * Multiply-accumulates of a real FFT of each row (rows of fft_length/2 + 1 complex bins when forward, of
 * fft_length samples when inverse, in the output): four per complex multiply of the half-length transform, then
 * the real split.
 */
export function realFftMacs(ctx: NodeContext, inverse: boolean): number {
  const fftLength = optionInt(ctx, readSignalOptions(ctx), "fft_length");
  const rows = ctx.outputs[0]!.elementCount / (inverse ? fftLength : fftLength + 2);
  const half = new ComplexFft(fftLength / 2, inverse, "int16");
  return rows * 4 * (half.complexMultiplies + Math.floor(fftLength / 4));
}
