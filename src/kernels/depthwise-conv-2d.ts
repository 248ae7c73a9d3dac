/**
 * DEPTHWISE_CONV_2D over NHWC tensors, as TFLM's depthwise_conv.cc: float32; int8 activations with int8
 * per-channel weights and int32 bias; int16 activations with int8 weights and int64 bias. Output channel
 * ic * depth_multiplier + m reads input channel ic. The loops here are the readable reference; int8 with
 * constant weights takes wasm/depthwise-conv-2d.ts (3x3, WebAssembly SIMD) or depthwise-conv-2d-int8-fast.ts,
 * which give identical bytes.
 */
import { KernelError } from "../errors.js";
import type { Kernel, NodeContext } from "../runtime/kernel.js";
import type { TypedArray } from "../runtime/tensor.js";
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
  type Window,
  windowGeometry,
} from "./conv-common.js";
import {
  createPlaneView,
  type DepthwiseInt8,
  depthwiseInt8,
  type PlaneView,
  prepareDepthwiseInt8,
} from "./depthwise-conv-2d-int8-fast.js";
import { multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64 } from "./fixed-point.js";
import { type DepthwiseWasm, depthwiseWasm, prepareDepthwiseWasm } from "./wasm/depthwise-conv-2d.js";

export interface DepthwisePrepared extends ConvOutputStage {
  kind: ConvKind;
  window: Window;
  depthMultiplier: number;
  fast: DepthwiseInt8 | null;
  /** 3x3 int8 in WebAssembly SIMD, preferred when the engine has it. */
  wasm: DepthwiseWasm | null;
}

/** TFLM reads a 16x8 depthwise bias as int64 only. */
const BIAS_TYPES = { float32: ["float32"], int8: ["int32"], int16: ["int64"] } as const;

function prepare(ctx: NodeContext): DepthwisePrepared {
  const op = ctx.node.opName;
  const operands = convOperands(ctx);
  const { kind, input, filter, bias, output } = operands;
  const [one, filterHeight, filterWidth, filterChannels] = filter.shape.map((d) => d | 0) as [
    number,
    number,
    number,
    number,
  ];
  if (one !== 1) throw new KernelError(`${op}: filter shape [${filter.shape}] must start with 1`);
  const activation = fusedActivation(ctx);
  const window = windowGeometry(ctx, input, filterHeight, filterWidth, output);
  const depthMultiplier = Number(ctx.node.options.depthMultiplier ?? 0) | 0;
  if (window.outDepth !== filterChannels) {
    throw new KernelError(`${op}: output depth ${window.outDepth} differs from the filter's ${filterChannels}`);
  }
  if (!(depthMultiplier >= 1) || window.inDepth * depthMultiplier !== window.outDepth) {
    throw new KernelError(
      `${op}: output depth ${window.outDepth} is not input depth ${window.inDepth} x depth multiplier ${depthMultiplier}`,
    );
  }
  const prepared: DepthwisePrepared = {
    kind,
    window,
    depthMultiplier,
    ...convOutputStage(ctx, operands, activation, BIAS_TYPES, window.outDepth, 3),
    fast: null,
    wasm: null,
  };
  if (kind === "int8") {
    prepared.wasm = prepareDepthwiseWasm(prepared, filter, bias);
    if (!prepared.wasm) prepared.fast = prepareDepthwiseInt8(ctx, prepared, filter, bias);
  }
  return prepared;
}

function depthwiseFloat(
  p: DepthwisePrepared,
  input: Float32Array,
  filter: Float32Array,
  bias: Float64Array | null,
  out: Float32Array,
) {
  const w = p.window;
  const dm = p.depthMultiplier;
  for (let b = 0; b < w.batches; b++) {
    for (let oy = 0; oy < w.outHeight; oy++) {
      const inY0 = oy * w.strideH - w.padH;
      const fy0 = firstTap(inY0, w.dilationH);
      const fy1 = endTap(inY0, w.dilationH, w.filterHeight, w.inHeight);
      for (let ox = 0; ox < w.outWidth; ox++) {
        const inX0 = ox * w.strideW - w.padW;
        const fx0 = firstTap(inX0, w.dilationW);
        const fx1 = endTap(inX0, w.dilationW, w.filterWidth, w.inWidth);
        for (let ic = 0; ic < w.inDepth; ic++) {
          for (let m = 0; m < dm; m++) {
            const oc = ic * dm + m;
            // float32 accumulation, rounded after every product and sum as the C++ does.
            let total = 0;
            for (let fy = fy0; fy < fy1; fy++) {
              const iy = inY0 + w.dilationH * fy;
              for (let fx = fx0; fx < fx1; fx++) {
                const ix = inX0 + w.dilationW * fx;
                const x = input[((b * w.inHeight + iy) * w.inWidth + ix) * w.inDepth + ic]!;
                total = Math.fround(total + Math.fround(x * filter[(fy * w.filterWidth + fx) * w.outDepth + oc]!));
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
}

/**
 * TFLM's DepthwiseConvPerChannel: int8 adds the input offset and output offset, accumulates in a wrapping int32;
 * int16 uses no zero points and accumulates in int64. Windows are clipped to the input once per pixel, which
 * skips exactly the taps TFLM's per-tap test skips.
 */
function depthwiseQuantized(
  p: DepthwisePrepared,
  input: Int8Array | Int16Array,
  filter: Int8Array,
  bias: Float64Array | null,
  out: Int8Array | Int16Array,
) {
  const w = p.window;
  const q = p.quant!;
  const dm = p.depthMultiplier;
  const isInt8 = p.kind === "int8";
  const inputOffset = isInt8 ? -q.inputZeroPoint : 0;
  const outputOffset = isInt8 ? q.outputZeroPoint : 0;
  for (let b = 0; b < w.batches; b++) {
    for (let oy = 0; oy < w.outHeight; oy++) {
      const inY0 = oy * w.strideH - w.padH;
      const fy0 = firstTap(inY0, w.dilationH);
      const fy1 = endTap(inY0, w.dilationH, w.filterHeight, w.inHeight);
      for (let ox = 0; ox < w.outWidth; ox++) {
        const inX0 = ox * w.strideW - w.padW;
        const fx0 = firstTap(inX0, w.dilationW);
        const fx1 = endTap(inX0, w.dilationW, w.filterWidth, w.inWidth);
        for (let ic = 0; ic < w.inDepth; ic++) {
          for (let m = 0; m < dm; m++) {
            const oc = ic * dm + m;
            let acc = 0;
            for (let fy = fy0; fy < fy1; fy++) {
              const iy = inY0 + w.dilationH * fy;
              for (let fx = fx0; fx < fx1; fx++) {
                const ix = inX0 + w.dilationW * fx;
                const x = input[((b * w.inHeight + iy) * w.inWidth + ix) * w.inDepth + ic]!;
                acc += filter[(fy * w.filterWidth + fx) * w.outDepth + oc]! * (x + inputOffset);
              }
            }
            if (bias) acc += bias[oc]!;
            const scaled = isInt8
              ? multiplyByQuantizedMultiplier(acc | 0, q.multipliers[oc]!, q.shifts[oc]!)
              : multiplyByQuantizedMultiplierInt64(acc, q.multipliers[oc]!, q.shifts[oc]!);
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
}

/** The reference path, for every supported type combination and for weights known only at eval. */
function evalDepthwiseReference(p: DepthwisePrepared, inputs: (TypedArray | null)[], output: TypedArray): void {
  const bias = evalBias(p.bias, p.hasBias, inputs[2] ?? null);
  if (p.kind === "float32") {
    depthwiseFloat(p, inputs[0] as Float32Array, inputs[1] as Float32Array, bias, output as Float32Array);
  } else {
    depthwiseQuantized(
      p,
      inputs[0] as Int8Array | Int16Array,
      inputs[1] as Int8Array,
      bias,
      output as Int8Array | Int16Array,
    );
  }
}

/** Per-session state: the fast path's view of its scratch plane. */
type DepthwiseState = PlaneView | null;

export const depthwiseConv2d: Kernel<DepthwisePrepared, DepthwiseState> = {
  prepare,
  createState(p) {
    return p.fast ? createPlaneView() : null;
  },
  eval(p, io, view) {
    if (p.wasm) depthwiseWasm(p.wasm, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array);
    else if (p.fast && view)
      depthwiseInt8(p.fast, io.inputs[0] as Int8Array, io.outputs[0] as Int8Array, io.scratch, view);
    else evalDepthwiseReference(p, io.inputs, io.outputs[0]!);
  },
  macs(ctx) {
    const filter = ctx.inputs[1]!;
    return ctx.outputs[0]!.elementCount * filter.shape[1]! * filter.shape[2]!;
  },
};
