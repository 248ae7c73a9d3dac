/**
 * The WebAssembly text (SIMD128) of the int8 convolution kernels behind wasm/conv-2d.ts (1x1 as a GEMM) and
 * wasm/depthwise-conv-2d.ts (3x3), bit-identical to the TypeScript kernels. It lives in a .ts string rather than
 * a .wat file so `tsc` ships it in dist/ with no copy step, and so the exact requantization, repeated in every
 * inner loop (WebAssembly calls are not inlined), is written once below and expanded where it is used.
 *
 * Conventions shared with int8-conv.ts:
 * - Requantization constants per group of 8 output channels, REQUANT_GROUP_BYTES apart, each field 8 int32 lanes:
 *   folded bias, 2^left_shift, multiplier, 2^(31-r) (as uint32), 2^(32-r) mod 2^32, 2^r - 1, (2^r - 1) >> 1, where
 *   r is the right shift.
 * - Output stores write 8 channels at once. Groups run last-first and pixels in ascending order, so the bytes a
 *   partial last group writes past its pixel belong to pixels or groups written later; the buffer ends with 8
 *   bytes of slack for the last pixel.
 */

export const REQUANT_GROUP_BYTES = 224;
const BIAS = 0;
const LEFT_SCALE = 32;
const MULTIPLIER = 64;
const DIVISOR = 96;
const WRAP = 128;
const MASK = 160;
const HALF = 192;
/** Bytes of the 9 int16x8 tap vectors of one depthwise channel group. */
export const DEPTHWISE_GROUP_WEIGHT_BYTES = 144;

/** The low 32 bits of both 64-bit lanes of two vectors, as one i32x4. */
const LOW_WORDS = "0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27";

/** Locals the requantization needs in every function that expands it. */
const REQUANT_LOCALS =
  "(local $a v128) (local $v v128) (local $s v128) (local $t v128) (local $zp v128) (local $lo v128) (local $hi v128) (local $lo4 v128) (local $hi4 v128)";

/**
 * TFLite MultiplyByQuantizedMultiplier (double rounding) of the int32 accumulators `acc` plus bias, for the four
 * channels at byte `half` (0 or 16) of the group at $q, then + output zero point and clamped; result in `dest`.
 */
function requantize(acc: string, half: number, dest: string): string {
  const at = (field: number) => `(v128.load offset=${field + half} (local.get $q))`;
  const highMul = (ext: string) =>
    `(i64x2.shr_s (i64x2.add (${ext} (local.get $a) (local.get $t)) (v128.const i64x2 0x40000000 0x40000000)) (i32.const 31))`;
  const divide = (ext: string) => `(i64x2.shr_u (${ext} (local.get $v) (local.get $t)) (i32.const 31))`;
  return `
    ;; (acc + bias) << left_shift, wrapping like the int32 it is (a multiply: shifts differ per lane)
    (local.set $a (i32x4.mul (i32x4.add (local.get ${acc}) ${at(BIAS)}) ${at(LEFT_SCALE)}))
    ;; SaturatingRoundingDoublingHighMul: floor((a * m + 2^30) / 2^31) equals gemmlowp's nudged truncation
    ;; (it saturates only for a = m = INT32_MIN, and multipliers are never negative)
    (local.set $t ${at(MULTIPLIER)})
    (local.set $v (i8x16.shuffle ${LOW_WORDS}
      ${highMul("i64x2.extmul_low_i32x4_s")}
      ${highMul("i64x2.extmul_high_i32x4_s")}))
    (local.set $s (i32x4.shr_s (local.get $v) (i32.const 31)))
    ;; RoundingDivideByPOT by a per-lane r: floor(v / 2^r) is the low word of (v mod 2^32) * 2^(31-r) >> 31,
    ;; less 2^(32-r) when v < 0; then one more when v & mask exceeds mask >> 1 (plus one for negative v)
    (local.set $t ${at(DIVISOR)})
    (local.set $a (i32x4.sub
      (i8x16.shuffle ${LOW_WORDS}
        ${divide("i64x2.extmul_low_i32x4_u")}
        ${divide("i64x2.extmul_high_i32x4_u")})
      (v128.and (local.get $s) ${at(WRAP)})))
    (local.set $a (i32x4.sub (local.get $a)
      (i32x4.gt_s (v128.and (local.get $v) ${at(MASK)}) (i32x4.sub ${at(HALF)} (local.get $s)))))
    (local.set ${dest} (i32x4.min_s (local.get $hi) (i32x4.max_s (local.get $lo) (i32x4.add (local.get $a) (local.get $zp)))))`;
}

/** Requantizes eight channels (two accumulators) and stores them as 8 bytes at $o. */
function storeEight(accLow: string, accHigh: string): string {
  return `${requantize(accLow, 0, "$lo4")}${requantize(accHigh, 16, "$hi4")}
    (v128.store64_lane 0 (local.get $o)
      (i8x16.narrow_i16x8_s (i16x8.narrow_i32x4_s (local.get $lo4) (local.get $hi4)) (local.get $lo4)))`;
}

const SPLAT_OUTPUT_RANGE = `
    (local.set $zp (i32x4.splat (local.get $outZero)))
    (local.set $lo (i32x4.splat (local.get $min)))
    (local.set $hi (i32x4.splat (local.get $max)))`;

/** Four pixels' pair product into the 8 accumulators of a GEMM tile. */
function tileStep(pixel: number, rowOffset: string): string {
  const address = rowOffset ? `(i32.add (local.get $x) (local.get ${rowOffset}))` : "(local.get $x)";
  return `
        (local.set $x0 (v128.load32_splat ${address}))
        (local.set $c${2 * pixel} (i32x4.add (local.get $c${2 * pixel}) (i32x4.dot_i16x8_s (local.get $x0) (local.get $w0))))
        (local.set $c${2 * pixel + 1} (i32x4.add (local.get $c${2 * pixel + 1}) (i32x4.dot_i16x8_s (local.get $x0) (local.get $w1))))`;
}

function tileStore(pixel: number): string {
  return `${storeEight(`$c${2 * pixel}`, `$c${2 * pixel + 1}`)}
    (local.set $o (i32.add (local.get $o) (local.get $channels)))`;
}

/** One depthwise tap: 8 input channels at `address` times tap vector $k<tap>, into $c0 (low 4) and $c1. */
function depthwiseTap(tap: number, address: string): string {
  return `
        (local.set $x0 (v128.load8x8_s ${address}))
        (local.set $c0 (i32x4.add (local.get $c0) (i32x4.extmul_low_i16x8_s (local.get $x0) (local.get $k${tap}))))
        (local.set $c1 (i32x4.add (local.get $c1) (i32x4.extmul_high_i16x8_s (local.get $x0) (local.get $k${tap}))))`;
}

function depthwiseRow(firstTap: number, row: string): string {
  return [
    depthwiseTap(firstTap, `(local.get ${row})`),
    depthwiseTap(firstTap + 1, `(i32.add (local.get ${row}) (local.get $depth8))`),
    depthwiseTap(firstTap + 2, `(i32.add (local.get ${row}) (local.get $depth16))`),
  ].join("");
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const INT8_CONV_WAT = `
(module
  (import "env" "memory" (memory 1))

  ;; 1x1 convolution over pixels x depth int8 input at $in: output pixels x channels at $out.
  ;; $wide: scratch for the input widened to int16, rows padded to an even depth (and to a multiple of 4 rows).
  ;; $weights: per group of 8 channels, per pair of input channels k, k+1: int16 (w[c][k], w[c][k+1]) for c in
  ;; the group, 32 bytes. Tiles of 4 pixels x 8 channels: an input pair is splat and dotted with both weight halves.
  (func (export "pointwise")
    (param $in i32) (param $wide i32) (param $out i32) (param $weights i32) (param $params i32)
    (param $pixels i32) (param $depth i32) (param $channels i32)
    (param $outZero i32) (param $min i32) (param $max i32)
    (local $rowBytes i32) (local $row2 i32) (local $row3 i32) (local $src i32) (local $dst i32) (local $end i32)
    (local $pixel i32) (local $group i32) (local $q i32) (local $w i32) (local $wGroup i32) (local $x i32)
    (local $o i32)
    ${range(8)
      .map((i) => `(local $c${i} v128)`)
      .join(" ")}
    (local $w0 v128) (local $w1 v128) (local $x0 v128)
    ${REQUANT_LOCALS}
    ${SPLAT_OUTPUT_RANGE}
    (local.set $rowBytes (i32.shl (i32.and (i32.add (local.get $depth) (i32.const 1)) (i32.const -2)) (i32.const 1)))
    (local.set $row2 (i32.shl (local.get $rowBytes) (i32.const 1)))
    (local.set $row3 (i32.add (local.get $row2) (local.get $rowBytes)))
    ;; Widen, 8 values at a time: a row's last chunk spills into the next row, which is written after it.
    (local.set $pixel (i32.const 0))
    (loop $widen
      (local.set $src (i32.add (local.get $in) (i32.mul (local.get $pixel) (local.get $depth))))
      (local.set $dst (i32.add (local.get $wide) (i32.mul (local.get $pixel) (local.get $rowBytes))))
      (local.set $end (i32.add (local.get $src) (local.get $depth)))
      (loop $chunk
        (v128.store (local.get $dst) (v128.load8x8_s (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br_if $chunk (i32.lt_u (local.get $src) (local.get $end))))
      (local.set $pixel (i32.add (local.get $pixel) (i32.const 1)))
      (br_if $widen (i32.lt_u (local.get $pixel) (local.get $pixels))))
    (local.set $group (i32.shr_u (i32.add (local.get $channels) (i32.const 7)) (i32.const 3)))
    (loop $groups
      (local.set $group (i32.sub (local.get $group) (i32.const 1)))
      (local.set $q (i32.add (local.get $params) (i32.mul (local.get $group) (i32.const ${REQUANT_GROUP_BYTES}))))
      (local.set $wGroup (i32.add (local.get $weights) (i32.mul (local.get $group) (i32.shl (local.get $rowBytes) (i32.const 3)))))
      (local.set $pixel (i32.const 0))
      (loop $tiles
        (local.set $x (i32.add (local.get $wide) (i32.mul (local.get $pixel) (local.get $rowBytes))))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $w (local.get $wGroup))
        ${range(8)
          .map((i) => `(local.set $c${i} (v128.const i64x2 0 0))`)
          .join(" ")}
        (loop $pairs
          (local.set $w0 (v128.load (local.get $w)))
          (local.set $w1 (v128.load offset=16 (local.get $w)))
          ${tileStep(0, "")}${tileStep(1, "$rowBytes")}${tileStep(2, "$row2")}${tileStep(3, "$row3")}
          (local.set $w (i32.add (local.get $w) (i32.const 32)))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (br_if $pairs (i32.lt_u (local.get $x) (local.get $end))))
        (local.set $o (i32.add (local.get $out)
          (i32.add (i32.mul (local.get $pixel) (local.get $channels)) (i32.shl (local.get $group) (i32.const 3)))))
        ${range(4).map(tileStore).join("")}
        (local.set $pixel (i32.add (local.get $pixel) (i32.const 4)))
        (br_if $tiles (i32.lt_u (local.get $pixel) (local.get $pixels))))
      (br_if $groups (local.get $group))))

  ;; 3x3 depthwise convolution (no dilation) of an inHeight x inWidth x inChannels int8 input into channels =
  ;; inChannels x multiplier. The input is first copied into $plane with one plane channel per output channel
  ;; (each input value repeated multiplier times), padded to a multiple of 8, and the border holding the input
  ;; zero point, so every window is inside and the folded bias accounts for the padding taps. Channels are the
  ;; lanes: 8 per group, widened to int16, times the group's 9 int16x8 tap vectors at $weights.
  (func (export "depthwise3x3")
    (param $in i32) (param $plane i32) (param $out i32) (param $weights i32) (param $params i32)
    (param $inHeight i32) (param $inWidth i32) (param $inChannels i32) (param $multiplier i32)
    (param $channels i32) (param $outHeight i32) (param $outWidth i32)
    (param $strideH i32) (param $strideW i32) (param $padH i32) (param $padW i32)
    (param $inZero i32) (param $outZero i32) (param $min i32) (param $max i32)
    (local $depth8 i32) (local $depth16 i32) (local $planeWidth i32) (local $planeHeight i32) (local $rowStride i32)
    (local $rows i32) (local $cols i32) (local $y i32) (local $x i32) (local $src i32) (local $dst i32)
    (local $group i32) (local $q i32) (local $p i32) (local $p1 i32) (local $p2 i32) (local $o i32) (local $step i32)
    (local $rowOut i32) (local $ic i32) (local $value i32) (local $from i32) (local $to i32)
    ${range(9)
      .map((i) => `(local $k${i} v128)`)
      .join(" ")}
    (local $c0 v128) (local $c1 v128) (local $x0 v128)
    ${REQUANT_LOCALS}
    ${SPLAT_OUTPUT_RANGE}
    (local.set $depth8 (i32.and (i32.add (local.get $channels) (i32.const 7)) (i32.const -8)))
    (local.set $depth16 (i32.shl (local.get $depth8) (i32.const 1)))
    (local.set $planeWidth (i32.add (i32.mul (i32.sub (local.get $outWidth) (i32.const 1)) (local.get $strideW)) (i32.const 3)))
    (local.set $planeHeight (i32.add (i32.mul (i32.sub (local.get $outHeight) (i32.const 1)) (local.get $strideH)) (i32.const 3)))
    (local.set $rowStride (i32.mul (local.get $planeWidth) (local.get $depth8)))
    (memory.fill (local.get $plane) (local.get $inZero) (i32.mul (local.get $planeHeight) (local.get $rowStride)))
    ;; Rows and columns no window reads (an output smaller than the padding implies) are left out.
    (local.set $rows (i32.sub (local.get $planeHeight) (local.get $padH)))
    (local.set $rows (select (local.get $rows) (local.get $inHeight) (i32.lt_s (local.get $rows) (local.get $inHeight))))
    (local.set $cols (i32.sub (local.get $planeWidth) (local.get $padW)))
    (local.set $cols (select (local.get $cols) (local.get $inWidth) (i32.lt_s (local.get $cols) (local.get $inWidth))))
    (local.set $y (i32.const 0))
    (block $copied
      (br_if $copied (i32.le_s (local.get $cols) (i32.const 0)))
      (loop $copyRows
        (br_if $copied (i32.ge_s (local.get $y) (local.get $rows)))
        (local.set $src (i32.add (local.get $in) (i32.mul (i32.mul (local.get $y) (local.get $inWidth)) (local.get $inChannels))))
        (local.set $dst (i32.add (local.get $plane)
          (i32.add (i32.mul (i32.add (local.get $y) (local.get $padH)) (local.get $rowStride))
                   (i32.mul (local.get $padW) (local.get $depth8)))))
        (if (i32.and (i32.eq (local.get $multiplier) (i32.const 1)) (i32.eq (local.get $channels) (local.get $depth8)))
          (then (memory.copy (local.get $dst) (local.get $src) (i32.mul (local.get $cols) (local.get $channels))))
          (else
            (local.set $x (i32.const 0))
            (loop $copyPixels
              (if (i32.eq (local.get $multiplier) (i32.const 1))
                (then (memory.copy (local.get $dst) (local.get $src) (local.get $channels)))
                (else
                  ;; Output channel ic * multiplier + m reads input channel ic: repeat each input value.
                  (local.set $ic (i32.const 0))
                  (loop $inChannels
                    (local.set $value (i32.load8_u (i32.add (local.get $src) (local.get $ic))))
                    (local.set $from (i32.add (local.get $dst) (i32.mul (local.get $ic) (local.get $multiplier))))
                    (local.set $to (i32.add (local.get $from) (local.get $multiplier)))
                    (if (i32.and (local.get $multiplier) (i32.const 7))
                      (then
                        (loop $bytes
                          (i32.store8 (local.get $from) (local.get $value))
                          (local.set $from (i32.add (local.get $from) (i32.const 1)))
                          (br_if $bytes (i32.lt_u (local.get $from) (local.get $to)))))
                      (else
                        (local.set $x0 (i8x16.splat (local.get $value)))
                        (loop $eights
                          (v128.store64_lane 0 (local.get $from) (local.get $x0))
                          (local.set $from (i32.add (local.get $from) (i32.const 8)))
                          (br_if $eights (i32.lt_u (local.get $from) (local.get $to))))))
                    (local.set $ic (i32.add (local.get $ic) (i32.const 1)))
                    (br_if $inChannels (i32.lt_u (local.get $ic) (local.get $inChannels))))))
              (local.set $src (i32.add (local.get $src) (local.get $inChannels)))
              (local.set $dst (i32.add (local.get $dst) (local.get $depth8)))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (br_if $copyPixels (i32.lt_s (local.get $x) (local.get $cols))))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $copyRows)))
    (local.set $step (i32.mul (local.get $strideW) (local.get $depth8)))
    (local.set $group (i32.shr_u (local.get $depth8) (i32.const 3)))
    (loop $groups
      (local.set $group (i32.sub (local.get $group) (i32.const 1)))
      (local.set $q (i32.add (local.get $params) (i32.mul (local.get $group) (i32.const ${REQUANT_GROUP_BYTES}))))
      (local.set $p (i32.add (local.get $weights) (i32.mul (local.get $group) (i32.const ${DEPTHWISE_GROUP_WEIGHT_BYTES}))))
      ${range(9)
        .map((i) => `(local.set $k${i} (v128.load offset=${16 * i} (local.get $p)))`)
        .join("\n      ")}
      (local.set $y (i32.const 0))
      (loop $outRows
        (local.set $p (i32.add (local.get $plane)
          (i32.add (i32.mul (i32.mul (local.get $y) (local.get $strideH)) (local.get $rowStride))
                   (i32.shl (local.get $group) (i32.const 3)))))
        (local.set $o (i32.add (local.get $out)
          (i32.add (i32.mul (i32.mul (local.get $y) (local.get $outWidth)) (local.get $channels))
                   (i32.shl (local.get $group) (i32.const 3)))))
        (local.set $rowOut (i32.add (local.get $o) (i32.mul (local.get $outWidth) (local.get $channels))))
        (loop $outPixels
          (local.set $p1 (i32.add (local.get $p) (local.get $rowStride)))
          (local.set $p2 (i32.add (local.get $p1) (local.get $rowStride)))
          (local.set $c0 (v128.const i64x2 0 0))
          (local.set $c1 (v128.const i64x2 0 0))
          ${depthwiseRow(0, "$p")}${depthwiseRow(3, "$p1")}${depthwiseRow(6, "$p2")}
          ${storeEight("$c0", "$c1")}
          (local.set $p (i32.add (local.get $p) (local.get $step)))
          (local.set $o (i32.add (local.get $o) (local.get $channels)))
          (br_if $outPixels (i32.lt_u (local.get $o) (local.get $rowOut))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br_if $outRows (i32.lt_u (local.get $y) (local.get $outHeight))))
      (br_if $groups (local.get $group))))
)
`;
