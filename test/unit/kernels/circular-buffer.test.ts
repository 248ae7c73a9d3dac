/**
 * CIRCULAR_BUFFER against TFLM's kernels/circular_buffer_test.cc goldens (options bytes from
 * circular_buffer_flexbuffers_generated_data.cc). "Status ok" there is `ranThisInvocation` here; kTfLiteAbort is false.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encode } from "flatbuffers/js/flexbuffers.js";
import { KernelError } from "../../../src/errors.js";
import { type CircularBufferState, circularBuffer } from "../../../src/kernels/circular-buffer.js";
import type { AnyKernel } from "../../../src/runtime/kernel.js";
import { type KernelRun, runKernel } from "../../support/kernel-harness.js";

/** g_gen_data_circular_buffer_config: {cycles_max: 1}. */
const CYCLES_MAX_1 = new Uint8Array([
  0x63, 0x79, 0x63, 0x6c, 0x65, 0x73, 0x5f, 0x6d, 0x61, 0x78, 0x00, 0x01, 0x0c, 0x01, 0x01, 0x01, 0x01, 0x04, 0x02,
  0x24, 0x01,
]);

interface Step {
  output: number[];
  ran: boolean;
}

/**
 * Invokes the op once per input frame; `resetBefore` lists invocations preceded by a session reset.
 */
function stream(
  depth: number,
  slots: number,
  frames: number[][],
  customOptions?: Uint8Array,
  resetBefore: number[] = [],
) {
  const ran: boolean[] = [];
  let call = 0;
  const feeding: AnyKernel = {
    prepare: (ctx) => circularBuffer.prepare(ctx),
    createState: (p) => circularBuffer.createState!(p),
    eval(p, io, state: CircularBufferState) {
      if (resetBefore.includes(call)) circularBuffer.resetState!(p, state);
      (io.inputs[0] as Int8Array).set(frames[call++]!);
      circularBuffer.eval(p, io, state);
      ran.push(state.ranThisInvocation);
    },
  };
  const { history } = runKernel(feeding, {
    opName: "CIRCULAR_BUFFER",
    customOptions,
    inputs: [{ dtype: "int8", shape: [1, 1, 1, depth], scale: 1, zeroPoint: 0 }],
    outputs: [{ dtype: "int8", shape: [1, slots, 1, depth], scale: 1, zeroPoint: 0, isVariable: true }],
    invocations: frames.length,
  });
  return history.map(([out], k): Step => ({ output: [...(out as Int8Array)], ran: ran[k]! }));
}

/** Frame i holds i*depth+1 .. (i+1)*depth, as in TFLM's tests. */
const framesOf = (depth: number, count: number) =>
  Array.from({ length: count }, (_, i) => Array.from({ length: depth }, (_, j) => i * depth + j + 1));

const GOLDENS_4 = [
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3],
  [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6],
  [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
];

describe("CIRCULAR_BUFFER (TFLM goldens)", () => {
  test("OutputTensorLength4: without options a 4-slot buffer runs every other invocation", () => {
    const steps = stream(3, 4, framesOf(3, 5));
    assert.deepEqual(
      steps.map((s) => s.output),
      GOLDENS_4,
    );
    assert.deepEqual(
      steps.map((s) => s.ran),
      [false, true, false, true, false],
    );
  });

  test("OutputTensorOnEveryIterationLength4: cycles_max 1 runs every invocation", () => {
    const steps = stream(3, 4, framesOf(3, 5), CYCLES_MAX_1);
    assert.deepEqual(
      steps.map((s) => s.output),
      GOLDENS_4,
    );
    assert.deepEqual(
      steps.map((s) => s.ran),
      [true, true, true, true, true],
    );
  });

  test("OutputTensorLength5: a 5-slot buffer without options runs every invocation", () => {
    const steps = stream(4, 5, framesOf(4, 6));
    assert.deepEqual(
      steps.map((s) => s.output),
      [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
      ],
    );
    assert.ok(steps.every((s) => s.ran));
  });

  test("Reset: the countdown restarts from cycles_max", () => {
    const steps = stream(1, 2, [[0], [0], [0]], undefined, [1]);
    assert.deepEqual(
      steps.map((s) => s.ran),
      [false, false, true],
    );
  });
});

describe("CIRCULAR_BUFFER details", () => {
  test("reset also empties the window to the zero point", () => {
    const steps = stream(
      2,
      2,
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      CYCLES_MAX_1,
      [2],
    );
    assert.deepEqual(
      steps.map((s) => s.output),
      [
        [0, 0, 1, 2],
        [1, 2, 3, 4],
        [0, 0, 5, 6],
      ],
    );
  });

  test("cycles_max from options built with the flexbuffers builder", () => {
    const steps = stream(1, 3, [[1], [2], [3], [4], [5], [6]], encode({ cycles_max: 3 }));
    assert.deepEqual(
      steps.map((s) => s.ran),
      [false, false, true, false, false, true],
    );
  });

  test("the fifth unconfigured [.., 2, 96] buffer runs every invocation (TFLM's streaming-model rule)", () => {
    const prepare = (shape: number[]) =>
      runKernel(circularBuffer, {
        inputs: [{ dtype: "int8", shape: [1, 1, shape[2]!, shape[3]!] }],
        outputs: [{ dtype: "int8", shape }],
      });
    prepare([1, 5, 1, 1]); // a 5-slot buffer restarts TFLM's count
    const periods: number[] = [];
    const spy: AnyKernel = {
      prepare(ctx) {
        const p = circularBuffer.prepare(ctx);
        periods.push(p.period);
        return p;
      },
      eval() {},
    };
    const shapes = [
      [1, 3, 1, 1],
      [1, 3, 1, 1],
      [1, 3, 1, 1],
      [1, 3, 1, 1],
      [1, 3, 2, 96],
    ];
    for (const shape of shapes) {
      runKernel(spy, {
        inputs: [{ dtype: "int8", shape: [1, 1, shape[2]!, shape[3]!] }],
        outputs: [{ dtype: "int8", shape }],
      });
    }
    assert.deepEqual(periods, [2, 2, 2, 2, 1]);
  });
});

describe("CIRCULAR_BUFFER validation", () => {
  const good = (): KernelRun => ({
    customOptions: CYCLES_MAX_1,
    inputs: [{ dtype: "int8", shape: [1, 1, 1, 3] }],
    outputs: [{ dtype: "int8", shape: [1, 4, 1, 3] }],
  });
  const rejects = (name: string, change: (r: KernelRun) => void, pattern: RegExp) =>
    test(name, () => {
      const r = good();
      change(r);
      assert.throws(
        () => runKernel(circularBuffer, r),
        (e: unknown) => e instanceof KernelError && pattern.test(e.message),
      );
    });

  test("the unchanged node runs", () => {
    assert.doesNotThrow(() => runKernel(circularBuffer, good()));
  });
  rejects(
    "float32",
    (r) => {
      r.inputs[0]!.dtype = "float32";
      r.outputs[0]!.dtype = "float32";
    },
    /not supported/,
  );
  rejects("mismatched types", (r) => (r.outputs[0]!.dtype = "uint8"), /differs/);
  rejects("rank 3", (r) => (r.inputs[0]!.shape = [1, 1, 3]), /rank 4/);
  rejects("two input slots", (r) => (r.inputs[0]!.shape = [1, 2, 1, 3]), /one slot/);
  rejects("depth mismatch", (r) => (r.inputs[0]!.shape = [1, 1, 1, 4]), /one slot/);
  rejects("no slots", (r) => (r.outputs[0]!.shape = [1, 0, 1, 3]), /no slots/);
  rejects("missing input", (r) => (r.inputs[0] = null), /missing/);
  rejects("truncated options", (r) => (r.customOptions = CYCLES_MAX_1.subarray(0, 19)), /flexbuffer/);
  rejects("options that are a number", (r) => (r.customOptions = encode(7)), /not a map or vector/);
});

test("in a model, the ops after CIRCULAR_BUFFER run only when it completes (TFLM's kTfLiteAbort)", async () => {
  const { writeModel } = await import("../../../src/format/writer.js");
  const { Model } = await import("../../../src/index.js");
  const q = { scale: [1], zeroPoint: [0] };
  const bytes = writeModel({
    subgraphs: [
      {
        tensors: [
          { dtype: "int8", shape: [1, 1, 1, 2], quantization: q },
          { dtype: "int8", shape: [1, 3, 1, 2], quantization: q },
          { dtype: "int8", shape: [1, 6], quantization: q },
        ],
        inputs: [0],
        outputs: [2],
        operators: [
          {
            opName: "CIRCULAR_BUFFER",
            isCustom: true,
            inputs: [0],
            outputs: [1],
            customOptions: encode({ cycles_max: 2 }),
          },
          { opName: "RESHAPE", inputs: [1], outputs: [2] },
        ],
      },
    ],
  });
  const session = Model.fromBytes(bytes).createSession();
  const completed: boolean[] = [];
  const seen: number[][] = [];
  for (let frame = 1; frame <= 4; frame++) {
    session.setInput(0, [frame, -frame]);
    session.invoke();
    completed.push(session.completed);
    seen.push([...(session.output(0) as Int8Array)]);
  }
  assert.deepEqual(completed, [false, true, false, true]);
  assert.deepEqual(seen[1], [0, 0, 1, -1, 2, -2]);
  assert.deepEqual(seen[3], [2, -2, 3, -3, 4, -4]);
});
