/**
 * FULLY_CONNECTED, as TFLM's fully_connected.cc: float32; int8 activations with int8 weights, per-tensor or
 * per-channel, int32 bias; int16 activations with int8 weights and int64 bias (int32 bias, or no bias with
 * quantized_bias_type INT32, makes TFLM accumulate in int32). Rows of the input are the batches: the output's
 * last dimension is the number of units and everything before it counts batches, so keep_num_dims only
 * changes the declared output shape. Only the DEFAULT weights format exists in TFLM. The loops here are the
 * readable reference; int8 with constant weights takes fully-connected-int8-fast.ts, which gives identical bytes.
 */
import { KernelError } from "../errors.js";
import type { TensorDef } from "../format/model.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import {
  clampFloat,
  evalBias,
  floatClamp,
  fusedActivation,
  int16AccumulatesInInt32,
  prepareBias,
  tensorQuantization,
} from "./conv-common.js";
import {
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierInt64,
  quantizedActivationRange,
  quantizeMultiplier,
  quantizeMultipliers,
} from "./fixed-point.js";
import { type FullyConnectedInt8, fullyConnectedInt8, prepareFullyConnectedInt8 } from "./fully-connected-int8-fast.js";

export interface FullyConnectedPrepared {
  kind: "float32" | "int8" | "int16";
  batches: number;
  units: number;
  depth: number;
  floatMin: number;
  floatMax: number;
  inputOffset: number;
  /** Per-tensor kernels add -filter_zero_point to each weight; per-channel ones assume symmetric weights. */
  filterOffset: number;
  outputOffset: number;
  /** One entry per unit (the per-tensor multiplier repeated), Q31 with power-of-two exponent. */
  multipliers: Int32Array;
  shifts: Int32Array;
  activationMin: number;
  activationMax: number;
  bias: Float64Array | null;
  hasBias: boolean;
  int64Accumulator: boolean;
  /** The packed int8 path, when the weights and bias are constant. */
  fast: FullyConnectedInt8 | null;
}

/** Multipliers as TFLM computes them: per-channel in double; per-tensor from the float32 product of scales. */
function outputMultipliers(
  op: string,
  input: TensorDef,
  filter: TensorDef,
  bias: TensorDef | null,
  output: TensorDef,
  units: number,
): { multipliers: Int32Array; shifts: Int32Array } {
  const inScale = tensorQuantization(op, "input", input).scale;
  const outScale = tensorQuantization(op, "output", output).scale;
  const fq = filter.quantization;
  if (!fq || fq.scale.length === 0) throw new KernelError(`${op}: filter (${filter.dtype}) has no quantization`);
  if (fq.scale.length > 1) {
    if (filter.shape[fq.quantizedDimension] !== fq.scale.length || fq.scale.length !== units) {
      throw new KernelError(`${op}: filter has ${fq.scale.length} scales for ${units} units`);
    }
    return quantizeMultipliers(fq.scale.map((s) => (inScale * s) / outScale));
  }
  const filterScale = fq.scale[0]!;
  if (bias) {
    // TFLM's GetQuantizedConvolutionMultipler insists the bias scale matches input_scale * filter_scale.
    const biasScale = bias.quantization?.scale[0] ?? 0;
    if (Math.abs(inScale * filterScale - biasScale) / outScale > 0.02) {
      throw new KernelError(
        `${op}: bias scale ${biasScale} is not input scale x filter scale (${inScale * filterScale})`,
      );
    }
  }
  // Per-tensor: the product of scales is taken in float32, then divided in double.
  const q = quantizeMultiplier(Math.fround(inScale * filterScale) / outScale);
  return { multipliers: new Int32Array(units).fill(q.multiplier), shifts: new Int32Array(units).fill(q.shift) };
}

function prepare(ctx: NodeContext): FullyConnectedPrepared {
  const op = ctx.node.opName;
  const [input, filter, bias = null] = ctx.inputs;
  const output = ctx.outputs[0];
  if (ctx.inputs.length < 2 || ctx.inputs.length > 3) throw new KernelError(`${op}: needs 2 or 3 inputs`);
  if (!input || !filter || !output || ctx.outputs.length !== 1) {
    throw new KernelError(`${op}: needs an input, weights and one output`);
  }
  const format = String(ctx.node.options.weightsFormat ?? "DEFAULT");
  if (format !== "DEFAULT") throw new KernelError(`${op}: weights format ${format} is not supported (only DEFAULT)`);
  if (input.dtype !== output.dtype) {
    throw new KernelError(`${op}: input type ${input.dtype} differs from output type ${output.dtype}`);
  }
  let kind: FullyConnectedPrepared["kind"];
  if (input.dtype === "float32" && filter.dtype === "float32") kind = "float32";
  else if (input.dtype === "int8" && filter.dtype === "int8") kind = "int8";
  else if (input.dtype === "int16" && filter.dtype === "int8") kind = "int16";
  else if (filter.dtype === "int4") throw new KernelError(`${op}: int4 weights are not supported`);
  else {
    throw new KernelError(
      `${op}: input ${input.dtype} with weights ${filter.dtype} is not supported (float32/float32, int8/int8, int16/int8)`,
    );
  }
  if (filter.shape.length < 2) throw new KernelError(`${op}: weights must have rank >= 2, got [${filter.shape}]`);
  if (output.shape.length < 1) throw new KernelError(`${op}: output must have rank >= 1`);
  // `| 0` keeps these V8 Smis, not heap doubles, so the index arithmetic in eval stays integral.
  const depth = filter.shape[filter.shape.length - 1]! | 0;
  const units = output.shape[output.shape.length - 1]! | 0;
  if (filter.shape[filter.shape.length - 2] !== units) {
    throw new KernelError(
      `${op}: output has ${units} units but the weights [${filter.shape}] have ${filter.shape[filter.shape.length - 2]}`,
    );
  }
  const batches = units === 0 ? 0 : (output.elementCount / units) | 0;
  if (input.elementCount !== batches * depth) {
    throw new KernelError(
      `${op}: input [${input.shape}] has ${input.elementCount} values, expected ${batches} rows of ${depth}`,
    );
  }
  const activation = fusedActivation(ctx);
  const biasTypes = kind === "float32" ? ["float32"] : kind === "int8" ? ["int32"] : ["int32", "int64"];
  const biasValues = prepareBias(op, bias, biasTypes, units);
  const [floatMin, floatMax] = floatClamp(activation);
  const base = {
    kind,
    batches,
    units,
    depth,
    floatMin,
    floatMax,
    bias: biasValues,
    hasBias: bias !== null,
    int64Accumulator: kind === "int16" && !int16AccumulatesInInt32(ctx, bias),
    fast: null,
  };
  if (kind === "float32") {
    return {
      ...base,
      inputOffset: 0,
      filterOffset: 0,
      outputOffset: 0,
      multipliers: new Int32Array(0),
      shifts: new Int32Array(0),
      activationMin: 0,
      activationMax: 0,
    };
  }
  const inQ = tensorQuantization(op, "input", input);
  const outQ = tensorQuantization(op, "output", output);
  const perChannel = (filter.quantization?.scale.length ?? 0) > 1;
  const { multipliers, shifts } = outputMultipliers(op, input, filter, bias, output, units);
  const [activationMin, activationMax] = quantizedActivationRange(activation, output.dtype, outQ.scale, outQ.zeroPoint);
  const prepared: FullyConnectedPrepared = {
    ...base,
    inputOffset: -inQ.zeroPoint,
    filterOffset: perChannel ? 0 : -(filter.quantization!.zeroPoint[0] ?? 0),
    outputOffset: outQ.zeroPoint,
    multipliers,
    shifts,
    activationMin,
    activationMax,
  };
  prepared.fast = prepareFullyConnectedInt8(prepared, filter, bias);
  return prepared;
}

function fullyConnectedFloat(
  p: FullyConnectedPrepared,
  input: Float32Array,
  weights: Float32Array,
  bias: Float64Array | null,
  out: Float32Array,
) {
  const batches = p.batches | 0;
  const units = p.units | 0;
  const depth = p.depth | 0;
  for (let b = 0; b < batches; b++) {
    const inBase = b * depth;
    for (let u = 0; u < units; u++) {
      // float32 accumulation, rounded after every product and sum as the C++ does.
      const wBase = u * depth;
      let total = 0;
      for (let d = 0; d < depth; d++) {
        total = Math.fround(total + Math.fround(input[inBase + d]! * weights[wBase + d]!));
      }
      out[b * units + u] = clampFloat(Math.fround(total + (bias ? bias[u]! : 0)), p.floatMin, p.floatMax);
    }
  }
}

/** TFLM's integer FullyConnected / FullyConnectedPerChannel; the int32 accumulator wraps as the C++ one does. */
function fullyConnectedQuantized(
  p: FullyConnectedPrepared,
  input: Int8Array | Int16Array,
  weights: Int8Array,
  bias: Float64Array | null,
  out: Int8Array | Int16Array,
) {
  for (let b = 0; b < p.batches; b++) {
    for (let u = 0; u < p.units; u++) {
      let acc = 0;
      for (let d = 0; d < p.depth; d++) {
        acc += (weights[u * p.depth + d]! + p.filterOffset) * (input[b * p.depth + d]! + p.inputOffset);
      }
      if (bias) acc += bias[u]!;
      const scaled = p.int64Accumulator
        ? multiplyByQuantizedMultiplierInt64(acc, p.multipliers[u]!, p.shifts[u]!)
        : multiplyByQuantizedMultiplier(acc | 0, p.multipliers[u]!, p.shifts[u]!);
      const v = scaled + p.outputOffset;
      out[b * p.units + u] = Math.min(Math.max(v, p.activationMin), p.activationMax);
    }
  }
}

export const fullyConnected: Kernel<FullyConnectedPrepared> = {
  prepare,
  eval(p, io) {
    if (p.fast) {
      fullyConnectedInt8(p.fast, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array);
      return;
    }
    const bias = evalBias(p.bias, p.hasBias, io.inputs[2] ?? null);
    if (p.kind === "float32") {
      fullyConnectedFloat(
        p,
        io.inputs[0] as Float32Array,
        io.inputs[1] as Float32Array,
        bias,
        io.outputs[0] as Float32Array,
      );
    } else {
      fullyConnectedQuantized(
        p,
        io.inputs[0] as Int8Array | Int16Array,
        io.inputs[1] as Int8Array,
        bias,
        io.outputs[0] as Int8Array | Int16Array,
      );
    }
  },
  macs(ctx) {
    const filter = ctx.inputs[1]!;
    const output = ctx.outputs[0]!;
    return output.elementCount * filter.shape[filter.shape.length - 1]!;
  },
};
