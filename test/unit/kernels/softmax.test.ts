/**
 * SOFTMAX goldens from TFLM kernels/softmax_test.cc (test names kept): float within 1e-5, quantized within
 * the test's tolerances (1 unit; 7 for int16 3-D/4-D). The "exact" tests pin the bytes TFLM's reference
 * kernels (reference_ops::Softmax / SoftmaxInt16) produce for the same quantized inputs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { roundHalfAway } from "../../../src/kernels/fixed-point.js";
import { lookupInt16Table, populateInt16Table, softmax } from "../../../src/kernels/softmax.js";
import { runKernel } from "../../support/kernel-harness.js";

const f = Math.fround;

const INPUT_1D = [1.0, 2.0, 3.0, 4.0, 5.0];
const GOLDEN_1D = [0.011656231, 0.031684921, 0.086128544, 0.234121657, 0.636408647];
const INPUT_2D = [1.0, 2.0, 3.0, 4.0, 5.0, -1.0, -2.0, -3.0, -4.0, -5.0];
const GOLDEN_2D = [...GOLDEN_1D, ...[...GOLDEN_1D].reverse()];
// prettier-ignore
const INPUT_3D = [
  3, 6, -5, 4, -9, -10, -10, -8, 2, 2, 8, -5, -8, 5, -6, -8, 6, 1, -10, -8, 7, 6, -10, -4, -5, 2, 7, 9, -9, 7, -4, -2,
  8, 2, 2, 3, 6, 6, 2, 4, 9, 7, -7, 0, 4, -3, 8, 8, -3, -4, -9, -9, 4, -8, -1, -10, -2, 6, -7, 0,
];
// prettier-ignore
const GOLDEN_3D = [
  0.042009463, 0.843782625, 0.000014093, 0.114193561, 0.000000258, 0.000003072, 0.000003072, 0.000022699, 0.499985578,
  0.499985578, 0.952571219, 0.000002153, 0.000000107, 0.047425728, 0.000000792, 0.000000826, 0.993305397, 0.006692839,
  0.000000112, 0.000000826, 0.731046347, 0.268936922, 0.00000003, 0.00001221, 0.000004492, 0.000717124, 0.106430599,
  0.786421666, 0.000000012, 0.106430599, 0.000006114, 0.000045174, 0.995015917, 0.002466398, 0.002466398, 0.022595176,
  0.453836234, 0.453836234, 0.008312301, 0.061420055, 0.875505904, 0.118486839, 0.000000099, 0.000108046, 0.005899112,
  0.000008351, 0.499990113, 0.499990113, 0.000008351, 0.000003072, 0.000002245, 0.000002245, 0.993296627, 0.000006103,
  0.00669278, 0.000000112, 0.00033452, 0.997191323, 0.000002254, 0.00247179,
];
// prettier-ignore
const INPUT_4D_SECOND = [
  -9, -8, 6, -1, -5, -10, -5, -10, 7, -2, -5, -4, 1, 2, 2, -2, -2, 1, 1, -4, -8, -3, 1, 1, -1, -2, 6, -1, -5, 6, -7, 8,
  9, 0, 9, -9, -5, -2, 0, 8, 4, 2, -3, 5, 8, -1, 1, -4, -9, 7, 3, -8, 0, 9, -4, 8, -1, 9, -9, 1,
];
// prettier-ignore
const GOLDEN_4D_SECOND = [
  0.000000306, 0.000000831, 0.999071142, 0.000911035, 0.000016686, 0.000000041, 0.000006143, 0.000000041, 0.99987038,
  0.000123394, 0.000384554, 0.001045327, 0.155140254, 0.421714933, 0.421714933, 0.023637081, 0.023637081, 0.474763454,
  0.474763454, 0.003198931, 0.000057299, 0.008503973, 0.464301197, 0.464301197, 0.062836334, 0.000167625, 0.499684188,
  0.000455653, 0.000008346, 0.499684188, 0.000000048, 0.155354299, 0.422296769, 0.000052116, 0.422296769, 0.000000041,
  0.000002259, 0.000045383, 0.000335334, 0.999616982, 0.017107856, 0.002315297, 0.0000156, 0.046503973, 0.934057274,
  0.000334516, 0.002471755, 0.000016655, 0.000000112, 0.997176963, 0.002472313, 0.000000041, 0.000123089, 0.997402302,
  0.000002254, 0.268866557, 0.000033181, 0.730855076, 0.000000011, 0.000245175,
];
const INPUT_4D = [...INPUT_3D, ...INPUT_4D_SECOND];
const GOLDEN_4D = [...GOLDEN_3D, ...GOLDEN_4D_SECOND];

const SHAPES: [string, number[], number[], number[]][] = [
  ["1D", [5], INPUT_1D, GOLDEN_1D],
  ["2D", [2, 5], INPUT_2D, GOLDEN_2D],
  ["3D", [3, 4, 5], INPUT_3D, GOLDEN_3D],
  ["4D", [2, 3, 4, 5], INPUT_4D, GOLDEN_4D],
];

/** test_helpers' FloatToQuantizedType: round(value / scale) + zero point, clamped to the type. */
function quantize(values: number[], scale: number, zeroPoint: number, min: number, max: number): number[] {
  return values.map((v) => Math.min(max, Math.max(min, roundHalfAway(f(v / f(scale))) + zeroPoint)));
}

interface QuantizedSide {
  dtype: DType;
  scale: number;
  zeroPoint: number;
}

function runSoftmax(shape: number[], input: number[], inSide: QuantizedSide | null, outSide: QuantizedSide | null) {
  const { outputs } = runKernel(softmax, {
    opName: "SOFTMAX",
    options: { beta: 1 },
    inputs: [inSide ? { ...inSide, shape, data: input } : { dtype: "float32", shape, data: input }],
    outputs: [outSide ? { ...outSide, shape } : { dtype: "float32", shape }],
  });
  return Array.from(outputs[0] as Float32Array);
}

function assertNear(actual: number[], expected: number[], tolerance: number) {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]!) <= tolerance, `element ${i}: ${a} vs ${expected[i]} (±${tolerance})`);
  });
}

const INT8_IN = { dtype: "int8", scale: 0.1, zeroPoint: 0 } as const;
const INT16_IN = { dtype: "int16", scale: 0.1, zeroPoint: 0 } as const;
const INT8_OUT = { dtype: "int8", scale: 1 / 256, zeroPoint: -128 } as const;
const INT16_OUT = { dtype: "int16", scale: 1 / 32768, zeroPoint: 0 } as const;
const INT16_OUT_OF_INT8 = { dtype: "int16", scale: 1 / 65536, zeroPoint: -32768 } as const;

for (const [name, shape, input, golden] of SHAPES) {
  test(`Softmax${name}FloatShouldMatchGolden`, () => {
    assertNear(runSoftmax(shape, input, null, null), golden, 1e-5);
  });

  test(`Softmax${name}QuantizedInt8ShouldMatchGolden`, () => {
    const q = quantize(input, 0.1, 0, -128, 127);
    assertNear(runSoftmax(shape, q, INT8_IN, INT8_OUT), quantize(golden, 1 / 256, -128, -128, 127), 1);
  });

  test(`Softmax${name}QuantizedInt16ShouldMatchGolden`, () => {
    const q = quantize(input, 0.1, 0, -32768, 32767);
    const tolerance = shape.length >= 3 ? 7 : 1;
    assertNear(runSoftmax(shape, q, INT16_IN, INT16_OUT), quantize(golden, 1 / 32768, 0, -32768, 32767), tolerance);
  });
}

test("Softmax2DQuantizedInt8InputInt16OutputShouldMatchGolden", () => {
  const q = quantize(INPUT_2D, 0.1, 0, -128, 127);
  const expected = quantize(GOLDEN_2D, 1 / 65536, -32768, -32768, 32767);
  assertNear(runSoftmax([2, 5], q, INT8_IN, INT16_OUT_OF_INT8), expected, 1);
});

test("exact: int8 → int8 and int8 → int16 bytes match TFLM's reference kernel", () => {
  const q = quantize(INPUT_2D, 0.1, 0, -128, 127);
  assert.deepEqual(runSoftmax([2, 5], q, INT8_IN, INT8_OUT), [-125, -120, -106, -68, 35, 35, -68, -106, -120, -125]);
  assert.deepEqual(
    runSoftmax([2, 5], q, INT8_IN, INT16_OUT_OF_INT8),
    [-32004, -30692, -27123, -17425, 8940, 8940, -17425, -27123, -30692, -32004],
  );
});

test("exact: int16 → int16 bytes match TFLM's reference kernel", () => {
  const q = quantize(INPUT_3D.slice(0, 20), 0.1, 0, -32768, 32767);
  assert.deepEqual(
    runSoftmax([4, 5], q, INT16_IN, INT16_OUT),
    [1377, 27646, 2, 3742, 2, 1, 1, 1, 16383, 16383, 31207, 2, 2, 1555, 2, 2, 32543, 220, 2, 2],
  );
});

test("int16 tables match TFLM's LUTPopulate at their ends and midpoint", () => {
  const exp = populateInt16Table(f(10 / 65535), 32767, f(2 / 65535), 0, (x) => f(Math.exp(x)));
  const recip = populateInt16Table(f(1 / 65535), -32768, f(2 / 65535), 0, (x) => f(1 / f(1 + x)));
  assert.deepEqual([exp[0], exp[1], exp[256], exp[511], exp[512]], [2, 2, 221, 32133, 32767]);
  assert.deepEqual([recip[0], recip[256], recip[512]], [32767, 21845, 16384]);
  // Interpolation between entries: the last exp segment runs from 32133 to 32767 over 128 steps.
  assert.equal(lookupInt16Table(32767, exp), 32133 + ((634 * 127 + 64) >> 7));
});

test("rejects output quantization TFLM does not accept", () => {
  assert.throws(
    () => runSoftmax([2], [0, 0], INT8_IN, { dtype: "int8", scale: 1 / 128, zeroPoint: -128 }),
    /SOFTMAX: int8 output must have scale 1\/256 and zero point -128/,
  );
  assert.throws(
    () => runSoftmax([2], [0, 0], INT16_IN, { dtype: "int16", scale: 1 / 32768, zeroPoint: 5 }),
    /zero point 0/,
  );
  assert.throws(() => runSoftmax([2], [0, 0], { dtype: "int32", scale: 1, zeroPoint: 0 }, null), /int32/);
});
