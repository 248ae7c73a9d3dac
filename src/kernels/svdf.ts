/**
 * SVDF (TFLM svdf.cc / svdf_common.cc): a rank-decomposed time convolution. Each invocation shifts the variable
 * activation state left by one, writes the newest feature projection (input · weights_feature) into each filter's
 * last memory slot, then dots every filter's memory with weights_time and sums `rank` filters per unit.
 *
 * float32, and int8 input/weights_feature with int16 (or int8) weights_time and state, int32 bias, int8 output.
 * The state (input 4) is a variable tensor the runtime keeps per session; this kernel only reads and writes it.
 * As in TFLM, the integer path ignores the fused activation: the int8 output clamp is all it applies.
 * evalInteger is the readable reference; int16 state with a constant bias takes evalIntegerFast (prepared in
 * prepare), which gives identical bytes and state.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import { integerRange, quantizeMultiplier, type Requantizer, requantize, requantizer } from "./fixed-point.js";

const OP = "SVDF";

interface SvdfShape {
  batch: number;
  inputSize: number;
  numFilters: number;
  numUnits: number;
  rank: number;
  memorySize: number;
}

interface FloatSvdf extends SvdfShape {
  kind: "float32";
  activation: string;
}

interface IntegerSvdf extends SvdfShape {
  kind: "integer";
  /** Σ weights_feature over each filter row, to fold the input zero point out of the inner loop. */
  featureRowSums: Float64Array;
  inputZeroPoint: number;
  stateZeroPoint: number;
  stateMin: number;
  stateMax: number;
  /** input × weights_feature → state scale. */
  featureRequantizer: Requantizer;
  /** state × weights_time → output scale. */
  outputRequantizer: Requantizer;
  outputZeroPoint: number;
  fast: FastSvdf | null;
}

/**
 * The fast integer path's constants. Feature rows f and f+1 are packed in one double (w[f] + w[f+1]·2^24) so one
 * multiply-add does two exact MACs on the raw input (each half stays below 2^23 while input_size·max|w|·128 does);
 * the input zero point and the state zero point are folded into per-filter and per-unit biases.
 */
interface FastSvdf {
  /** ceil(numFilters / 2) rows of inputSize doubles; a missing last filter packs as zero. */
  packedFeature: Float64Array;
  /** -input_zero_point · Σ weights_feature[f], per filter (one extra zero for an odd count). */
  featureBias: Float64Array;
  /** weights_time as doubles, [filter][memory]. */
  timeWeights: Float64Array;
  /** bias[u] - state_zero_point · Σ weights_time over unit u's rank filters. */
  unitBias: Float64Array;
}

export type SvdfPrepared = FloatSvdf | IntegerSvdf;

const FLOAT_ACTIVATIONS = new Set(["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"]);

function scaleOf(t: TensorDef, what: string): number {
  const scale = t.quantization?.scale[0];
  if (scale === undefined) throw new KernelError(`${OP}: ${what} has no quantization parameters`);
  return scale;
}

function zeroPointOf(t: TensorDef): number {
  return t.quantization?.zeroPoint[0] ?? 0;
}

function expectShape(t: TensorDef, expected: number[], what: string): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new KernelError(`${OP}: ${what} shape [${t.shape}] should be [${expected}]`);
  }
}

function prepareShape(ctx: NodeContext): SvdfShape {
  if (ctx.inputs.length !== 5) throw new KernelError(`${OP}: expects 5 inputs, got ${ctx.inputs.length}`);
  if (ctx.outputs.length !== 1) throw new KernelError(`${OP}: expects 1 output, got ${ctx.outputs.length}`);
  const [input, weightsFeature, weightsTime, bias, state] = ctx.inputs;
  const output = ctx.outputs[0]!;
  if (!input || !weightsFeature || !weightsTime || !state) {
    throw new KernelError(`${OP}: input, weights_feature, weights_time and activation state are required`);
  }
  const rank = Number(ctx.node.options.rank ?? 0);
  if (input.shape.length !== 2)
    throw new KernelError(`${OP}: input must be 2-D [batch, input_size], got [${input.shape}]`);
  if (weightsFeature.shape.length !== 2 || weightsTime.shape.length !== 2) {
    throw new KernelError(`${OP}: weights_feature and weights_time must be 2-D`);
  }
  const [batch, inputSize] = input.shape as [number, number];
  const numFilters = weightsFeature.shape[0]!;
  const memorySize = weightsTime.shape[1]!;
  if (!(rank > 0) || numFilters % rank !== 0) {
    throw new KernelError(`${OP}: ${numFilters} filters are not a multiple of rank ${rank}`);
  }
  const numUnits = numFilters / rank;
  expectShape(weightsFeature, [numFilters, inputSize], "weights_feature");
  expectShape(weightsTime, [numFilters, memorySize], "weights_time");
  if (bias && bias.shape[0] !== numUnits) {
    throw new KernelError(`${OP}: bias has ${bias.shape[0]} entries, expected ${numUnits} units`);
  }
  expectShape(state, [batch, memorySize * numFilters], "activation state");
  if (!state.isVariable) throw new KernelError(`${OP}: activation state (input 4) must be a variable tensor`);
  expectShape(output, [batch, numUnits], "output");
  if (weightsFeature.data === null || weightsTime.data === null) {
    throw new KernelError(`${OP}: weights_feature and weights_time must be constant`);
  }
  return { batch, inputSize, numFilters, numUnits, rank, memorySize };
}

function prepareInteger(ctx: NodeContext, shape: SvdfShape): IntegerSvdf {
  const [input, weightsFeature, weightsTime, bias, state] = ctx.inputs as TensorDef[];
  const output = ctx.outputs[0]!;
  if (weightsFeature!.dtype !== "int8") {
    throw new KernelError(`${OP}: int8 input needs int8 weights_feature, got ${weightsFeature!.dtype}`);
  }
  if (weightsTime!.dtype !== "int16" && weightsTime!.dtype !== "int8") {
    throw new KernelError(`${OP}: weights_time type ${weightsTime!.dtype} is not supported (int16, int8)`);
  }
  if (state!.dtype !== weightsTime!.dtype) {
    throw new KernelError(
      `${OP}: activation state type ${state!.dtype} differs from weights_time ${weightsTime!.dtype}`,
    );
  }
  if (bias && bias.dtype !== "int32") throw new KernelError(`${OP}: int8 SVDF needs an int32 bias, got ${bias.dtype}`);
  if (output.dtype !== "int8") throw new KernelError(`${OP}: int8 SVDF needs an int8 output, got ${output.dtype}`);

  const inputScale = scaleOf(input!, "input");
  const featureScale = scaleOf(weightsFeature!, "weights_feature");
  const timeScale = scaleOf(weightsTime!, "weights_time");
  const stateScale = scaleOf(state!, "activation state");
  const outputScale = scaleOf(output, "output");
  // TFLM forms both effective scales in float32 and only then widens to double.
  const feature = quantizeMultiplier(Math.fround(Math.fround(inputScale * featureScale) / stateScale));
  const out = quantizeMultiplier(Math.fround(Math.fround(stateScale * timeScale) / outputScale));
  if (bias) {
    const biasScale = scaleOf(bias, "bias");
    if (!(Math.abs(biasScale - Math.fround(stateScale * timeScale)) < 1e-5)) {
      throw new KernelError(`${OP}: bias scale ${biasScale} is not activation state scale × weights_time scale`);
    }
  }

  const weights = new Int8Array(
    weightsFeature!.data!.buffer,
    weightsFeature!.data!.byteOffset,
    weightsFeature!.elementCount,
  );
  const featureRowSums = new Float64Array(shape.numFilters);
  for (let f = 0; f < shape.numFilters; f++) {
    let sum = 0;
    for (let c = 0; c < shape.inputSize; c++) sum += weights[f * shape.inputSize + c]!;
    featureRowSums[f] = sum;
  }
  const [stateMin, stateMax] = integerRange(state!.dtype);
  const prepared: IntegerSvdf = {
    ...shape,
    kind: "integer",
    featureRowSums,
    inputZeroPoint: zeroPointOf(input!),
    stateZeroPoint: zeroPointOf(state!),
    stateMin,
    stateMax,
    featureRequantizer: requantizer(feature.multiplier, feature.shift),
    outputRequantizer: requantizer(out.multiplier, out.shift),
    outputZeroPoint: zeroPointOf(output),
    fast: null,
  };
  const constantBias = !bias || bias.data !== null;
  if (state!.dtype === "int16" && constantBias && shape.inputSize * 128 * 128 < TWO_POW_23) {
    prepared.fast = prepareFast(prepared, weights, weightsTime!, bias);
  }
  return prepared;
}

const TWO_POW_23 = 8388608;
const TWO_POW_24 = 16777216;

function prepareFast(p: IntegerSvdf, weights: Int8Array, weightsTime: TensorDef, bias: TensorDef | null): FastSvdf {
  const { inputSize, numFilters, numUnits, rank, memorySize } = p;
  const pairs = (numFilters + 1) >> 1;
  const packedFeature = new Float64Array(pairs * inputSize);
  const featureBias = new Float64Array(pairs * 2);
  for (let f = 0; f < numFilters; f++) {
    const half = f & 1 ? TWO_POW_24 : 1;
    const row = (f >> 1) * inputSize;
    for (let c = 0; c < inputSize; c++) packedFeature[row + c] += weights[f * inputSize + c]! * half;
    featureBias[f] = -p.inputZeroPoint * p.featureRowSums[f]!;
  }
  const data = weightsTime.data!;
  const time = new Int16Array(data.buffer, data.byteOffset, weightsTime.elementCount);
  const timeWeights = Float64Array.from(time);
  const biasValues = bias ? new Int32Array(bias.data!.buffer, bias.data!.byteOffset, numUnits) : null;
  const unitBias = new Float64Array(numUnits);
  const block = rank * memorySize;
  for (let u = 0; u < numUnits; u++) {
    let sum = 0;
    for (let j = 0; j < block; j++) sum += timeWeights[u * block + j]!;
    unitBias[u] = (biasValues ? biasValues[u]! : 0) - p.stateZeroPoint * sum;
  }
  return { packedFeature, featureBias, timeWeights, unitBias };
}

function prepareFloat(ctx: NodeContext, shape: SvdfShape): FloatSvdf {
  for (const [k, t] of ctx.inputs.entries()) {
    if (t && t.dtype !== "float32") throw new KernelError(`${OP}: float32 SVDF input ${k} has type ${t.dtype}`);
  }
  if (ctx.outputs[0]!.dtype !== "float32") throw new KernelError(`${OP}: float32 SVDF needs a float32 output`);
  const activation = String(ctx.node.options.fusedActivationFunction ?? "NONE");
  if (!FLOAT_ACTIVATIONS.has(activation))
    throw new KernelError(`${OP}: fused activation ${activation} is not supported`);
  return { ...shape, kind: "float32", activation };
}

/** TFLM ActivationValFloat, every result rounded to float32. Its min/max are fmin/fmax: NaN yields the bound. */
function activateFloat(activation: string, x: number): number {
  switch (activation) {
    case "RELU":
      // biome-ignore lint/complexity/useMathMinMax: Math.max would keep NaN; fmax(0, NaN) is 0.
      return x > 0 ? x : 0;
    case "RELU_N1_TO_1":
      return Number.isNaN(x) ? 1 : Math.max(-1, Math.min(x, 1));
    case "RELU6":
      return Number.isNaN(x) ? 6 : Math.max(0, Math.min(x, 6));
    case "TANH":
      return Math.fround(Math.tanh(x));
    case "SIGN_BIT":
      return x < 0 || Object.is(x, -0) ? 1 : 0;
    default:
      return x;
  }
}

function evalFloat(
  p: FloatSvdf,
  input: Float32Array,
  wf: Float32Array,
  wt: Float32Array,
  bias: Float32Array | null,
  state: Float32Array,
  output: Float32Array,
): void {
  const { batch, inputSize, numFilters, numUnits, rank, memorySize } = p;
  state.copyWithin(0, 1);
  // The newest feature projection lands in each filter's last memory slot.
  for (let b = 0; b < batch; b++) {
    const inputBase = b * inputSize;
    const stateBase = b * numFilters * memorySize + memorySize - 1;
    for (let f = 0; f < numFilters; f++) {
      const row = f * inputSize;
      let dot = 0;
      for (let c = 0; c < inputSize; c++) dot = Math.fround(dot + Math.fround(wf[row + c]! * input[inputBase + c]!));
      state[stateBase + f * memorySize] = dot;
    }
  }
  for (let b = 0; b < batch; b++) {
    const stateBatch = b * numFilters * memorySize;
    for (let u = 0; u < numUnits; u++) {
      let sum = bias ? bias[u]! : 0;
      for (let r = 0; r < rank; r++) {
        const f = u * rank + r;
        const memory = stateBatch + f * memorySize;
        let dot = 0;
        for (let j = 0; j < memorySize; j++) {
          dot = Math.fround(dot + Math.fround(wt[f * memorySize + j]! * state[memory + j]!));
        }
        sum = Math.fround(sum + dot);
      }
      output[b * numUnits + u] = activateFloat(p.activation, sum);
    }
  }
}

function evalInteger(
  p: IntegerSvdf,
  input: Int8Array,
  wf: Int8Array,
  wt: Int16Array | Int8Array,
  bias: Int32Array | null,
  state: Int16Array | Int8Array,
  output: Int8Array,
): void {
  const { batch, inputSize, numFilters, numUnits, rank, memorySize, stateZeroPoint } = p;
  state.copyWithin(0, 1);
  for (let b = 0; b < batch; b++) {
    const inputBase = b * inputSize;
    const stateBase = b * numFilters * memorySize + memorySize - 1;
    for (let f = 0; f < numFilters; f++) {
      const row = f * inputSize;
      // Σ w·(x − zp) = Σ w·x − zp·Σ w, exact in doubles; |0 gives the int32 wrap of TFLM's accumulator.
      let dot = -p.inputZeroPoint * p.featureRowSums[f]!;
      for (let c = 0; c < inputSize; c++) dot += wf[row + c]! * input[inputBase + c]!;
      let scaled = requantize(dot | 0, p.featureRequantizer);
      scaled = Math.min(Math.max(scaled, p.stateMin), p.stateMax);
      // The typed-array store wraps like TFLM's cast back to the state type.
      state[stateBase + f * memorySize] = stateZeroPoint + scaled;
    }
  }
  for (let b = 0; b < batch; b++) {
    const stateBatch = b * numFilters * memorySize;
    for (let u = 0; u < numUnits; u++) {
      // Every product is below 2^32 and the sum stays an exact double; |0 then equals TFLM's wrapping int32 sum.
      let sum = bias ? bias[u]! : 0;
      for (let r = 0; r < rank; r++) {
        const f = u * rank + r;
        const memory = stateBatch + f * memorySize;
        for (let j = 0; j < memorySize; j++) sum += wt[f * memorySize + j]! * (state[memory + j]! - stateZeroPoint);
      }
      const scaled = requantize(sum | 0, p.outputRequantizer) + p.outputZeroPoint;
      output[b * numUnits + u] = Math.min(Math.max(scaled, -128), 127);
    }
  }
}

/** Requantizes one filter's feature projection, clamps it to the state type and stores it (the store wraps). */
function storeFeature(p: IntegerSvdf, state: Int16Array, index: number, dot: number): void {
  const scaled = requantize(dot | 0, p.featureRequantizer);
  state[index] = p.stateZeroPoint + Math.min(Math.max(scaled, p.stateMin), p.stateMax);
}

/** evalInteger for int16 state over the prepared packed weights and folded biases; identical results. */
function evalIntegerFast(p: IntegerSvdf, fast: FastSvdf, input: Int8Array, state: Int16Array, output: Int8Array) {
  // `| 0`: numUnits comes from a division and would otherwise be a heap double, making every index a double.
  const batch = p.batch | 0;
  const inputSize = p.inputSize | 0;
  const numFilters = p.numFilters | 0;
  const numUnits = p.numUnits | 0;
  const memorySize = p.memorySize | 0;
  const block = (p.rank * memorySize) | 0;
  const { packedFeature, featureBias, timeWeights, unitBias } = fast;
  const pairs = (numFilters + 1) >> 1;
  state.copyWithin(0, 1);
  for (let b = 0; b < batch; b++) {
    const x0 = b * inputSize;
    const stateBase = b * numFilters * memorySize + memorySize - 1;
    for (let pair = 0; pair < pairs; pair++) {
      const row = pair * inputSize;
      let total = 0;
      let c = 0;
      for (; c + 4 <= inputSize; c += 4) {
        total +=
          packedFeature[row + c]! * input[x0 + c]! +
          packedFeature[row + c + 1]! * input[x0 + c + 1]! +
          packedFeature[row + c + 2]! * input[x0 + c + 2]! +
          packedFeature[row + c + 3]! * input[x0 + c + 3]!;
      }
      for (; c < inputSize; c++) total += packedFeature[row + c]! * input[x0 + c]!;
      const high = Math.floor((total + TWO_POW_23) / TWO_POW_24);
      const f = pair * 2;
      storeFeature(p, state, stateBase + f * memorySize, total - high * TWO_POW_24 + featureBias[f]!);
      if (f + 1 < numFilters) storeFeature(p, state, stateBase + (f + 1) * memorySize, high + featureBias[f + 1]!);
    }
  }
  const zp = p.outputZeroPoint;
  for (let b = 0; b < batch; b++) {
    const stateBatch = b * numFilters * memorySize;
    for (let u = 0; u < numUnits; u++) {
      // A unit's rank filters are adjacent, so its time convolution is one dot product of rank·memory_size.
      let sum = unitBias[u]!;
      const w0 = u * block;
      const s0 = stateBatch + w0;
      let j = 0;
      for (; j + 4 <= block; j += 4) {
        sum +=
          timeWeights[w0 + j]! * state[s0 + j]! +
          timeWeights[w0 + j + 1]! * state[s0 + j + 1]! +
          timeWeights[w0 + j + 2]! * state[s0 + j + 2]! +
          timeWeights[w0 + j + 3]! * state[s0 + j + 3]!;
      }
      for (; j < block; j++) sum += timeWeights[w0 + j]! * state[s0 + j]!;
      // Products below 2^30 and the sum an exact double; |0 is TFLM's wrapping int32 sum.
      const scaled = requantize(sum | 0, p.outputRequantizer) + zp;
      output[b * numUnits + u] = Math.min(Math.max(scaled, -128), 127);
    }
  }
}

export const svdf: Kernel<SvdfPrepared> = {
  prepare(ctx) {
    const shape = prepareShape(ctx);
    const inputType = ctx.inputs[0]!.dtype;
    if (inputType === "int8") return prepareInteger(ctx, shape);
    if (inputType === "float32") return prepareFloat(ctx, shape);
    throw new KernelError(`${OP}: input type ${inputType} is not supported (float32, int8)`);
  },
  eval(p, io) {
    const [input, wf, wt, bias, state] = io.inputs;
    if (p.kind === "float32") {
      evalFloat(
        p,
        input as Float32Array,
        wf as Float32Array,
        wt as Float32Array,
        bias as Float32Array | null,
        state as Float32Array,
        io.outputs[0] as Float32Array,
      );
    } else if (p.fast) {
      evalIntegerFast(p, p.fast, input as Int8Array, state as Int16Array, io.outputs[0] as Int8Array);
    } else {
      evalInteger(
        p,
        input as Int8Array,
        wf as Int8Array,
        wt as Int16Array | Int8Array,
        bias as Int32Array | null,
        state as Int16Array | Int8Array,
        io.outputs[0] as Int8Array,
      );
    }
  },
  macs(ctx) {
    const shape = prepareShape(ctx);
    return shape.batch * shape.numFilters * (shape.inputSize + shape.memorySize);
  },
};
