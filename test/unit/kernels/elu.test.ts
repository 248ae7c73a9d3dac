/** ELU goldens from TFLM kernels/elu_test.cc (FloatActivationsOpTestElu, QuantizedActivationsOpTestEluInt8). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { elu } from "../../../src/kernels/elu.js";
import { runKernel } from "../../support/kernel-harness.js";
import { scaleFromMinMax, zeroPointFromMinMax } from "../../support/quantize-values.js";
import { assertNear, dequantize, quantize } from "./more-ops-test-support.js";

test("FloatActivationsOpTestElu", () => {
  const { outputs } = runKernel(elu, {
    inputs: [{ dtype: "float32", shape: [1, 2, 4, 1], data: [0, -6, 2, -4, 3, -2, 10, -0.1] }],
    outputs: [{ dtype: "float32", shape: [1, 2, 4, 1] }],
  });
  assertNear(outputs[0]!, [0.0, -0.997521, 2.0, -0.981684, 3.0, -0.864665, 10.0, -0.0951626], 1e-5);
});

test("QuantizedActivationsOpTestEluInt8", () => {
  const min = 8 * -1;
  const max = 8 * (127 / 128);
  const scale = scaleFromMinMax("int8", min, max);
  const zeroPoint = zeroPointFromMinMax("int8", min, max);
  const { outputs } = runKernel(elu, {
    inputs: [
      {
        dtype: "int8",
        shape: [1, 2, 4, 1],
        data: quantize([0, -6, 2, -4, 3, -2, 6, -0.1], scale, zeroPoint),
        scale,
        zeroPoint,
      },
    ],
    outputs: [{ dtype: "int8", shape: [1, 2, 4, 1], scale, zeroPoint }],
  });
  const golden = [0, -1.0, 2.0, -1, 3.0, -0.875, 6.0, -0.125];
  assertNear(dequantize(outputs[0]!, scale, zeroPoint), golden, 2 * (1 / 256));
  // Exact table values (scale 1/16): exp(-6) - 1 rounds to -16, exp(-0.125) - 1 to -2.
  assert.deepEqual([...outputs[0]!], [0, -16, 32, -16, 48, -14, 96, -2]);
});

test("ELU rejects int16, as TFLM (float32, int8)", () => {
  assert.throws(
    () =>
      runKernel(elu, {
        inputs: [{ dtype: "int16", shape: [1], data: [0], scale: 1 }],
        outputs: [{ dtype: "int16", shape: [1], scale: 1 }],
      }),
    /ELU: input type int16 is not supported \(float32, int8\)/,
  );
});
