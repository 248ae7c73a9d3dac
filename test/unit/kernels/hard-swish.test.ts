/**
 * HARD_SWISH checks from TFLM kernels/hard_swish_test.cc (test names kept): the same std::minstd_rand inputs,
 * compared with the float reference formula within TFLM's tolerances; plus exact int8 values at ±3.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { hardSwish } from "../../../src/kernels/hard-swish.js";
import { runKernel } from "../../support/kernel-harness.js";
import {
  dequantizeValues,
  quantizeValues,
  scaleFromMinMax,
  zeroPointFromMinMax,
} from "../../support/quantize-values.js";

/** std::minstd_rand (default seed 1) feeding GenerateUniformRandomVector, in float32 like the C++ test. */
function uniformGenerator() {
  let state = 1;
  const f = Math.fround;
  const inverseModulus = f(1 / f(2147483647));
  return (size: number, min: number, max: number): number[] =>
    Array.from({ length: size }, () => {
      state = (state * 48271) % 2147483647;
      return f(min + f(f(max - min) * f(f(state) * inverseModulus)));
    });
}

/** EvalTestReferenceHardSwish. */
function referenceHardSwish(x: number): number {
  const f = Math.fround;
  return f(f(x * Math.min(6, Math.max(0, f(x + 3)))) * f(1 / 6));
}

test("SimpleHardSwishTestFloat", () => {
  const input = uniformGenerator()(100, -10, 10);
  const { outputs } = runKernel(hardSwish, {
    inputs: [{ dtype: "float32", shape: [100], data: input }],
    outputs: [{ dtype: "float32", shape: [100] }],
  });
  Array.from(outputs[0] as Float32Array).forEach((v, i) => {
    assert.ok(Math.abs(v - referenceHardSwish(input[i]!)) <= 1e-5, `element ${i}`);
  });
});

test("SimpleHardSwishTestInt8", () => {
  const generate = uniformGenerator();
  const pairs = [
    [-0.375, 1, -0.375, 1],
    [-2, 1, -0.375, 1],
    [-5, 10, -0.375, 10],
    [-40, 60, -0.375, 60],
  ];
  for (const [inMin, inMax, outMin, outMax] of pairs as [number, number, number, number][]) {
    const inScale = scaleFromMinMax("int8", inMin, inMax);
    const inZp = zeroPointFromMinMax("int8", inMin, inMax);
    const outScale = scaleFromMinMax("int8", outMin, outMax);
    const outZp = zeroPointFromMinMax("int8", outMin, outMax);
    const tolerance = Math.max(inMax - inMin, outMax - outMin) * (1.5 / 256);
    const input = generate(101, inMin, inMax);
    const { outputs } = runKernel(hardSwish, {
      inputs: [
        {
          dtype: "int8",
          shape: [1, 101],
          data: quantizeValues(input, inScale, inZp, "int8"),
          scale: inScale,
          zeroPoint: inZp,
        },
      ],
      outputs: [{ dtype: "int8", shape: [1, 101], scale: outScale, zeroPoint: outZp }],
    });
    dequantizeValues(outputs[0] as Int8Array, outScale, outZp).forEach((v, i) => {
      const expected = Math.min(outMax, Math.max(outMin, referenceHardSwish(input[i]!)));
      assert.ok(Math.abs(v - expected) <= tolerance, `range [${inMin}, ${inMax}] element ${i}: ${v} vs ${expected}`);
    });
  }
});

test("int8 hard swish is 0 at -3 and below, x at +3 and above (as TFLM's reference gives)", () => {
  const { outputs } = runKernel(hardSwish, {
    inputs: [{ dtype: "int8", shape: [5], data: [-128, -30, 0, 30, 60], scale: 0.1, zeroPoint: 0 }],
    outputs: [{ dtype: "int8", shape: [5], scale: 0.1, zeroPoint: 0 }],
  });
  assert.deepEqual(Array.from(outputs[0] as Float32Array), [0, 0, 0, 30, 60]);
});
