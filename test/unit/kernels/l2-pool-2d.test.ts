/** L2_POOL_2D goldens from TFLM kernels/l2_pool_2d_test.cc (test names kept; defaults VALID, 2×2, stride 2). */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DType } from "../../../src/format/model.js";
import { l2Pool2d } from "../../../src/kernels/l2-pool-2d.js";
import { runKernel } from "../../support/kernel-harness.js";
import { assertNear } from "./more-ops-test-support.js";

const INPUT = [0, 6, 2, 4, 3, 2, 10, 7];
const NEGATIVE = [-1, -6, 2, 4, -3, -2, 10, 7];
const SMALL = [-0.1, -0.6, 2, 4, -0.3, -0.2, 10, 7];

function run(
  input: number[],
  outputShape: number[],
  options: Record<string, unknown> = {},
  dtype: DType = "float32",
): Float32Array {
  const { outputs } = runKernel(l2Pool2d, {
    options: { padding: "VALID", strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, ...options },
    inputs: [{ dtype, shape: [1, 2, 4, 1], data: input }],
    outputs: [{ dtype, shape: outputShape }],
  });
  return outputs[0] as Float32Array;
}

test("FloatPoolingOpTestL2Pool / L2PoolPaddingSame", () => {
  assertNear(run(INPUT, [1, 1, 2, 1]), [3.5, 6.5], 1e-5);
  assertNear(run(INPUT, [1, 1, 2, 1], { padding: "SAME" }), [3.5, 6.5], 1e-5);
});

test("FloatPoolingOpTestL2PoolActivationRelu / Relu1 / Relu6", () => {
  assertNear(run(NEGATIVE, [1, 1, 2, 1], { fusedActivationFunction: "RELU" }), [3.53553, 6.5], 1e-5);
  assertNear(run(SMALL, [1, 1, 2, 1], { fusedActivationFunction: "RELU_N1_TO_1" }), [0.353553, 1.0], 1e-5);
  assertNear(run(SMALL, [1, 1, 2, 1], { fusedActivationFunction: "RELU6" }), [0.353553, 6.0], 1e-5);
});

test("FloatPoolingOpTestL2PoolPaddingSameStride1 / PaddingValidStride1", () => {
  assertNear(
    run(INPUT, [1, 2, 4, 1], { padding: "SAME", strideW: 1, strideH: 1 }),
    [3.5, 6.0, 6.5, 5.70088, 2.54951, 7.2111, 8.63134, 7.0],
    1e-4,
  );
  assertNear(run(INPUT, [1, 1, 3, 1], { strideW: 1, strideH: 1 }), [3.5, 6.0, 6.5], 1e-5);
});

test("results are float32 sqrt of the float32 mean of squares", () => {
  // (0² + 6² + 3² + 2²) / 4 = 12.25 → 3.5 exactly.
  assert.equal(run(INPUT, [1, 1, 2, 1])[0], 3.5);
});

test("non-float types, bad options and a wrong output extent are rejected", () => {
  assert.throws(() => run([0, 6, 2, 4, 3, 2, 10, 7], [1, 1, 2, 1], {}, "int8"), /int8 is not supported/);
  assert.throws(() => run(INPUT, [1, 1, 2, 1], { strideW: 0 }), /must be positive/);
  assert.throws(() => run(INPUT, [1, 1, 3, 1]), /padding rule gives 1×2/);
});
