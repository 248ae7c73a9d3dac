/** EXP golden from TFLM kernels/exp_test.cc (SingleDim): float32 against std::exp within 1e-5. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { exp } from "../../../src/kernels/exp.js";
import { runKernel } from "../../support/kernel-harness.js";

test("SingleDim", () => {
  const input = [0.0, 1.0, -1.0, 100.0, -100.0, 0.01, -0.01];
  const { outputs } = runKernel(exp, {
    inputs: [{ dtype: "float32", shape: [1, 7], data: input }],
    outputs: [{ dtype: "float32", shape: [1, 7] }],
  });
  const golden = input.map((x) => Math.fround(Math.exp(Math.fround(x))));
  // TFLM's EXPECT_NEAR accepts equal values first, which is how exp(100) = inf passes.
  Array.from(outputs[0] as Float32Array).forEach((v, i) => {
    assert.ok(v === golden[i] || Math.abs(v - golden[i]!) <= 1e-5, `element ${i}`);
  });
  // exp(100) overflows float32 to infinity, as std::exp(float) does.
  assert.equal((outputs[0] as Float32Array)[3], Number.POSITIVE_INFINITY);
});

test("EXP supports float32 only, as TFLM", () => {
  assert.throws(
    () =>
      runKernel(exp, {
        inputs: [{ dtype: "int8", shape: [1], data: [0], scale: 0.1, zeroPoint: 0 }],
        outputs: [{ dtype: "int8", shape: [1], scale: 0.1, zeroPoint: 0 }],
      }),
    /EXP: input type int8 is not supported \(float32\)/,
  );
});
