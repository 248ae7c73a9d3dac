/** SignalFilterBankLog against TFLM's signal/micro/kernels/filter_bank_log_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalFilterBankLog } from "../../../src/kernels/signal-filter-bank-log.js";
import { runKernel } from "../../support/kernel-harness.js";
import { hexBytes } from "./signal-test-support.js";

// filter_bank_log_flexbuffers_generated_data.cc: {input_correction_bits, output_scale}.
const SCALE_1600_BITS_3 = hexBytes(
  "6f 75 74 70 75 74 5f 73 63 61 6c 65 00 69 6e 70 75 74 5f 63 6f 72 72 65 63 74 69 6f 6e 5f 62 69 74 73 00 02 17 " +
    "25 02 00 01 00 02 00 03 00 40 06 05 05 06 25 01",
);
const SCALE_32768_BITS_5 = hexBytes(
  "6f 75 74 70 75 74 5f 73 63 61 6c 65 00 69 6e 70 75 74 5f 63 6f 72 72 65 63 74 69 6f 6e 5f 62 69 74 73 00 02 17 " +
    "25 00 00 04 00 00 00 01 00 00 00 02 00 00 00 05 00 00 00 00 80 00 00 06 06 0a 26 01",
);

function log(options: Uint8Array, input: number[]): number[] {
  return [
    ...runKernel(signalFilterBankLog, {
      opName: "SignalFilterBankLog",
      customOptions: options,
      inputs: [{ dtype: "uint32", shape: [input.length], data: input }],
      outputs: [{ dtype: "int16", shape: [input.length] }],
    }).outputs[0]!,
  ].map(Number);
}

describe("SignalFilterBankLog", () => {
  test("FilterBankLogTest32Channel", () => {
    const input = [
      29, 21, 29, 40, 19, 11, 13, 23, 13, 11, 25, 17, 5, 4, 46, 14, 17, 14, 20, 14, 10, 10, 15, 11, 17, 12, 15, 16, 19,
      18, 6, 2,
    ];
    const golden = [
      8715, 8198, 8715, 9229, 8038, 7164, 7431, 8344, 7431, 7164, 8477, 7860, 5902, 5545, 9453, 7550, 7860, 7550, 8120,
      7550, 7011, 7011, 7660, 7164, 7860, 7303, 7660, 7763, 8038, 7952, 6194, 4436,
    ];
    assert.deepEqual(log(SCALE_1600_BITS_3, input), golden);
  });

  test("FilterBankLogTest16Channel saturates at int16", () => {
    const input = [48, 20, 19, 24, 35, 47, 23, 30, 31, 10, 48, 21, 46, 14, 18, 27];
    const golden = [
      32767, 15121, 13440, 21095, 32767, 32767, 19701, 28407, 29482, 32767, 32767, 16720, 32767, 3434, 11669, 24955,
    ];
    assert.deepEqual(log(SCALE_32768_BITS_5, input), golden);
  });

  test("values that scale to 0 or 1 give 0; ln(2^31) at scale 1600 follows the table", () => {
    // 0 << 3 = 0 and the uint32 shift of 2^29 wraps to 0; 2^28 << 3 = 2^31 → 1600·31·ln 2 ≈ 34380 → saturates.
    assert.deepEqual(log(SCALE_1600_BITS_3, [0, 2 ** 29, 2 ** 28]), [0, 0, 32767]);
  });
});
