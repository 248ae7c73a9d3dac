/**
 * CIRCULAR_BUFFER (TFLM custom op for strided streaming models): each invocation shifts the int8 output
 * [batch, slots, height, width] one slot towards the start and appends the input [batch, 1, height, width] as the
 * newest slot. The window and the countdown to the op's next "real" run are per-session state.
 *
 * Like TFLM (kTfLiteAbort), it ends the whole invocation early on the invocations where the countdown has not
 * reached zero, so the ops after it run only every `period`-th frame (session.completed tells the caller).
 */
import { KernelError } from "../errors.js";
import { type Kernel, type NodeContext, STOP_INVOCATION } from "../runtime/kernel.js";

const OP = "CIRCULAR_BUFFER";

interface CircularBufferPrepared {
  /** Invocations between runs (TFLM's cycles_max). */
  period: number;
  slots: number;
  /** Values per slot (height × width); TFLM moves only the first batch's window. */
  depth: number;
  outputSize: number;
  zeroPoint: number;
}

export interface CircularBufferState {
  window: Int8Array;
  cyclesUntilRun: number;
  /** False on the invocations where TFLM would abort the rest of the graph. */
  ranThisInvocation: boolean;
}

/**
 * TFLM counts, across every CIRCULAR_BUFFER prepared in the process without a cycles_max option, how many it has
 * seen, to recognise the fifth layer of one known streaming model. Reproduced as module state, like TFLM's static.
 */
let unconfiguredPrepareCount = 0;

const FLEX_MAP = 9;
const FLEX_VECTOR = 10;

function readUnsigned(bytes: Uint8Array, at: number, width: number): number {
  let value = 0;
  for (let k = width - 1; k >= 0; k--) value = value * 256 + bytes[at + k]!;
  return value;
}

/**
 * cycles_max, as TFLM's FlexbufferWrapper reads it: the root map (or vector) seen as a vector, element 0 read as a
 * signed integer of the vector's byte width whatever its declared type, keeping the low 32 bits. Maps store their
 * values in key order, and cycles_max is the first key. 0 when there are no options.
 */
function readCyclesMax(ctx: NodeContext): number {
  const bytes = ctx.node.customOptions;
  if (!bytes || bytes.byteLength === 0) return 0;
  const invalid = (why: string) => new KernelError(`${OP}: custom options are not a valid flexbuffer (${why})`);
  const n = bytes.length;
  if (n < 3) throw invalid("too short");
  const rootWidth = bytes[n - 1]!;
  const packed = bytes[n - 2]!;
  const type = packed >> 2;
  const width = 1 << (packed & 3);
  if (![1, 2, 4, 8].includes(rootWidth) || n < 2 + rootWidth) throw invalid("bad root width");
  if (type !== FLEX_MAP && type !== FLEX_VECTOR) throw invalid("the root is not a map or vector");
  const rootAt = n - 2 - rootWidth;
  const data = rootAt - readUnsigned(bytes, rootAt, rootWidth);
  if (data - width < 0 || data + width > n) throw invalid("vector out of bounds");
  if (readUnsigned(bytes, data - width, width) < 1) throw invalid("no values");
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  switch (width) {
    case 1:
      return view.getInt8(data);
    case 2:
      return view.getInt16(data, true);
    case 4:
      return view.getInt32(data, true);
    default:
      return Number(BigInt.asIntN(32, view.getBigInt64(data, true)));
  }
}

export const circularBuffer: Kernel<CircularBufferPrepared, CircularBufferState> = {
  prepare(ctx) {
    if (ctx.inputs.length !== 1 || ctx.outputs.length !== 1) {
      throw new KernelError(`${OP}: expects 1 input and 1 output, got ${ctx.inputs.length} and ${ctx.outputs.length}`);
    }
    const input = ctx.inputs[0];
    const output = ctx.outputs[0]!;
    if (!input) throw new KernelError(`${OP}: the input is missing`);
    if (input.shape.length !== 4 || output.shape.length !== 4) {
      throw new KernelError(`${OP}: input [${input.shape}] and output [${output.shape}] must both have rank 4`);
    }
    const [inBatch, inSlots, inHeight, inWidth] = input.shape as [number, number, number, number];
    const [outBatch, slots, outHeight, outWidth] = output.shape as [number, number, number, number];
    if (inBatch !== outBatch || inSlots !== 1 || inHeight !== outHeight || inWidth !== outWidth) {
      throw new KernelError(`${OP}: input [${input.shape}] must be output [${output.shape}] with one slot`);
    }
    if (slots < 1) throw new KernelError(`${OP}: output [${output.shape}] has no slots`);
    if (input.dtype !== output.dtype) {
      throw new KernelError(`${OP}: input type ${input.dtype} differs from output type ${output.dtype}`);
    }
    if (input.dtype !== "int8") throw new KernelError(`${OP}: input type ${input.dtype} is not supported (int8)`);

    let period = readCyclesMax(ctx);
    if (period <= 0) {
      // TFLM's fallback for the two streaming models it knows: period 1 for these windows, else 2.
      unconfiguredPrepareCount++;
      if (
        slots === 5 ||
        slots === 13 ||
        slots === 25 ||
        (unconfiguredPrepareCount === 5 && outHeight === 2 && outWidth === 96)
      ) {
        period = 1;
        unconfiguredPrepareCount = 0;
      } else {
        period = 2;
      }
    }
    // A variable output starts at (and resets to) its zero point; so does the window.
    const zeroPoint = output.quantization?.zeroPoint[0] ?? 0;
    return { period, slots, depth: outHeight * outWidth, outputSize: output.elementCount, zeroPoint };
  },

  createState(p) {
    const window = new Int8Array(p.outputSize);
    window.fill(p.zeroPoint);
    return { window, cyclesUntilRun: p.period, ranThisInvocation: false };
  },

  resetState(p, state) {
    state.window.fill(p.zeroPoint);
    state.cyclesUntilRun = p.period;
    state.ranThisInvocation = false;
  },

  eval(p, io, state) {
    const input = io.inputs[0] as Int8Array;
    const output = io.outputs[0] as Int8Array;
    const window = state.window;
    const kept = (p.slots - 1) * p.depth;
    window.copyWithin(0, p.depth, p.depth + kept);
    window.set(input.subarray(0, p.depth), kept);
    output.set(window);
    state.cyclesUntilRun--;
    state.ranThisInvocation = state.cyclesUntilRun === 0;
    if (!state.ranThisInvocation) return STOP_INVOCATION;
    state.cyclesUntilRun = p.period;
  },
};
