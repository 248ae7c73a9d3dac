/**
 * The server's tensor boundary (src/server/tensors.ts): flattening request values, batch detection, quantizing
 * real values, range checks on raw integers, binary tensors, dequantizing outputs — and the messages users see.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../src/errors.js";
import type { TensorSummary } from "../../src/index.js";
import {
  batchCount,
  dtypeOfOip,
  flattenNumbers,
  fromBinary,
  fromRaw,
  fromReal,
  oipDatatype,
  toReal,
} from "../../src/server/tensors.js";

const tensor = (
  dtype: TensorSummary["dtype"],
  shape: number[],
  scale: number | null = null,
  zeroPoint: number | null = null,
): TensorSummary => ({
  index: 0,
  name: "x",
  dtype,
  shape,
  scale,
  zeroPoint,
  byteLength: 0,
});

const rejects = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err: unknown) => err instanceof InputError && message.test(err.message));

describe("flattenNumbers", () => {
  test("flat and nested arrays, row-major", () => {
    assert.deepEqual(flattenNumbers([1, 2, 3], "x"), [1, 2, 3]);
    assert.deepEqual(
      flattenNumbers(
        [
          [1, 2],
          [3, [4, 5]],
        ],
        "x",
      ),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(flattenNumbers(7, "x"), [7]);
    assert.deepEqual(flattenNumbers([true, false], "x", true), [1, 0]);
  });
  test("rejects what is not a finite number, naming its position", () => {
    rejects(() => flattenNumbers([1, "2"], "input"), /input: value 1 is not a number \(got the string "2"\)/);
    rejects(() => flattenNumbers([[1], [null]], "input"), /value 1 is not a number \(got null\)/);
    rejects(
      () => flattenNumbers([1, Number.POSITIVE_INFINITY], "input"),
      /value 1 \(Infinity\) is not a finite number/,
    );
    rejects(() => flattenNumbers([true], "input"), /not a number \(got a boolean\)/);
    rejects(() => flattenNumbers("abc", "input"), /must be an array of numbers, got the string "abc"/);
    let deep: unknown = [1];
    for (let i = 0; i < 40; i++) deep = [deep];
    rejects(() => flattenNumbers(deep, "input"), /nested more than 32 levels/);
  });
});

describe("batchCount", () => {
  test("exact size is one; multiples of a batch-1 tensor are batches up to the limit", () => {
    const t = tensor("float32", [1, 4]);
    assert.equal(batchCount("m", t, 4, 8), 1);
    assert.equal(batchCount("m", t, 12, 8), 3);
    rejects(() => batchCount("m", t, 36, 8), /a batch of 9 inputs exceeds the limit of 8/);
    rejects(
      () => batchCount("m", t, 6, 8),
      /model "m" input "x" expects 4 values \(shape \[1,4\]\) or a multiple of 4 for a batch, got 6/,
    );
    rejects(() => batchCount("m", tensor("float32", [2, 2]), 8, 8), /expects 4 values \(shape \[2,2\]\), got 8/);
  });
});

describe("fromReal / fromRaw / fromBinary", () => {
  test("quantizes with scale and zero point, saturating", () => {
    const t = tensor("int8", [4], 0.5, 10);
    assert.deepEqual([...fromReal("m", t, [0, 1, 100, -100])], [10, 12, 127, -128]);
    const u = tensor("uint8", [2], 2, 128);
    assert.deepEqual([...fromReal("m", u, [-1000, 2])], [0, 129]);
    assert.ok(fromReal("m", tensor("float32", [2]), [0.1, 2]) instanceof Float32Array);
  });
  test("raw integers must be integers in the type's range", () => {
    assert.deepEqual([...fromRaw("m", tensor("int16", [2]), [-32768, 32767])], [-32768, 32767]);
    rejects(
      () => fromRaw("m", tensor("int8", [2]), [1, 128]),
      /model "m" input "x": value 1 \(128\) is not an int8 integer in \[-128, 127\]/,
    );
    rejects(() => fromRaw("m", tensor("int32", [1]), [0.5]), /value 0 \(0.5\) is not an int32 integer/);
    rejects(() => fromReal("m", tensor("int32", [1]), [0.5]), /is not an int32 integer/);
    assert.deepEqual([...(fromRaw("m", tensor("int64", [1]), [-5]) as BigInt64Array)], [-5n]);
  });
  test("binary little-endian bytes", () => {
    const f = new Float32Array([1.5, -2]);
    const bytes = new Uint8Array(f.buffer);
    assert.deepEqual([...fromBinary("m", tensor("float32", [2]), "FP32", bytes)], [1.5, -2]);
    assert.deepEqual([...fromBinary("m", tensor("int8", [2], 0.5, 0), "FP32", bytes)], [3, -4]);
    rejects(() => fromBinary("m", tensor("bool", [2]), "BOOL", new Uint8Array([1, 2])), /value 1 is not a BOOL/);
    rejects(
      () => fromBinary("m", tensor("float32", [2]), "FP32", bytes.subarray(0, 7)),
      /not a whole number of FP32 elements/,
    );
  });
});

describe("outputs and datatypes", () => {
  test("toReal dequantizes quantized outputs only", () => {
    assert.deepEqual([...toReal(tensor("int8", [2], 1 / 256, -128), new Int8Array([-128, 127]))], [0, 255 / 256]);
    assert.deepEqual([...toReal(tensor("int32", [2]), new Int32Array([3, -3]))], [3, -3]);
  });
  test("datatype names both ways", () => {
    for (const [dtype, name] of [
      ["float32", "FP32"],
      ["int8", "INT8"],
      ["bool", "BOOL"],
      ["uint16", "UINT16"],
      ["int64", "INT64"],
    ] as const) {
      assert.equal(oipDatatype(dtype), name);
      assert.equal(dtypeOfOip(name), dtype);
    }
    assert.equal(dtypeOfOip("FP33"), null);
  });
});
