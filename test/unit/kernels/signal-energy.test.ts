/** SignalEnergy against TFLM's signal/micro/kernels/energy_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KernelError } from "../../../src/errors.js";
import { signalEnergy } from "../../../src/kernels/signal-energy.js";
import { runKernel } from "../../support/kernel-harness.js";
import { hexBytes } from "./signal-test-support.js";

// energy_flexbuffers_generated_data.cc: {end_index, start_index}.
const START_2_END_4 = hexBytes(
  "73 74 61 72 74 5f 69 6e 64 65 78 00 65 6e 64 5f 69 6e 64 65 78 00 02 0b 18 02 01 02 04 02 04 04 04 24 01",
);
const START_0_END_4 = hexBytes(
  "73 74 61 72 74 5f 69 6e 64 65 78 00 65 6e 64 5f 69 6e 64 65 78 00 02 0b 18 02 01 02 04 00 04 04 04 24 01",
);
const START_4_END_8 = hexBytes(
  "73 74 61 72 74 5f 69 6e 64 65 78 00 65 6e 64 5f 69 6e 64 65 78 00 02 0b 18 02 01 02 08 04 04 04 04 24 01",
);

const SPECTRUM = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

function energy(options: Uint8Array, input: number[]) {
  return [
    ...runKernel(signalEnergy, {
      opName: "SignalEnergy",
      customOptions: options,
      inputs: [{ dtype: "int16", shape: [input.length], data: input }],
      outputs: [{ dtype: "uint32", shape: [input.length / 2] }],
    }).outputs[0]!,
  ];
}

describe("SignalEnergy", () => {
  test("EnergyTestMiddle", () => assert.deepEqual(energy(START_2_END_4, SPECTRUM), [0, 0, 61, 113, 0, 0, 0, 0]));
  test("EnergyTestStart", () => assert.deepEqual(energy(START_0_END_4, SPECTRUM), [5, 25, 61, 113, 0, 0, 0, 0]));
  test("EnergyTestEnd", () => assert.deepEqual(energy(START_4_END_8, SPECTRUM), [0, 0, 0, 0, 181, 265, 365, 481]));

  test("(-32768)² + (-32768)² wraps through int32 to 2^31 as uint32", () => {
    assert.deepEqual(energy(START_0_END_4, [-32768, -32768, 0, 0, 0, 0, 0, 0]), [2 ** 31, 0, 0, 0]);
  });

  test("rejects a bin range past the spectrum", () => {
    assert.throws(() => energy(START_4_END_8, SPECTRUM.slice(0, 8)), KernelError);
  });
});
