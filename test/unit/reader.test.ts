/**
 * The verifying reader: a well-formed model reads back as written, and malformed, truncated or hostile files
 * end in a ModelFormatError whose message says what is wrong. Hostile files are crafted field by field with the
 * flatbuffers Builder, so each test breaks exactly one thing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Builder } from "flatbuffers";
import { writeModel } from "../../src/format/writer.js";
import { Model, ModelFormatError, readModel, UnsupportedOpError } from "../../src/index.js";

interface CraftTensor {
  shape: number[];
  type?: number;
  buffer?: number;
}
interface CraftOptions {
  version?: number;
  tensors?: CraftTensor[];
  inputs?: number[];
  outputs?: number[];
  operators?: { opcode: number; inputs: number[]; outputs: number[] }[];
  opcodes?: number[];
  buffers?: (number[] | null)[];
}

/** Builds a schema-v3 file from raw field values, valid or not. */
function craft(o: CraftOptions = {}): Uint8Array {
  const b = new Builder(256);
  const intVector = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addInt32(xs[i]!);
    return b.endVector();
  };
  const tableVector = (offsets: number[]) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
    return b.endVector();
  };
  const tensors = (o.tensors ?? [{ shape: [1, 4] }, { shape: [1, 4] }]).map((t) => {
    const shape = intVector(t.shape);
    b.startObject(10);
    b.addFieldOffset(0, shape, 0);
    b.addFieldInt8(1, t.type ?? 0, -1);
    b.addFieldInt32(2, t.buffer ?? 0, -1);
    return b.endObject();
  });
  const operators = (o.operators ?? [{ opcode: 0, inputs: [0], outputs: [1] }]).map((op) => {
    const ins = intVector(op.inputs);
    const outs = intVector(op.outputs);
    b.startObject(14);
    b.addFieldInt32(0, op.opcode, -1);
    b.addFieldOffset(1, ins, 0);
    b.addFieldOffset(2, outs, 0);
    return b.endObject();
  });
  const subgraph = (() => {
    const t = tableVector(tensors);
    const i = intVector(o.inputs ?? [0]);
    const out = intVector(o.outputs ?? [1]);
    const ops = tableVector(operators);
    b.startObject(6);
    b.addFieldOffset(0, t, 0);
    b.addFieldOffset(1, i, 0);
    b.addFieldOffset(2, out, 0);
    b.addFieldOffset(3, ops, 0);
    return b.endObject();
  })();
  const opcodes = (o.opcodes ?? [22 /* RESHAPE */]).map((code) => {
    b.startObject(4);
    b.addFieldInt32(3, code, -1);
    return b.endObject();
  });
  const buffers = (o.buffers ?? [null]).map((data) => {
    const d = data ? b.createByteVector(new Uint8Array(data)) : 0;
    b.startObject(3);
    if (d) b.addFieldOffset(0, d, 0);
    return b.endObject();
  });
  const subgraphs = tableVector([subgraph]);
  const opcodeVec = tableVector(opcodes);
  const bufferVec = tableVector(buffers);
  b.startObject(8);
  b.addFieldInt32(0, o.version ?? 3, -1);
  b.addFieldOffset(1, opcodeVec, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(4, bufferVec, 0);
  b.finish(b.endObject(), "TFL3");
  return b.asUint8Array().slice();
}

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => readModel(bytes),
    (err: unknown) => {
      assert.ok(err instanceof ModelFormatError, `expected ModelFormatError, got ${String(err)}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe("readModel", () => {
  test("reads a crafted, well-formed model", () => {
    const def = readModel(craft());
    assert.equal(def.schemaVersion, 3);
    const g = def.subgraphs[0]!;
    assert.deepEqual(g.tensors[0]!.shape, [1, 4]);
    assert.equal(g.tensors[0]!.dtype, "float32");
    assert.equal(g.operators[0]!.opName, "RESHAPE");
    assert.deepEqual(g.inputs, [0]);
  });

  test("round-trips what the writer writes, options and quantization included", () => {
    const weights = new Int8Array([1, -2, 3, -4, 5, -6, 7, -8]);
    const bytes = writeModel({
      description: "round trip",
      subgraphs: [
        {
          tensors: [
            { name: "x", dtype: "int8", shape: [1, 4], quantization: { scale: [0.5], zeroPoint: [-3] } },
            {
              name: "w",
              dtype: "int8",
              shape: [2, 4],
              data: weights,
              quantization: { scale: [0.25, 0.125], quantizedDimension: 0 },
            },
            { name: "y", dtype: "int8", shape: [1, 2], quantization: { scale: [1], zeroPoint: [2] } },
          ],
          inputs: [0],
          outputs: [2],
          operators: [
            {
              opName: "FULLY_CONNECTED",
              inputs: [0, 1, -1],
              outputs: [2],
              options: { fusedActivationFunction: "RELU" },
            },
          ],
        },
      ],
    });
    const def = readModel(bytes);
    assert.equal(def.description, "round trip");
    const [x, w] = def.subgraphs[0]!.tensors;
    assert.deepEqual(x!.quantization, { scale: [0.5], zeroPoint: [-3], quantizedDimension: 0 });
    assert.deepEqual([...new Int8Array(w!.data!.buffer, w!.data!.byteOffset, 8)], [...weights]);
    assert.deepEqual(w!.quantization!.scale, [0.25, 0.125]);
    const op = def.subgraphs[0]!.operators[0]!;
    assert.deepEqual(op.inputs, [0, 1, -1]);
    assert.equal(op.options.fusedActivationFunction, "RELU");
    assert.equal(op.options.keepNumDims, false);
  });

  test("rejects files too short or without the TFL3 identifier", () => {
    rejects(new Uint8Array(4), /too short/);
    const bytes = craft();
    bytes[4] = "X".charCodeAt(0);
    rejects(bytes, /not a TFLite model: file identifier is "XFL3"/);
  });

  test("rejects every truncation of a valid model", () => {
    const bytes = craft();
    for (let len = 0; len < bytes.length; len++) {
      assert.throws(() => readModel(bytes.subarray(0, len)), ModelFormatError, `truncated to ${len} bytes`);
    }
  });

  test("names a buffer index out of range", () => {
    rejects(
      craft({ tensors: [{ shape: [1], buffer: 40 }, { shape: [1] }] }),
      /tensor 0: buffer 40 out of range \(1 buffers\)/,
    );
  });

  test("names a tensor index out of range in an operator and in the subgraph", () => {
    rejects(
      craft({ operators: [{ opcode: 0, inputs: [7], outputs: [1] }] }),
      /operator 0: input tensor 7 out of range \(2 tensors\)/,
    );
    rejects(craft({ outputs: [5] }), /outputs: output tensor 5 out of range \(2 tensors\)/);
  });

  test("names an opcode index out of range and an unknown builtin", () => {
    rejects(
      craft({ operators: [{ opcode: 3, inputs: [0], outputs: [1] }] }),
      /operator 0: opcode index 3 out of range \(1 opcodes\)/,
    );
    rejects(craft({ opcodes: [9999] }), /operator code 0: unknown builtin operator 9999/);
  });

  test("rejects negative dimensions, unknown types and oversized tensors", () => {
    rejects(craft({ tensors: [{ shape: [1, -4] }, { shape: [1] }] }), /tensor 0: negative dimension -4/);
    rejects(craft({ tensors: [{ shape: [1], type: 99 }, { shape: [1] }] }), /tensor 0: unknown tensor type 99/);
    rejects(
      craft({ tensors: [{ shape: [65536, 65536, 16] }, { shape: [1] }] }),
      /tensor 0: shape \[65536,65536,16\] of float32 needs 274877906944 bytes, over the limit/,
    );
  });

  test("rejects constant data whose size does not match the shape", () => {
    rejects(
      craft({ tensors: [{ shape: [2], type: 9, buffer: 1 }, { shape: [1] }], buffers: [null, [1, 2, 3]] }),
      /tensor 0: buffer 1 holds 3 bytes but shape \[2\] of int8 needs 2/,
    );
  });

  test("rejects other schema versions", () => {
    rejects(craft({ version: 2 }), /schema version 2 is not supported/);
  });

  test("rejects a vector whose length runs past the end of the file", () => {
    const bytes = craft();
    const view = new DataView(bytes.buffer);
    // The tensor shape vector [1, 4] is the first int vector written; find its length word and inflate it.
    for (let p = 0; p + 12 <= bytes.length; p += 4) {
      if (view.getUint32(p, true) === 2 && view.getInt32(p + 4, true) === 1 && view.getInt32(p + 8, true) === 4) {
        view.setUint32(p, 0x3fffffff, true);
        rejects(bytes, /exceeds the file|outside the file/);
        return;
      }
    }
    assert.fail("shape vector not found in the crafted model");
  });
});

describe("Model.fromBytes", () => {
  test("rejects an op with no kernel, naming it and listing what is supported", () => {
    assert.throws(
      () => Model.fromBytes(craft({ opcodes: [10 /* HASHTABLE_LOOKUP: not in TFLM */] })),
      (err: unknown) => {
        assert.ok(err instanceof UnsupportedOpError);
        assert.match(err.message, /no kernel: HASHTABLE_LOOKUP\. Supported: .*CONV_2D/);
        return true;
      },
    );
  });

  test("plans the arena by lifetime: a chain reuses memory", () => {
    // Four chained RESHAPEs over [1,1024] float32 tensors need two live buffers at a time, not five.
    const tensors = Array.from({ length: 5 }, () => ({ dtype: "float32" as const, shape: [1, 1024] }));
    const bytes = writeModel({
      subgraphs: [
        {
          tensors,
          inputs: [0],
          outputs: [4],
          operators: [0, 1, 2, 3].map((i) => ({ opName: "RESHAPE", inputs: [i], outputs: [i + 1] })),
        },
      ],
    });
    const model = Model.fromBytes(bytes);
    assert.equal(model.arenaBytes, 2 * 4096);
    const out = model.createSession().run([Float32Array.from({ length: 1024 }, (_, i) => i)]);
    assert.equal(out[0]![1023], 1023);
  });
});

test("reads a model whose weights exceed the object limit (bytes are not objects)", () => {
  const weights = new Float32Array(2_000_000);
  const bytes = writeModel({
    subgraphs: [
      {
        tensors: [
          { dtype: "float32", shape: [1, 2_000_000] },
          { dtype: "float32", shape: [1, 2_000_000], data: weights },
          { dtype: "float32", shape: [1, 2_000_000] },
        ],
        inputs: [0],
        outputs: [2],
        operators: [{ opName: "ADD", inputs: [0, 1], outputs: [2] }],
      },
    ],
  });
  assert.equal(readModel(bytes).subgraphs[0]!.tensors[1]!.data!.byteLength, 8_000_000);
});
