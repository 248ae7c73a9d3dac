/**
 * The .tflite writer: whatever it writes, the reader reads back unchanged — a hand-built model using every
 * feature, and every model of the TFLM oracle read, rewritten and read again — and it refuses descriptions that
 * would make an unreadable file, with messages that say why.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ModelFormatError } from "../../src/errors.js";
import type { ModelDef } from "../../src/format/model.js";
import { readModel } from "../../src/format/reader.js";
import { type WriterModel, writeModel } from "../../src/format/writer.js";
import { loadManifest, oraclePath, readBytes, sharedUnavailable } from "../support/shared.js";

/** A ModelDef without what depends on file layout (sizes, buffer numbering). */
function layoutFree(def: ModelDef) {
  return {
    schemaVersion: def.schemaVersion,
    description: def.description,
    metadata: def.metadata,
    subgraphs: def.subgraphs.map((g) => ({ ...g, tensors: g.tensors.map(({ buffer: _, ...t }) => t) })),
  };
}

const everything: WriterModel = {
  description: "writer test",
  subgraphs: [
    {
      name: "main",
      tensors: [
        { name: "x", dtype: "int8", shape: [1, 3], quantization: { scale: [0.5], zeroPoint: [-3] } },
        {
          name: "w",
          dtype: "int8",
          shape: [2, 3],
          data: new Int8Array([1, -2, 3, -4, 5, -6]),
          quantization: { scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 0 },
        },
        { name: "b", dtype: "int32", shape: [2], data: new Int32Array([100, -100]) },
        { name: "h", dtype: "int8", shape: [1, 2], quantization: { scale: [0.25], zeroPoint: [1] } },
        { name: "state", dtype: "int16", shape: [4], isVariable: true },
        { name: "dyn", dtype: "float32", shape: [1, 2], shapeSignature: [-1, 2] },
        { name: "big", dtype: "float64", shape: [2], data: new Float64Array([Math.PI, -Math.E]) },
      ],
      inputs: [0],
      outputs: [3, 5],
      operators: [
        {
          opName: "FULLY_CONNECTED",
          opVersion: 4,
          inputs: [0, 1, 2],
          outputs: [3],
          options: { fusedActivationFunction: "RELU6", keepNumDims: true },
        },
        {
          opName: "CONV_2D",
          opVersion: 3,
          inputs: [0, 1, -1],
          outputs: [5],
          intermediates: [4],
          options: { padding: "VALID", strideW: 2, strideH: 3, dilationHFactor: 2 },
        },
        { opName: "RESHAPE", inputs: [5], outputs: [5], options: { newShape: [1, -1] } },
        { opName: "SOFTMAX", inputs: [3], outputs: [3], options: { beta: 0.5 } },
        { opName: "STABLEHLO_COMPOSITE", inputs: [3], outputs: [3] },
        {
          opName: "SignalWindow",
          isCustom: true,
          opVersion: 2,
          inputs: [0, -1],
          outputs: [3],
          customOptions: new Uint8Array([9, 8, 7]),
        },
        { opName: "RELU", inputs: [3], outputs: [3] },
      ],
    },
    { name: "second", tensors: [{ dtype: "float32", shape: [1] }], inputs: [0], outputs: [0], operators: [] },
  ],
  metadata: [{ name: "min_runtime_version", data: new TextEncoder().encode("1.5.0\0\0\0") }],
};

describe("writeModel", () => {
  test("writes a file the reader reads back, every field intact", () => {
    const def = readModel(writeModel(everything));
    assert.equal(def.description, "writer test");
    const [main, second] = def.subgraphs;
    assert.equal(main!.name, "main");
    assert.equal(second!.name, "second");
    const t = main!.tensors;
    assert.deepEqual(t[0]!.quantization, { scale: [0.5], zeroPoint: [-3], quantizedDimension: 0 });
    assert.deepEqual([...new Int8Array(t[1]!.data!.buffer, t[1]!.data!.byteOffset, 6)], [1, -2, 3, -4, 5, -6]);
    assert.deepEqual(
      t[1]!.quantization!.scale.map((s) => Math.fround(s)),
      [Math.fround(0.1), Math.fround(0.2)],
    );
    assert.deepEqual([...new Int32Array(t[2]!.data!.buffer, t[2]!.data!.byteOffset, 2)], [100, -100]);
    assert.equal(t[4]!.isVariable, true);
    assert.equal(t[4]!.data, null);
    assert.deepEqual(t[5]!.shapeSignature, [-1, 2]);
    assert.deepEqual([...new Float64Array(t[6]!.data!.buffer, t[6]!.data!.byteOffset, 2)], [Math.PI, -Math.E]);
    const ops = main!.operators;
    assert.equal(ops[0]!.opVersion, 4);
    assert.equal(ops[0]!.options.fusedActivationFunction, "RELU6");
    assert.equal(ops[0]!.options.keepNumDims, true);
    assert.deepEqual(
      [
        ops[1]!.options.padding,
        ops[1]!.options.strideW,
        ops[1]!.options.strideH,
        ops[1]!.options.dilationHFactor,
        ops[1]!.options.dilationWFactor,
      ],
      ["VALID", 2, 3, 2, 1],
    );
    assert.deepEqual(ops[1]!.inputs, [0, 1, -1]);
    assert.deepEqual(ops[1]!.intermediates, [4]);
    assert.deepEqual(ops[2]!.options.newShape, [1, -1]);
    assert.equal(ops[3]!.options.beta, 0.5);
    assert.equal(ops[4]!.opName, "STABLEHLO_COMPOSITE");
    assert.deepEqual([ops[5]!.opName, ops[5]!.isCustom, ops[5]!.opVersion], ["SignalWindow", true, 2]);
    assert.deepEqual([...ops[5]!.customOptions!], [9, 8, 7]);
    assert.equal(ops[6]!.optionsTable, "NONE");
    assert.equal(def.metadata[0]!.name, "min_runtime_version");
  });

  test("constant buffers are 16-byte aligned in the file", () => {
    const bytes = writeModel(everything);
    const def = readModel(bytes);
    // Find each constant's bytes in the file and check where they start.
    for (const t of def.subgraphs[0]!.tensors.filter((x) => x.data && x.data.byteLength >= 8)) {
      const needle = Buffer.from(t.data!);
      const at = Buffer.from(bytes).indexOf(needle);
      assert.ok(at >= 0 && at % 16 === 0, `${t.name} at offset ${at}`);
    }
  });

  test("is deterministic", () => {
    assert.deepEqual(writeModel(everything), writeModel(everything));
  });

  const invalid: [string, WriterModel, RegExp][] = [
    ["no subgraphs", { subgraphs: [] }, /no subgraphs/],
    [
      "an input index out of range",
      { subgraphs: [{ tensors: [], inputs: [0], outputs: [], operators: [] }] },
      /inputs: tensor index 0 out of range/,
    ],
    [
      "data of the wrong size",
      {
        subgraphs: [
          {
            tensors: [{ dtype: "float32", shape: [2], data: new Float32Array(3) }],
            inputs: [],
            outputs: [],
            operators: [],
          },
        ],
      },
      /tensor 0: data has 12 bytes but shape \[2\] of float32 needs 8/,
    ],
    [
      "an unknown op",
      {
        subgraphs: [
          {
            tensors: [{ dtype: "float32", shape: [1] }],
            inputs: [0],
            outputs: [0],
            operators: [{ opName: "FLY", inputs: [0], outputs: [0] }],
          },
        ],
      },
      /operator 0: unknown builtin operator FLY/,
    ],
    [
      "an option its table lacks",
      {
        subgraphs: [
          {
            tensors: [{ dtype: "float32", shape: [1] }],
            inputs: [0],
            outputs: [0],
            operators: [{ opName: "SOFTMAX", inputs: [0], outputs: [0], options: { alpha: 1 } }],
          },
        ],
      },
      /SoftmaxOptions has no option "alpha"/,
    ],
    [
      "an enum value out of its enum",
      {
        subgraphs: [
          {
            tensors: [{ dtype: "float32", shape: [1] }],
            inputs: [0],
            outputs: [0],
            operators: [
              { opName: "FULLY_CONNECTED", inputs: [0], outputs: [0], options: { fusedActivationFunction: "SWISH" } },
            ],
          },
        ],
      },
      /fusedActivationFunction is "SWISH", not one of/,
    ],
  ];
  for (const [name, model, message] of invalid) {
    test(`refuses ${name}`, () => {
      assert.throws(
        () => writeModel(model),
        (err: unknown) => err instanceof ModelFormatError && message.test(err.message),
      );
    });
  }
});

const skip = sharedUnavailable();
describe("round trip of the TFLM oracle's models", { skip: skip ?? false }, () => {
  if (skip) return;
  const files = [...new Set(Object.values(loadManifest().models).map((m) => m.file))];
  test(`read → write → read gives the same description (${files.length} models)`, () => {
    for (const file of files) {
      const original = readModel(readBytes(oraclePath(file)));
      const again = readModel(writeModel(original));
      assert.deepEqual(layoutFree(again), layoutFree(original), file);
    }
  });
});
