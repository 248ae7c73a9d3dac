/**
 * CONV_2D over NHWC tensors, as TFLM's conv.cc: float32; int8 activations with int8 per-channel weights and int32
 * bias; int16 activations with int8 weights and int64 bias (or int32 bias, which makes TFLM accumulate in int32).
 * Grouped convolution (filter depth dividing input depth), dilation and fused activations as in the reference.
 * The loops here are the readable reference; 1x1 int8 convolutions take the GEMM in wasm/conv-2d.ts (WebAssembly
 * SIMD) or, without SIMD, conv-2d-int8-fast.ts, and 16x8 ones with constant weights take conv-2d-int16-fast.ts,
 * which give identical bytes.
 */
import { KernelError } from "../errors.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
import { createPointwiseTile, type PointwiseInt8, pointwiseInt8, preparePointwiseInt8 } from "./conv-2d-int8-fast.js";
import {
  type ConvInt16,
  convInt16,
  createPaddedView,
  type PaddedView,
  prepareConvInt16,
} from "./conv-2d-int16-fast.js";
import {
  type ConvKind,
  type ConvOutputStage,
  clampFloat,
  convOperands,
  convOutputStage,
  endTap,
  evalBias,
  firstTap,
  fusedActivation,
  int16AccumulatesInInt32,
  type Window,
  windowGeometry,
} from "./conv-common.js";
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64 } from "./fixed-point.js";
import { type PointwiseWasm, pointwiseWasm, preparePointwiseWasm } from "./wasm/conv-2d.js";

export interface ConvPrepared extends ConvOutputStage {
  kind: ConvKind;
  window: Window;
  /** Depth of one filter; the input depth is `groups` times this. */
  filterDepth: number;
  filtersPerGroup: number;
  /** int16 only: TFLM accumulates in int32 (and requantizes with the 32-bit routine) when the bias is int32. */
  int32Accumulator: boolean;
  fast: PointwiseInt8 | null;
  /** The same 1x1 GEMM in WebAssembly SIMD, preferred when the engine has it. */
  wasm: PointwiseWasm | null;
  /** The 16x8 fast path (int64 accumulation, constant weights). */
  int16Fast: ConvInt16 | null;
}

/** TFLM's conv.cc int16 bias: int64, or int32 (then it accumulates in int32). */
const BIAS_TYPES = { float32: ["float32"], int8: ["int32"], int16: ["int32", "int64"] } as const;

/** TFLM's ConvPrepare checks, plus the shape checks its reference loops leave to DCHECKs. */
function prepareConv(ctx: NodeContext): ConvPrepared {
  const op = ctx.node.opName;
  const operands = convOperands(ctx);
  const { kind, input, filter, bias, output } = operands;
  const [outDepth, filterHeight, filterWidth, filterDepth] = filter.shape.map((d) => d | 0) as [
    number,
    number,
    number,
    number,
  ];
  const activation = fusedActivation(ctx);
  const window = windowGeometry(ctx, input, filterHeight, filterWidth, output);
  if (window.outDepth !== outDepth) {
    throw new KernelError(`${op}: output depth ${window.outDepth} differs from the filter's ${outDepth}`);
  }
  if (filterDepth <= 0 || window.inDepth % filterDepth !== 0) {
    throw new KernelError(`${op}: input depth ${window.inDepth} is not a multiple of the filter depth ${filterDepth}`);
  }
  const groups = window.inDepth / filterDepth;
  if (outDepth % groups !== 0) {
    throw new KernelError(`${op}: output depth ${outDepth} is not divisible into ${groups} groups`);
  }

  const prepared: ConvPrepared = {
    kind,
    window,
    filterDepth,
    filtersPerGroup: outDepth / groups,
    ...convOutputStage(ctx, operands, activation, BIAS_TYPES, outDepth, 0),
    int32Accumulator: kind === "int16" && int16AccumulatesInInt32(ctx, bias),
    fast: null,
    wasm: null,
    int16Fast: null,
  };
  if (kind === "int8" && groups === 1) {
    prepared.wasm = preparePointwiseWasm(prepared, filter, prepared.bias, bias);
    if (!prepared.wasm) prepared.fast = preparePointwiseInt8(prepared, filter, prepared.bias, bias);
  }
  if (kind === "int16") prepared.int16Fast = prepareConvInt16(ctx, prepared, filter, bias);
  return prepared;
}

function convFloat(
  p: ConvPrepared,
  input: Float32Array,
  filter: Float32Array,
  bias: Float64Array | null,
  out: Float32Array,
) {
  const w = p.window;
  const fd = p.filterDepth;
  for (let b = 0; b < w.batches; b++) {
    for (let oy = 0; oy < w.outHeight; oy++) {
      const inY0 = oy * w.strideH - w.padH;
      const fy0 = firstTap(inY0, w.dilationH);
      const fy1 = endTap(inY0, w.dilationH, w.filterHeight, w.inHeight);
      for (let ox = 0; ox < w.outWidth; ox++) {
        const inX0 = ox * w.strideW - w.padW;
        const fx0 = firstTap(inX0, w.dilationW);
        const fx1 = endTap(inX0, w.dilationW, w.filterWidth, w.inWidth);
        for (let oc = 0; oc < w.outDepth; oc++) {
          const groupOffset = Math.floor(oc / p.filtersPerGroup) * fd;
          // float32 accumulation, rounded after every product and sum as the C++ does.
          let total = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            const iy = inY0 + w.dilationH * fy;
            for (let fx = fx0; fx < fx1; fx++) {
              const ix = inX0 + w.dilationW * fx;
              const inBase = ((b * w.inHeight + iy) * w.inWidth + ix) * w.inDepth + groupOffset;
              const fBase = ((oc * w.filterHeight + fy) * w.filterWidth + fx) * fd;
              for (let ic = 0; ic < fd; ic++) {
                total = Math.fround(total + Math.fround(input[inBase + ic]! * filter[fBase + ic]!));
              }
            }
          }
          const biased = Math.fround(total + (bias ? bias[oc]! : 0));
          out[((b * w.outHeight + oy) * w.outWidth + ox) * w.outDepth + oc] = clampFloat(
            biased,
            p.floatMin,
            p.floatMax,
          );
        }
      }
    }
  }
}

/**
 * The quantized reference: TFLM's ConvPerChannel. int8 adds the input offset to each input value; the 16x8
 * kernels use neither input nor output zero points. The int32 accumulator wraps as the C++ one does. Windows
 * are clipped to the input once per pixel, which skips exactly the taps TFLM's per-tap test skips.
 */
function convQuantized(
  p: ConvPrepared,
  input: Int8Array | Int16Array,
  filter: Int8Array,
  bias: Float64Array | null,
  out: Int8Array | Int16Array,
) {
  const w = p.window;
  const q = p.quant!;
  const fd = p.filterDepth;
  const isInt8 = p.kind === "int8";
  const inputOffset = isInt8 ? -q.inputZeroPoint : 0;
  const outputOffset = isInt8 ? q.outputZeroPoint : 0;
  const int64 = !isInt8 && !p.int32Accumulator;
  for (let b = 0; b < w.batches; b++) {
    for (let oy = 0; oy < w.outHeight; oy++) {
      const inY0 = oy * w.strideH - w.padH;
      const fy0 = firstTap(inY0, w.dilationH);
      const fy1 = endTap(inY0, w.dilationH, w.filterHeight, w.inHeight);
      for (let ox = 0; ox < w.outWidth; ox++) {
        const inX0 = ox * w.strideW - w.padW;
        const fx0 = firstTap(inX0, w.dilationW);
        const fx1 = endTap(inX0, w.dilationW, w.filterWidth, w.inWidth);
        for (let oc = 0; oc < w.outDepth; oc++) {
          const groupOffset = Math.floor(oc / p.filtersPerGroup) * fd;
          let acc = 0;
          for (let fy = fy0; fy < fy1; fy++) {
            const iy = inY0 + w.dilationH * fy;
            for (let fx = fx0; fx < fx1; fx++) {
              const ix = inX0 + w.dilationW * fx;
              const inBase = ((b * w.inHeight + iy) * w.inWidth + ix) * w.inDepth + groupOffset;
              const fBase = ((oc * w.filterHeight + fy) * w.filterWidth + fx) * fd;
              for (let ic = 0; ic < fd; ic++) acc += filter[fBase + ic]! * (input[inBase + ic]! + inputOffset);
            }
          }
          if (bias) acc += bias[oc]!;
          const scaled = int64
            ? multiplyByQuantizedMultiplierInt64(acc, q.multipliers[oc]!, q.shifts[oc]!)
            : multiplyByQuantizedMultiplier(acc | 0, q.multipliers[oc]!, q.shifts[oc]!);
          const v = scaled + outputOffset;
          out[((b * w.outHeight + oy) * w.outWidth + ox) * w.outDepth + oc] = Math.min(
            Math.max(v, q.activationMin),
            q.activationMax,
          );
        }
      }
    }
  }
}

/** The reference path, for every supported type combination and for weights known only at eval. */
function evalConvReference(p: ConvPrepared, inputs: (TypedArray | null)[], output: TypedArray): void {
  const bias = evalBias(p.bias, p.hasBias, inputs[2] ?? null);
  if (p.kind === "float32") {
    convFloat(p, inputs[0] as Float32Array, inputs[1] as Float32Array, bias, output as Float32Array);
  } else {
    convQuantized(
      p,
      inputs[0] as Int8Array | Int16Array,
      inputs[1] as Int8Array,
      bias,
      output as Int8Array | Int16Array,
    );
  }
}

/** Per-session state: the int8 fast path's tile buffer, or the int16 one's view of its scratch. */
type ConvState = Float64Array | PaddedView | null;

export const conv2d: Kernel<ConvPrepared, ConvState> = {
  prepare: prepareConv,
  createState(p) {
    return p.fast ? createPointwiseTile() : p.int16Fast ? createPaddedView() : null;
  },
  eval(p, io, tile) {
    if (p.wasm) pointwiseWasm(p.wasm, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array);
    else if (p.fast && tile) {
      pointwiseInt8(p.fast, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array, tile as Float64Array);
    } else if (p.int16Fast && tile) {
      convInt16(p.int16Fast, io.inputs[0] as Int16Array, io.outputs[0] as Int16Array, io.scratch, tile as PaddedView);
    } else evalConvReference(p, io.inputs, io.outputs[0]!);
  },
  macs(ctx) {
    const output = ctx.outputs[0]!;
    const filter = ctx.inputs[1]!;
    // Every output value takes filter_height * filter_width * filter_depth multiply-accumulates.
    return output.elementCount * filter.shape[1]! * filter.shape[2]! * filter.shape[3]!;
  },
};
