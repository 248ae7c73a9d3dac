/**
 * TFLite_Detection_PostProcess against TFLM's kernels/detection_postprocess_test.cc goldens (options bytes from
 * detection_postprocess_flexbuffers_generated_data.cc), plus ordering, quantized-input and validation cases.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encode } from "flatbuffers/js/flexbuffers.js";
import { KernelError } from "../../../src/errors.js";
import { detectionPostprocess } from "../../../src/kernels/detection-postprocess.js";
import { type KernelRun, runKernel, type TensorSpec } from "../../support/kernel-harness.js";

const f = Math.fround;

// The generated options: max_detections 3, max_classes_per_detection 1, detections_per_class 1,
// nms_score_threshold 0, nms_iou_threshold 0.5, num_classes 2, y/x scale 10, h/w scale 5; use_regular_nms false/true.
const BASE_OPTIONS = {
  max_detections: 3,
  max_classes_per_detection: 1,
  detections_per_class: 1,
  nms_score_threshold: 0,
  nms_iou_threshold: 0.5,
  num_classes: 2,
  y_scale: 10,
  x_scale: 10,
  h_scale: 5,
  w_scale: 5,
};
const options = (overrides: Record<string, unknown> = {}) => encode({ ...BASE_OPTIONS, ...overrides });

const BOXES = [0, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
/** The same six boxes with a fifth (keypoint) value per box. */
const BOXES_WITH_KEYPOINT = [0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, -1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1];
const SCORES_WITH_BACKGROUND = [0, 0.9, 0.8, 0, 0.75, 0.72, 0, 0.6, 0.5, 0, 0.93, 0.95, 0, 0.5, 0.4, 0, 0.3, 0.2];
const SCORES_NO_BACKGROUND = [0.9, 0.8, 0.75, 0.72, 0.6, 0.5, 0.93, 0.95, 0.5, 0.4, 0.3, 0.2];
const ANCHORS = [0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1, 0.5, 10.5, 1, 1, 0.5, 10.5, 1, 1, 0.5, 100.5, 1, 1];

interface Case {
  boxes?: number[];
  boxStride?: number;
  scores?: number[];
  classes?: number;
  regular?: boolean;
  customOptions?: Uint8Array;
  maxDetections?: number;
}

function run(c: Case): { boxes: number[]; classes: number[]; scores: number[]; count: number } {
  const boxStride = c.boxStride ?? 4;
  const classes = c.classes ?? 3;
  const max = c.maxDetections ?? 3;
  const { outputs } = runKernel(detectionPostprocess, {
    opName: "TFLite_Detection_PostProcess",
    customOptions: c.customOptions ?? options({ use_regular_nms: c.regular ?? false }),
    inputs: [
      { dtype: "float32", shape: [1, 6, boxStride], data: c.boxes ?? BOXES },
      { dtype: "float32", shape: [1, 6, classes], data: c.scores ?? SCORES_WITH_BACKGROUND },
      { dtype: "float32", shape: [6, 4], data: ANCHORS, constant: true },
    ],
    outputs: [
      { dtype: "float32", shape: [1, max, 4] },
      { dtype: "float32", shape: [1, max] },
      { dtype: "float32", shape: [1, max] },
      { dtype: "float32", shape: [1] },
    ],
  });
  const [b, cl, s, n] = outputs.map((o) => [...(o as Float32Array)]) as [number[], number[], number[], number[]];
  return { boxes: b, classes: cl, scores: s, count: n[0]! };
}

const GOLDEN_BOXES = [0, 10, 1, 11, 0, 0, 1, 1, 0, 100, 1, 101];
const FAST_GOLDEN = { boxes: GOLDEN_BOXES, classes: [1, 0, 0], scores: [f(0.95), f(0.9), f(0.3)], count: 3 };
// TFLM's golden scores are {0.95, 0.9, 0} at tolerance 0.1; with one detection per class both picks are box 4
// (class 1 at 0.95, class 0 at 0.93), so the exact second score is 0.93.
const REGULAR_GOLDEN = {
  boxes: [0, 10, 1, 11, 0, 10, 1, 11, 0, 0, 0, 0],
  classes: [1, 0, 0],
  scores: [f(0.95), f(0.93), 0],
  count: 2,
};

describe("TFLite_Detection_PostProcess (TFLM goldens)", () => {
  test("DetectionPostprocessFloatFastNMS", () => {
    assert.deepEqual(run({}), FAST_GOLDEN);
  });

  test("DetectionPostprocessFloatRegularNMS", () => {
    assert.deepEqual(run({ regular: true }), REGULAR_GOLDEN);
  });

  test("DetectionPostprocessFloatFastNMSwithNoBackgroundClassAndKeypoints", () => {
    assert.deepEqual(
      run({ boxes: BOXES_WITH_KEYPOINT, boxStride: 5, scores: SCORES_NO_BACKGROUND, classes: 2 }),
      FAST_GOLDEN,
    );
  });

  test("DetectionPostprocessFloatRegularNMSwithNoBackgroundClassAndKeypoints", () => {
    assert.deepEqual(run({ regular: true, scores: SCORES_NO_BACKGROUND, classes: 2 }), REGULAR_GOLDEN);
  });

  test("DetectionPostprocessFloatFastNMSWithBackgroundClassAndKeypoints", () => {
    assert.deepEqual(run({ boxes: BOXES_WITH_KEYPOINT, boxStride: 5 }), FAST_GOLDEN);
  });

  test("DetectionPostprocessFloatFNMSSwithNoBackgroundClassAndKeypointsStableSort", () => {
    // Boxes 0, 1 and 2 tie at 0.015625 (box 1 in class 1): the stable sort must keep box 0 (class 0) first.
    const scores = [
      0.015625, 0.007812, 0.003906, 0.015625, 0.015625, 0.007812, 0.019531, 0.019531, 0.007812, 0.003906, 0.003906,
      0.003906,
    ];
    const out = run({ boxes: BOXES_WITH_KEYPOINT, boxStride: 5, scores, classes: 2 });
    assert.deepEqual(out, {
      boxes: GOLDEN_BOXES,
      classes: [0, 0, 0],
      scores: [f(0.019531), f(0.015625), f(0.003906)],
      count: 3,
    });
  });
});

/** Boxes side by side 10 apart along x, so none overlaps another. */
function disjointRun(scores: number[], classes: number, extra: Record<string, unknown>) {
  const n = scores.length / classes;
  const anchors = Array.from({ length: n }, (_, k) => [0.5, 10 * k + 0.5, 1, 1]).flat();
  const max = extra.max_detections as number;
  const run: KernelRun = {
    customOptions: options({ num_classes: classes, ...extra }),
    inputs: [
      { dtype: "float32", shape: [1, n, 4], data: new Array(n * 4).fill(0) },
      { dtype: "float32", shape: [1, n, classes], data: scores },
      { dtype: "float32", shape: [n, 4], data: anchors },
    ],
    outputs: [
      { dtype: "float32", shape: [1, max, 4] },
      { dtype: "float32", shape: [1, max] },
      { dtype: "float32", shape: [1, max] },
      { dtype: "float32", shape: [1] },
    ],
  };
  const [boxes, cls, sc, count] = runKernel(detectionPostprocess, run).outputs.map((o) => [...(o as Float32Array)]);
  return {
    anchors: boxes!.filter((_, i) => i % 4 === 1).map((x) => x / 10),
    classes: cls!,
    scores: sc!,
    count: count!,
  };
}

describe("TFLite_Detection_PostProcess ordering", () => {
  test("fast NMS over more than 20 candidates (merge sort) keeps equal scores in box order", () => {
    const levels = [0.5, 0.25, 0.75, 0.5];
    const scores = Array.from({ length: 30 }, (_, k) => levels[k % 4]!);
    const out = disjointRun(scores, 1, { max_detections: 30 });
    const expected = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b);
    assert.deepEqual(out.anchors, expected);
    assert.equal(out.count[0], 30);
  });

  test("regular NMS ranks equal scores by class, then by box", () => {
    // 25 boxes × 2 classes, scores in three levels; detections_per_class large enough to keep every box.
    const scores = Array.from({ length: 50 }, (_, k) => [0.5, 0.25, 0.5][k % 3]!);
    const out = disjointRun(scores, 2, { max_detections: 40, detections_per_class: 100, use_regular_nms: true });
    const candidates = [0, 1].flatMap((c) =>
      Array.from({ length: 25 }, (_, box) => ({ box, c, s: scores[box * 2 + c]! })),
    );
    const expected = candidates.map((x, i) => ({ ...x, i })).sort((a, b) => b.s - a.s || a.i - b.i);
    assert.deepEqual(
      out.anchors,
      expected.slice(0, 40).map((x) => x.box),
    );
    assert.deepEqual(
      out.classes,
      expected.slice(0, 40).map((x) => x.c),
    );
    assert.equal(out.count[0], 40);
  });

  test("fast NMS picks the lower class index among equal class scores", () => {
    const out = disjointRun([0.5, 0.5, 0.25, 0.75, 0.75, 0.75], 3, { max_detections: 2 });
    assert.deepEqual(out.classes, [0, 0]);
    assert.deepEqual(out.anchors, [1, 0]);
  });
});

describe("TFLite_Detection_PostProcess quantized inputs", () => {
  test("uint8 boxes/anchors and int8 scores are dequantized as (q - zero point) * scale in float", () => {
    // Boxes: (q - 128) * 0.5; scores: (q + 128) / 256, so 0.95 becomes 243/256; anchors: q * 0.5.
    const boxes = BOXES.map((v) => v * 2 + 128);
    const scoreQ = SCORES_WITH_BACKGROUND.map((v) => Math.round(v * 256) - 128);
    const { outputs } = runKernel(detectionPostprocess, {
      customOptions: options(),
      inputs: [
        { dtype: "uint8", shape: [1, 6, 4], data: boxes, scale: 0.5, zeroPoint: 128 },
        { dtype: "int8", shape: [1, 6, 3], data: scoreQ, scale: 1 / 256, zeroPoint: -128 },
        { dtype: "uint8", shape: [6, 4], data: ANCHORS.map((v) => v * 2), scale: 0.5, zeroPoint: 0, constant: true },
      ],
      outputs: [
        { dtype: "float32", shape: [1, 3, 4] },
        { dtype: "float32", shape: [1, 3] },
        { dtype: "float32", shape: [1, 3] },
        { dtype: "float32", shape: [1] },
      ],
    });
    assert.deepEqual([...(outputs[0] as Float32Array)], GOLDEN_BOXES);
    assert.deepEqual([...(outputs[1] as Float32Array)], [1, 0, 0]);
    assert.deepEqual(
      [...(outputs[2] as Float32Array)],
      [0.95, 0.9, 0.3].map((v) => (Math.round(v * 256) - 128 + 128) / 256),
    );
  });
});

describe("TFLite_Detection_PostProcess validation", () => {
  const good = (): KernelRun => ({
    customOptions: options(),
    inputs: [
      { dtype: "float32", shape: [1, 6, 4], data: BOXES },
      { dtype: "float32", shape: [1, 6, 3], data: SCORES_WITH_BACKGROUND },
      { dtype: "float32", shape: [6, 4], data: ANCHORS },
    ],
    outputs: [
      { dtype: "float32", shape: [1, 3, 4] },
      { dtype: "float32", shape: [1, 3] },
      { dtype: "float32", shape: [1, 3] },
      { dtype: "float32", shape: [1] },
    ],
  });
  const rejects = (name: string, change: (r: KernelRun) => void, pattern: RegExp) =>
    test(name, () => {
      const r = good();
      change(r);
      assert.throws(
        () => runKernel(detectionPostprocess, r),
        (e: unknown) => e instanceof KernelError && pattern.test(e.message),
      );
    });

  test("the unchanged model runs", () => {
    assert.doesNotThrow(() => runKernel(detectionPostprocess, good()));
  });
  rejects("missing options", (r) => delete r.customOptions, /custom options are missing/);
  rejects("garbage options", (r) => (r.customOptions = new Uint8Array([1, 2, 3, 4, 5])), /custom options|flexbuffer/);
  rejects(
    "missing num_classes",
    (r) => {
      const { num_classes: _, ...rest } = BASE_OPTIONS;
      r.customOptions = encode(rest);
    },
    /num_classes/,
  );
  rejects("iou threshold above 1", (r) => (r.customOptions = options({ nms_iou_threshold: 1.5 })), /nms_iou_threshold/);
  rejects("zero iou threshold", (r) => (r.customOptions = options({ nms_iou_threshold: 0 })), /nms_iou_threshold/);
  rejects("negative max_detections", (r) => (r.customOptions = options({ max_detections: -1 })), /max_detections/);
  rejects(
    "zero classes per detection",
    (r) => (r.customOptions = options({ max_classes_per_detection: 0 })),
    /max_classes/,
  );
  rejects(
    "zero detections per class in regular NMS",
    (r) => (r.customOptions = options({ use_regular_nms: true, detections_per_class: 0 })),
    /detections_per_class/,
  );
  rejects("string option", (r) => (r.customOptions = options({ max_detections: "3" })), /max_detections/);
  rejects("two background classes", (r) => (r.customOptions = options({ num_classes: 1 })), /background/);
  rejects("more classes than scores", (r) => (r.customOptions = options({ num_classes: 4 })), /background/);
  rejects("box rank", (r) => (r.inputs[0]!.shape = [6, 4]), /rank 3/);
  rejects("batch 2", (r) => ((r.inputs[0] as TensorSpec).shape = [2, 3, 4]), /batch/);
  rejects("3 values per box", (r) => ((r.inputs[0] as TensorSpec).shape = [1, 8, 3]), /4 values/);
  rejects("score rows", (r) => ((r.inputs[1] as TensorSpec).shape = [1, 9, 2]), /do not match/);
  rejects("too few anchors", (r) => ((r.inputs[2] as TensorSpec).shape = [5, 4]), /anchors/);
  rejects("int16 scores", (r) => ((r.inputs[1] as TensorSpec).dtype = "int16"), /not supported/);
  rejects("uint8 boxes without quantization", (r) => ((r.inputs[0] as TensorSpec).dtype = "uint8"), /per-tensor/);
  rejects("int32 output", (r) => (r.outputs[1]!.dtype = "int32"), /float32/);
  rejects("output too small", (r) => (r.outputs[0]!.shape = [1, 2, 4]), /fewer than 3/);
  rejects("missing input", (r) => (r.inputs[2] = null), /missing/);
  rejects("two outputs", (r) => r.outputs.splice(2), /4 outputs/);

  test("an inverted decoded box fails at eval, as TFLM's ValidateBoxes does", () => {
    const r = good();
    (r.inputs[2] as TensorSpec).data = ANCHORS.map((v, i) => (i === 2 ? -1 : v));
    assert.throws(() => runKernel(detectionPostprocess, r), /decoded box 0 is empty or inverted/);
  });
});
