/**
 * TFLite_Detection_PostProcess (TFLM custom op): decodes SSD box encodings against their anchors, then runs
 * class-agnostic ("fast") or per-class ("regular") non-max suppression and writes four float32 outputs: boxes
 * [maxDetections, 4] as (ymin, xmin, ymax, xmax), classes, scores and the detection count.
 * Float math follows TFLM step by step: decoding in double rounded to float, IoU in float, TFLM's own stable
 * merge sort for NMS candidates and libstdc++'s partial_sort (heap select) with TFLM's index tie-break.
 * TFLM at our reference commit runs float32 inputs only; int8/uint8 inputs are dequantized per tensor with the
 * (float(q) - zero_point) * scale rule that TFLite and earlier TFLM used.
 */
import { toObject } from "flatbuffers/js/flexbuffers.js";
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { EvalIO, Kernel, NodeContext } from "../runtime/kernel.js";

const OP = "TFLite_Detection_PostProcess";
const COORDS = 4;
/** TFLM's default when the detections_per_class option is absent. */
const DEFAULT_DETECTIONS_PER_CLASS = 100;
/** TFLM's merge sort hands runs shorter than this to insertion sort. */
const INSERTION_SORT_LIMIT = 20;

/** Per-tensor dequantization of a quantized input; null for float32 inputs. */
interface Dequant {
  zeroPoint: number;
  scale: number;
}

interface DetectionPrepared {
  maxDetections: number;
  detectionsPerClass: number;
  useRegularNms: boolean;
  scoreThreshold: number;
  iouThreshold: number;
  numClasses: number;
  categoriesPerAnchor: number;
  scaleY: number;
  scaleX: number;
  scaleH: number;
  scaleW: number;
  numBoxes: number;
  boxStride: number;
  classesWithBackground: number;
  labelOffset: number;
  boxDequant: Dequant | null;
  scoreDequant: Dequant | null;
  anchorDequant: Dequant | null;
  /** Scratch indices, see prepare. */
  scratch: {
    decoded: number;
    scores: number;
    classScores: number;
    keepScores: number;
    keepIndices: number;
    sortedIndices: number;
    active: number;
    selected: number;
    candidateIndices: number;
    candidateScores: number;
    sortedValues: number;
    classIndices: number;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Options

type Options = Record<string, unknown>;

function readOptions(ctx: NodeContext): Options {
  const bytes = ctx.node.customOptions;
  if (!bytes || bytes.byteLength === 0) throw new KernelError(`${OP}: custom options are missing`);
  let root: unknown;
  try {
    root = toObject(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new KernelError(`${OP}: custom options are not a valid flexbuffer (${(error as Error).message})`);
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new KernelError(`${OP}: custom options are not a flexbuffer map`);
  }
  return root as Options;
}

/**
 * An absent key takes `fallback` (or is an error when there is none). The flexbuffers reader returns null both for
 * an explicit null and for a float 0.0; TFLM reads both as 0, except detections_per_class, whose null means default.
 */
function numericOption(options: Options, key: string, fallback: number | null, nullIsDefault = false): number {
  const raw = options[key];
  if (raw === undefined || (raw === null && nullIsDefault)) {
    if (fallback === null) throw new KernelError(`${OP}: custom option '${key}' is missing`);
    return fallback;
  }
  if (raw === null) return 0;
  if (typeof raw === "boolean") return raw ? 1 : 0;
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw === "number") return raw;
  throw new KernelError(`${OP}: custom option '${key}' is not a number`);
}

/** flexbuffers' AsInt32: floats truncate toward zero, then the low 32 bits are kept. */
function intOption(options: Options, key: string, fallback: number | null, nullIsDefault = false): number {
  const raw = options[key];
  if (typeof raw === "bigint") return Number(BigInt.asIntN(32, raw));
  const value = numericOption(options, key, fallback, nullIsDefault);
  if (!Number.isFinite(value)) throw new KernelError(`${OP}: custom option '${key}' is not a finite number`);
  const truncated = Math.trunc(value);
  if (Math.abs(truncated) > Number.MAX_SAFE_INTEGER)
    throw new KernelError(`${OP}: custom option '${key}' is too large`);
  return Number(BigInt.asIntN(32, BigInt(truncated)));
}

/** flexbuffers' AsFloat: the value rounded to float32. */
function floatOption(options: Options, key: string, fallback: number | null): number {
  return Math.fround(numericOption(options, key, fallback));
}

// ---------------------------------------------------------------------------------------------------------------
// Prepare

function dequantOf(t: TensorDef, label: string): Dequant | null {
  if (t.dtype === "float32") return null;
  if (t.dtype !== "int8" && t.dtype !== "uint8") {
    throw new KernelError(`${OP}: ${label} type ${t.dtype} is not supported (float32, int8, uint8)`);
  }
  const q = t.quantization;
  if (q?.scale.length !== 1 || q.zeroPoint.length !== 1) {
    throw new KernelError(`${OP}: quantized ${label} needs per-tensor quantization`);
  }
  const scale = Math.fround(q.scale[0]!);
  if (!Number.isFinite(scale)) throw new KernelError(`${OP}: ${label} scale ${q.scale[0]} is not finite`);
  return { zeroPoint: q.zeroPoint[0]!, scale };
}

function expectRank(t: TensorDef, rank: number, label: string): void {
  if (t.shape.length !== rank) throw new KernelError(`${OP}: ${label} must have rank ${rank}, got [${t.shape}]`);
}

function prepare(ctx: NodeContext): DetectionPrepared {
  if (ctx.inputs.length !== 3) throw new KernelError(`${OP}: expects 3 inputs, got ${ctx.inputs.length}`);
  if (ctx.outputs.length !== 4) throw new KernelError(`${OP}: expects 4 outputs, got ${ctx.outputs.length}`);
  const [boxes, classPredictions, anchors] = ctx.inputs;
  if (!boxes || !classPredictions || !anchors) throw new KernelError(`${OP}: an input is missing`);
  const options = readOptions(ctx);

  const maxDetections = intOption(options, "max_detections", null);
  const useRegularNms = Boolean(numericOption(options, "use_regular_nms", 0));
  const maxClassesPerDetection = intOption(options, "max_classes_per_detection", useRegularNms ? 0 : null);
  const detectionsPerClass = intOption(options, "detections_per_class", DEFAULT_DETECTIONS_PER_CLASS, true);
  const scoreThreshold = floatOption(options, "nms_score_threshold", 0);
  const iouThreshold = floatOption(options, "nms_iou_threshold", null);
  const numClasses = intOption(options, "num_classes", null);
  const scaleY = floatOption(options, "y_scale", null);
  const scaleX = floatOption(options, "x_scale", null);
  const scaleH = floatOption(options, "h_scale", null);
  const scaleW = floatOption(options, "w_scale", null);

  // TFLM checks these at eval time; a model failing them can never run, so it is rejected here.
  if (maxDetections < 0) throw new KernelError(`${OP}: max_detections ${maxDetections} is negative`);
  if (!(iouThreshold > 0 && iouThreshold <= 1)) {
    throw new KernelError(`${OP}: nms_iou_threshold ${iouThreshold} is not in (0, 1]`);
  }
  if (useRegularNms && detectionsPerClass <= 0) {
    throw new KernelError(`${OP}: detections_per_class ${detectionsPerClass} must be positive`);
  }
  if (!useRegularNms && maxClassesPerDetection <= 0) {
    throw new KernelError(`${OP}: max_classes_per_detection ${maxClassesPerDetection} must be positive`);
  }
  if (numClasses < 1) throw new KernelError(`${OP}: num_classes ${numClasses} must be positive`);
  for (const [key, value] of [
    ["y_scale", scaleY],
    ["x_scale", scaleX],
    ["h_scale", scaleH],
    ["w_scale", scaleW],
  ] as const) {
    if (!Number.isFinite(value) || value === 0) throw new KernelError(`${OP}: ${key} ${value} must be finite, nonzero`);
  }

  expectRank(boxes, 3, "box encodings");
  expectRank(classPredictions, 3, "class predictions");
  expectRank(anchors, 2, "anchors");
  const [boxBatch, numBoxes, boxStride] = boxes.shape as [number, number, number];
  if (boxBatch !== 1) throw new KernelError(`${OP}: box encodings batch must be 1, got [${boxes.shape}]`);
  if (boxStride < COORDS) throw new KernelError(`${OP}: box encodings need at least 4 values per box`);
  const [classBatch, classBoxes, classesWithBackground] = classPredictions.shape as [number, number, number];
  if (classBatch !== 1 || classBoxes !== numBoxes) {
    throw new KernelError(`${OP}: class predictions [${classPredictions.shape}] do not match ${numBoxes} boxes`);
  }
  const labelOffset = classesWithBackground - numClasses;
  if (labelOffset < 0 || labelOffset > 1) {
    throw new KernelError(
      `${OP}: class predictions have ${classesWithBackground} classes for num_classes ${numClasses} (at most one background class)`,
    );
  }
  // TFLM reads anchor k at float offset 4k whatever the anchors' second dimension says.
  if (anchors.elementCount < numBoxes * COORDS) {
    throw new KernelError(`${OP}: anchors [${anchors.shape}] hold fewer than ${numBoxes} boxes`);
  }
  const boxDequant = dequantOf(boxes, "box encodings");
  const scoreDequant = dequantOf(classPredictions, "class predictions");
  const anchorDequant = dequantOf(anchors, "anchors");

  const categoriesPerAnchor = Math.min(maxClassesPerDetection, numClasses);
  // Fast NMS writes category c of its k-th output at categoriesPerAnchor * (running index) + c, as TFLM does.
  const slots = useRegularNms ? maxDetections : maxDetections * categoriesPerAnchor;
  const [outBoxes, outClasses, outScores, outCount] = ctx.outputs as [TensorDef, TensorDef, TensorDef, TensorDef];
  for (const [t, label] of [
    [outBoxes, "detection boxes"],
    [outClasses, "detection classes"],
    [outScores, "detection scores"],
    [outCount, "num detections"],
  ] as const) {
    if (t.dtype !== "float32") throw new KernelError(`${OP}: ${label} output must be float32, got ${t.dtype}`);
  }
  if (outBoxes.elementCount < slots * COORDS) {
    throw new KernelError(`${OP}: detection boxes output [${outBoxes.shape}] holds fewer than ${slots} boxes`);
  }
  if (outClasses.elementCount < slots || outScores.elementCount < slots) {
    throw new KernelError(`${OP}: detection classes/scores outputs hold fewer than ${slots} values`);
  }
  if (outCount.elementCount < 1) throw new KernelError(`${OP}: num detections output is empty`);

  const words = (n: number) => ctx.requestScratch(Math.max(1, n) * 4);
  const perClass = Math.min(numBoxes, detectionsPerClass);
  const candidates = useRegularNms ? maxDetections + perClass : 0;
  const scratch = {
    decoded: words(numBoxes * COORDS),
    scores: words(scoreDequant ? numBoxes * classesWithBackground : 0),
    classScores: words(numBoxes),
    keepScores: words(numBoxes),
    keepIndices: words(numBoxes),
    sortedIndices: words(Math.max(numBoxes, candidates)),
    active: ctx.requestScratch(Math.max(1, numBoxes)),
    selected: words(numBoxes),
    candidateIndices: words(candidates),
    candidateScores: words(candidates),
    sortedValues: words(useRegularNms ? maxDetections : 0),
    classIndices: words(useRegularNms ? 0 : numBoxes * numClasses),
  };

  return {
    maxDetections,
    detectionsPerClass,
    useRegularNms,
    scoreThreshold,
    iouThreshold,
    numClasses,
    categoriesPerAnchor,
    scaleY,
    scaleX,
    scaleH,
    scaleW,
    numBoxes,
    boxStride,
    classesWithBackground,
    labelOffset,
    boxDequant,
    scoreDequant,
    anchorDequant,
    scratch,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sorting, reproduced from TFLM (stable merge sort) and libstdc++ (partial_sort) so equal scores order the same

/** TFLM's decreasing-score order: strictly greater first, equal scores keep their relative order. */
function upperBound(idx: Int32Array, first: number, last: number, key: number, values: Float32Array): number {
  let len = last - first;
  while (len > 0) {
    const half = len >> 1;
    const middle = first + half;
    if (values[key]! > values[idx[middle]!]!) {
      len = half;
    } else {
      first = middle + 1;
      len = len - half - 1;
    }
  }
  return first;
}

function insertionSort(idx: Int32Array, start: number, end: number, values: Float32Array): void {
  for (let i = start; i < end; i++) {
    const key = idx[i]!;
    const at = upperBound(idx, start, i, key, values);
    for (let k = i; k > at; k--) idx[k] = idx[k - 1]!;
    idx[at] = key;
  }
}

function mergeSort(idx: Int32Array, start: number, count: number, scratch: Int32Array, values: Float32Array): void {
  if (count < INSERTION_SORT_LIMIT) {
    insertionSort(idx, start, start + count, values);
    return;
  }
  const half = count >> 1;
  mergeSort(idx, start, half, scratch, values);
  mergeSort(idx, start + half, count - half, scratch, values);
  let left = 0;
  let right = half;
  for (let i = 0; i < count; i++) {
    if (left >= half || (right < count && values[idx[start + right]!]! > values[idx[start + left]!]!)) {
      scratch[i] = idx[start + right++]!;
    } else {
      scratch[i] = idx[start + left++]!;
    }
  }
  for (let i = 0; i < count; i++) idx[start + i] = scratch[i]!;
}

/** Indices 0..count-1 of `values`, stably sorted by decreasing value (TFLM's DecreasingArgSort). */
function decreasingArgSort(values: Float32Array, count: number, idx: Int32Array, scratch: Int32Array): void {
  for (let i = 0; i < count; i++) idx[i] = i;
  mergeSort(idx, 0, count, scratch, values);
}

/**
 * The partial-sort comparator of TFLM: (value_i, j) > (value_j, i) as tuples, i.e. higher value first and the
 * lower index first among equal values. Values are read at `base + index`.
 */
function before(values: Float32Array, base: number, i: number, j: number): boolean {
  const vi = values[base + i]!;
  const vj = values[base + j]!;
  if (vj < vi) return true;
  if (vi < vj) return false;
  return i < j;
}

// libstdc++'s heap primitives over idx[at .. at+len), used exactly as std::partial_sort uses them.
function pushHeap(idx: Int32Array, at: number, hole: number, top: number, value: number, v: Float32Array, vb: number) {
  let parent = ((hole - 1) / 2) | 0;
  while (hole > top && before(v, vb, idx[at + parent]!, value)) {
    idx[at + hole] = idx[at + parent]!;
    hole = parent;
    parent = ((hole - 1) / 2) | 0;
  }
  idx[at + hole] = value;
}

function adjustHeap(
  idx: Int32Array,
  at: number,
  hole: number,
  len: number,
  value: number,
  v: Float32Array,
  vb: number,
) {
  const top = hole;
  let child = hole;
  while (child < (((len - 1) / 2) | 0)) {
    child = 2 * (child + 1);
    if (before(v, vb, idx[at + child]!, idx[at + child - 1]!)) child--;
    idx[at + hole] = idx[at + child]!;
    hole = child;
  }
  if ((len & 1) === 0 && child === (((len - 2) / 2) | 0)) {
    child = 2 * (child + 1);
    idx[at + hole] = idx[at + child - 1]!;
    hole = child - 1;
  }
  pushHeap(idx, at, hole, top, value, v, vb);
}

/** popHeap over [at, at+len) that moves the top into `result` and re-heaps `value` taken from there. */
function popHeap(idx: Int32Array, at: number, len: number, result: number, v: Float32Array, vb: number): void {
  const value = idx[result]!;
  idx[result] = idx[at]!;
  adjustHeap(idx, at, 0, len, value, v, vb);
}

/**
 * TFLM's DecreasingPartialArgSort: idx[at..at+count) = 0..count-1, then std::partial_sort of the first `toSort`
 * (libstdc++: heap select, then sort_heap) under `before`, values read from `values[valuesBase + i]`.
 */
function decreasingPartialArgSort(
  values: Float32Array,
  valuesBase: number,
  count: number,
  toSort: number,
  idx: Int32Array,
  at: number,
): void {
  for (let i = 0; i < count; i++) idx[at + i] = i;
  if (toSort >= 2) {
    for (let parent = ((toSort - 2) / 2) | 0; ; parent--) {
      adjustHeap(idx, at, parent, toSort, idx[at + parent]!, values, valuesBase);
      if (parent === 0) break;
    }
  }
  for (let i = toSort; i < count; i++) {
    if (before(values, valuesBase, idx[at + i]!, idx[at]!)) popHeap(idx, at, toSort, at + i, values, valuesBase);
  }
  for (let len = toSort; len > 1; ) {
    len--;
    popHeap(idx, at, len, at + len, values, valuesBase);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Eval

interface Buffers {
  decoded: Float32Array;
  classScores: Float32Array;
  keepScores: Float32Array;
  keepIndices: Int32Array;
  sortedIndices: Int32Array;
  active: Uint8Array;
  selected: Int32Array;
}

function f32(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
}

function i32(bytes: Uint8Array): Int32Array {
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
}

/** TFLM's Dequantizer: (float(q) - zero_point) * scale, all in float32. */
function dequantize(q: number, d: Dequant): number {
  return Math.fround(Math.fround(q - d.zeroPoint) * d.scale);
}

function decodeBoxes(p: DetectionPrepared, boxes: ArrayLike<number>, anchors: ArrayLike<number>, out: Float32Array) {
  const bd = p.boxDequant;
  const ad = p.anchorDequant;
  for (let k = 0; k < p.numBoxes; k++) {
    const b = k * p.boxStride;
    const a = k * COORDS;
    const y = bd ? dequantize(boxes[b]!, bd) : boxes[b]!;
    const x = bd ? dequantize(boxes[b + 1]!, bd) : boxes[b + 1]!;
    const h = bd ? dequantize(boxes[b + 2]!, bd) : boxes[b + 2]!;
    const w = bd ? dequantize(boxes[b + 3]!, bd) : boxes[b + 3]!;
    const ay = ad ? dequantize(anchors[a]!, ad) : anchors[a]!;
    const ax = ad ? dequantize(anchors[a + 1]!, ad) : anchors[a + 1]!;
    const ah = ad ? dequantize(anchors[a + 2]!, ad) : anchors[a + 2]!;
    const aw = ad ? dequantize(anchors[a + 3]!, ad) : anchors[a + 3]!;
    // TFLM decodes in double and rounds each quantity to float before the corner sums (done in float).
    const yCenter = Math.fround((y / p.scaleY) * ah + ay);
    const xCenter = Math.fround((x / p.scaleX) * aw + ax);
    const halfH = Math.fround(0.5 * Math.exp(h / p.scaleH) * ah);
    const halfW = Math.fround(0.5 * Math.exp(w / p.scaleW) * aw);
    out[a] = yCenter - halfH;
    out[a + 1] = xCenter - halfW;
    out[a + 2] = yCenter + halfH;
    out[a + 3] = xCenter + halfW;
  }
}

// std::max / std::min on floats: unlike Math.max/min they return the first operand when a NaN is involved.
// biome-ignore lint/complexity/useMathMinMax: NaN handling must follow std::max.
const maxF = (a: number, b: number) => (a < b ? b : a);
// biome-ignore lint/complexity/useMathMinMax: NaN handling must follow std::min.
const minF = (a: number, b: number) => (b < a ? b : a);

/** IoU of decoded boxes i and j in float32, as TFLM computes it. */
function intersectionOverUnion(boxes: Float32Array, i: number, j: number): number {
  const bi = i * COORDS;
  const bj = j * COORDS;
  const areaI = Math.fround(Math.fround(boxes[bi + 2]! - boxes[bi]!) * Math.fround(boxes[bi + 3]! - boxes[bi + 1]!));
  const areaJ = Math.fround(Math.fround(boxes[bj + 2]! - boxes[bj]!) * Math.fround(boxes[bj + 3]! - boxes[bj + 1]!));
  if (areaI <= 0 || areaJ <= 0) return 0;
  const yMin = maxF(boxes[bi]!, boxes[bj]!);
  const xMin = maxF(boxes[bi + 1]!, boxes[bj + 1]!);
  const yMax = minF(boxes[bi + 2]!, boxes[bj + 2]!);
  const xMax = minF(boxes[bi + 3]!, boxes[bj + 3]!);
  const intersection = Math.fround(maxF(Math.fround(yMax - yMin), 0) * maxF(Math.fround(xMax - xMin), 0));
  return Math.fround(intersection / Math.fround(Math.fround(areaI + areaJ) - intersection));
}

/** Greedy NMS over one score per box; fills buf.selected with box indices and returns how many. */
function singleClassNms(p: DetectionPrepared, buf: Buffers, scores: Float32Array, maxDetections: number): number {
  const { keepScores, keepIndices, sortedIndices, active, selected, decoded } = buf;
  let kept = 0;
  for (let i = 0; i < p.numBoxes; i++) {
    if (scores[i]! >= p.scoreThreshold) {
      keepScores[kept] = scores[i]!;
      keepIndices[kept] = i;
      kept++;
    }
  }
  // keepIndices doubles as the merge scratch (as in TFLM), so it is rebuilt after the sort.
  decreasingArgSort(keepScores, kept, sortedIndices, keepIndices);
  for (let i = 0, n = 0; i < p.numBoxes; i++) {
    if (scores[i]! >= p.scoreThreshold) keepIndices[n++] = i;
  }
  const outputSize = Math.min(kept, maxDetections);
  let selectedCount = 0;
  let activeCount = kept;
  active.fill(1, 0, kept);
  for (let i = 0; i < kept; i++) {
    if (activeCount === 0 || selectedCount >= outputSize) break;
    if (active[i] !== 1) continue;
    const boxI = keepIndices[sortedIndices[i]!]!;
    selected[selectedCount++] = boxI;
    active[i] = 0;
    activeCount--;
    for (let j = i + 1; j < kept; j++) {
      if (active[j] === 1 && intersectionOverUnion(decoded, boxI, keepIndices[sortedIndices[j]!]!) > p.iouThreshold) {
        active[j] = 0;
        activeCount--;
      }
    }
  }
  return selectedCount;
}

function writeBox(out: Float32Array, slot: number, decoded: Float32Array, box: number): void {
  const o = slot * COORDS;
  const d = box * COORDS;
  out[o] = decoded[d]!;
  out[o + 1] = decoded[d + 1]!;
  out[o + 2] = decoded[d + 2]!;
  out[o + 3] = decoded[d + 3]!;
}

function regularNms(p: DetectionPrepared, io: EvalIO, buf: Buffers, scores: Float32Array): void {
  const [outBoxes, outClasses, outScores, outCount] = io.outputs as Float32Array[];
  const candidateIndices = i32(io.scratch[p.scratch.candidateIndices]!);
  const candidateScores = f32(io.scratch[p.scratch.candidateScores]!);
  const sortedValues = f32(io.scratch[p.scratch.sortedValues]!);
  const { classScores, sortedIndices, selected } = buf;
  const width = p.classesWithBackground;
  let sortedCount = 0;
  for (let c = 0; c < p.numClasses; c++) {
    const column = c + p.labelOffset;
    for (let row = 0; row < p.numBoxes; row++) classScores[row] = scores[row * width + column]!;
    const selectedCount = singleClassNms(p, buf, classScores, p.detectionsPerClass);
    let count = sortedCount;
    for (let i = 0; i < selectedCount; i++) {
      const box = selected[i]!;
      candidateIndices[count] = box * width + column;
      candidateScores[count] = classScores[box]!;
      count++;
    }
    const toSort = Math.min(count, p.maxDetections);
    decreasingPartialArgSort(candidateScores, 0, count, toSort, sortedIndices, 0);
    for (let r = 0; r < toSort; r++) {
      const from = sortedIndices[r]!;
      sortedIndices[r] = candidateIndices[from]!;
      sortedValues[r] = candidateScores[from]!;
    }
    for (let r = 0; r < toSort; r++) {
      candidateIndices[r] = sortedIndices[r]!;
      candidateScores[r] = sortedValues[r]!;
    }
    sortedCount = toSort;
  }
  for (let k = 0; k < sortedCount; k++) {
    const flat = candidateIndices[k]!;
    const anchor = Math.floor(flat / width);
    writeBox(outBoxes!, k, buf.decoded, anchor);
    outClasses![k] = flat - anchor * width - p.labelOffset;
    outScores![k] = candidateScores[k]!;
  }
  outCount![0] = sortedCount;
}

function fastNms(p: DetectionPrepared, io: EvalIO, buf: Buffers, scores: Float32Array): void {
  const [outBoxes, outClasses, outScores, outCount] = io.outputs as Float32Array[];
  const classIndices = i32(io.scratch[p.scratch.classIndices]!);
  const maxScores = buf.classScores;
  const width = p.classesWithBackground;
  const perAnchor = p.categoriesPerAnchor;
  for (let row = 0; row < p.numBoxes; row++) {
    const base = row * width + p.labelOffset;
    decreasingPartialArgSort(scores, base, p.numClasses, perAnchor, classIndices, row * p.numClasses);
    maxScores[row] = scores[base + classIndices[row * p.numClasses]!]!;
  }
  const selectedCount = singleClassNms(p, buf, maxScores, p.maxDetections);
  const slots = Math.min(outClasses!.length, outScores!.length, outBoxes!.length / COORDS);
  let written = 0;
  for (let i = 0; i < selectedCount; i++) {
    const box = buf.selected[i]!;
    const base = box * width + p.labelOffset;
    for (let c = 0; c < perAnchor; c++) {
      // TFLM advances its running index per category, so with several categories per anchor the slots spread out
      // (and run past the outputs, which TFLM overwrites); slots beyond the outputs are dropped here.
      const slot = perAnchor * written + c;
      if (slot < slots) {
        const cls = classIndices[box * p.numClasses + c]!;
        writeBox(outBoxes!, slot, buf.decoded, box);
        outClasses![slot] = cls;
        outScores![slot] = scores[base + cls]!;
      }
      written++;
    }
  }
  outCount![0] = written;
}

function evalDetection(p: DetectionPrepared, io: EvalIO): void {
  const s = io.scratch;
  const buf: Buffers = {
    decoded: f32(s[p.scratch.decoded]!),
    classScores: f32(s[p.scratch.classScores]!),
    keepScores: f32(s[p.scratch.keepScores]!),
    keepIndices: i32(s[p.scratch.keepIndices]!),
    sortedIndices: i32(s[p.scratch.sortedIndices]!),
    active: s[p.scratch.active]!,
    selected: i32(s[p.scratch.selected]!),
  };
  // Slots TFLM leaves untouched (fast NMS past the detections) hold zeros here.
  for (const out of io.outputs) (out as Float32Array).fill(0);

  decodeBoxes(p, io.inputs[0]! as ArrayLike<number>, io.inputs[2]! as ArrayLike<number>, buf.decoded);
  // TFLM refuses to run NMS over an empty or inverted box (NaN boxes pass, as there).
  for (let k = 0; k < p.numBoxes; k++) {
    const d = buf.decoded;
    const o = k * COORDS;
    if (d[o]! >= d[o + 2]! || d[o + 1]! >= d[o + 3]!) {
      throw new KernelError(
        `${OP}: decoded box ${k} is empty or inverted (ymin ${d[o]}, xmin ${d[o + 1]}, ymax ${d[o + 2]}, xmax ${d[o + 3]})`,
      );
    }
  }

  let scores: Float32Array;
  if (p.scoreDequant) {
    const raw = io.inputs[1]! as Int8Array | Uint8Array;
    scores = f32(s[p.scratch.scores]!);
    for (let i = 0; i < raw.length; i++) scores[i] = dequantize(raw[i]!, p.scoreDequant);
  } else {
    scores = io.inputs[1]! as Float32Array;
  }
  if (p.useRegularNms) regularNms(p, io, buf, scores);
  else fastNms(p, io, buf, scores);
}

export const detectionPostprocess: Kernel<DetectionPrepared> = {
  prepare,
  eval: evalDetection,
};
