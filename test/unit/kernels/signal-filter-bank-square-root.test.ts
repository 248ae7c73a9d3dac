/** SignalFilterBankSquareRoot against TFLM's signal/micro/kernels/filter_bank_square_root_test.cc goldens. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalFilterBankSquareRoot } from "../../../src/kernels/signal-filter-bank-square-root.js";
import { runKernel } from "../../support/kernel-harness.js";

function squareRoot(input: bigint[], scaleBits: number): number[] {
  return [
    ...runKernel(signalFilterBankSquareRoot, {
      opName: "SignalFilterBankSquareRoot",
      inputs: [
        { dtype: "uint64", shape: [input.length], data: input },
        { dtype: "int32", shape: [], data: [scaleBits] },
      ],
      outputs: [{ dtype: "uint32", shape: [input.length] }],
    }).outputs[0]!,
  ].map(Number);
}

describe("SignalFilterBankSquareRoot", () => {
  test("FilterBankSquareRoot32Channel", () => {
    const input = [
      10528000193n,
      28362909357n,
      47577133750n,
      8466055850n,
      5842710800n,
      2350911449n,
      2989811430n,
      2646718839n,
      515262774n,
      276394561n,
      469831522n,
      55815334n,
      28232446n,
      11591835n,
      40329249n,
      67658028n,
      183446654n,
      323189165n,
      117473797n,
      41339272n,
      25846050n,
      12428673n,
      18670978n,
      22521722n,
      78477733n,
      54207503n,
      25150296n,
      43098592n,
      28211625n,
      15736687n,
      20990296n,
      17907031n,
    ];
    const golden = [
      801, 1315, 1704, 718, 597, 378, 427, 401, 177, 129, 169, 58, 41, 26, 49, 64, 105, 140, 84, 50, 39, 27, 33, 37, 69,
      57, 39, 51, 41, 30, 35, 33,
    ];
    assert.deepEqual(squareRoot(input, 7), golden);
  });

  test("FilterBankSquareRoot16Channel", () => {
    const input = [
      13051415151n,
      14932650877n,
      18954728418n,
      8730126017n,
      6529665275n,
      12952546517n,
      10314975609n,
      8919697835n,
      8053663348n,
      17231208421n,
      7366899760n,
      1372112200n,
      19953434807n,
      17012385332n,
      4710443222n,
      17765594053n,
    ];
    const golden = [3570, 3818, 4302, 2919, 2525, 3556, 3173, 2951, 2804, 4102, 2682, 1157, 4414, 4076, 2144, 4165];
    assert.deepEqual(squareRoot(input, 5), golden);
  });

  test("rounds to nearest; below 2^32 the 16-bit path saturates at 0xFFFF, above it the 64-bit path does not", () => {
    // 2 → 1.41 → 1; 3 → 1.73 → 2; 2^32 − 1 → 65535.99998, held at 0xFFFF by Sqrt32; 2^32 → 65536.
    // (2^32 − 1)² + 2^32 − 1 has remainder exactly the root, so it stays; one more rounds up to 2^32, kept.
    const big = (2n ** 32n - 1n) ** 2n;
    assert.deepEqual(
      squareRoot([2n, 3n, 2n ** 32n - 1n, 2n ** 32n, big + 2n ** 32n - 1n, big + 2n ** 32n, 2n ** 64n - 1n], 0),
      [1, 2, 0xffff, 65536, 0xffffffff, 0xffffffff, 0xffffffff],
    );
  });
});
