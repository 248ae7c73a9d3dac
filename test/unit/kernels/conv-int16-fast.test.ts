/**
 * The 16x8 CONV_2D fast path (conv-2d-int16-fast.ts) against the reference loops (the same layer with weights
 * known only at eval), byte for byte, on random layers: odd sizes and channel counts, strides, dilations, SAME
 * and VALID padding, outputs larger than the padding implies, int64 biases up to 2^46 (past the unsplit
 * requantization's 2^37 bound), no bias, every requantization shift. Each test fails unless the fast path was
 * really taken, and the arena scratch is filled with junk first so an unzeroed border would show.
 */
import assert from "node:assert/strict";
import test from "node:test";
import { type ConvPrepared, conv2d } from "../../../src/kernels/conv-2d.js";
import type { Kernel } from "../../../src/runtime/kernel.js";
import { runKernel, type TensorSpec } from "../../support/kernel-harness.js";
import { type Random, randomScale, seededRandom } from "./conv-test-support.js";

/** conv2d, recording what its prepare chose and dirtying the scratch before every eval. */
function probed() {
  const seen: { prepared: ConvPrepared | null } = { prepared: null };
  const wrapped: Kernel<ConvPrepared, unknown> = {
    ...(conv2d as Kernel<ConvPrepared, unknown>),
    prepare(ctx) {
      seen.prepared = conv2d.prepare(ctx);
      return seen.prepared;
    },
    eval(p, io, state) {
      for (const buffer of io.scratch) buffer.fill(0x5a);
      return conv2d.eval(p, io, state as never);
    },
  };
  return { wrapped, seen };
}

interface Layer {
  batches: number;
  height: number;
  width: number;
  depth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padding: "SAME" | "VALID";
  /** Extra output rows/columns beyond what the padding implies (their windows run off the image). */
  extra: number;
  /** TFLM's exponent per output channel when given, else random output scales. */
  shifts?: number[];
}

function outputExtent(padding: string, size: number, filter: number, stride: number, dilation: number): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === "SAME" ? Math.ceil(size / stride) : Math.floor((size - effective) / stride) + 1;
}

function compare(r: Random, layer: Layer): void {
  const { batches, height, width, depth, outChannels, filterHeight, filterWidth, padding } = layer;
  const outH = outputExtent(padding, height, filterHeight, layer.strideH, layer.dilationH) + layer.extra;
  const outW = outputExtent(padding, width, filterWidth, layer.strideW, layer.dilationW) + layer.extra;
  if (outH < 1 || outW < 1) return;
  const inputScale = randomScale(r, 0.001);
  const spread = r.pick([3, 300, 32767]);
  const inputValues = Array.from({ length: batches * height * width * depth }, () =>
    Math.max(-32768, Math.min(32767, r.int(-spread - 1, spread))),
  );
  const taps = filterHeight * filterWidth * depth;
  const accumulator = 64 * spread * Math.sqrt(taps);
  const outputScale = Math.fround(
    r.next() < 0.8
      ? (inputScale * 0.01 * Math.max(1, accumulator)) / 2 ** (r.next() * 14)
      : (inputScale * 0.01) / 2 ** (r.next() * 40 - 30),
  );
  const filterScales = layer.shifts
    ? layer.shifts.map((s) => Math.fround((0.75 * 2 ** s * outputScale) / inputScale))
    : Array.from({ length: outChannels }, () => randomScale(r, 0.01));
  const biasSpread = r.pick([0, 1000, 2 ** 30, 2 ** 37, 2 ** 46]);
  const bias: TensorSpec | null =
    r.next() < 0.15
      ? null
      : {
          dtype: "int64",
          shape: [outChannels],
          data: Array.from({ length: outChannels }, () => r.int(-biasSpread, biasSpread)),
          constant: true,
        };
  const filterShape = [outChannels, filterHeight, filterWidth, depth];
  const weights = Array.from({ length: outChannels * taps }, () => r.int(-127, 127));
  const activation = r.pick(["NONE", "RELU", "RELU6", "RELU_N1_TO_1"]);
  const run = (kernel: Kernel<ConvPrepared, unknown>, constant: boolean) =>
    runKernel(kernel, {
      opName: "CONV_2D",
      options: {
        padding,
        strideH: layer.strideH,
        strideW: layer.strideW,
        dilationHFactor: layer.dilationH,
        dilationWFactor: layer.dilationW,
        fusedActivationFunction: activation,
      },
      inputs: [
        { dtype: "int16", shape: [batches, height, width, depth], data: inputValues, scale: inputScale, zeroPoint: 0 },
        {
          dtype: "int8",
          shape: filterShape,
          data: weights,
          scale: filterScales,
          zeroPoint: 0,
          quantizedDimension: 0,
          constant,
        },
        bias,
      ],
      outputs: [{ dtype: "int16", shape: [batches, outH, outW, outChannels], scale: outputScale, zeroPoint: 0 }],
      invocations: 2,
    }).outputs[0] as Int16Array;
  const { wrapped, seen } = probed();
  const fast = run(wrapped, true);
  const label = JSON.stringify({ ...layer, shifts: layer.shifts ? "all" : "random", biasSpread, activation });
  assert.ok(seen.prepared?.int16Fast, `the int16 fast path was not taken: ${label}`);
  if (layer.shifts)
    assert.deepEqual([...seen.prepared.quant!.shifts], layer.shifts, "the shifts the layer was made for");
  const referenceProbe = probed();
  const reference = run(referenceProbe.wrapped, false);
  assert.equal(referenceProbe.seen.prepared?.int16Fast, null, "the reference run must not take the fast path");
  assert.deepEqual(fast, reference, `fast path vs reference: ${label}`);
}

function randomLayer(r: Random): Layer {
  return {
    batches: r.int(1, 2),
    height: r.int(1, 9),
    width: r.int(1, 13),
    depth: r.pick([1, 2, 3, 5, 8, 17]),
    outChannels: r.pick([1, 3, 4, 5, 8, 9, 13]),
    filterHeight: r.int(1, 4),
    filterWidth: r.int(1, 5),
    strideH: r.int(1, 3),
    strideW: r.int(1, 3),
    dilationH: r.pick([1, 1, 2, 3]),
    dilationW: r.pick([1, 1, 2, 3]),
    padding: r.pick(["SAME", "VALID"] as const),
    extra: r.pick([0, 0, 0, 1, 2]),
  };
}

test("16x8 CONV_2D fast path gives the reference's bytes on random layers", () => {
  const r = seededRandom(1616);
  for (let i = 0; i < 300; i++) {
    compare(r, randomLayer(r));
  }
});

test("16x8 CONV_2D fast path: every requantization shift from -31 to 30, one per output channel", () => {
  const shifts = Array.from({ length: 62 }, (_, i) => i - 31);
  const r = seededRandom(16);
  for (let i = 0; i < 12; i++) compare(r, { ...randomLayer(r), outChannels: shifts.length, shifts });
});
