/**
 * The whole op registry: op name (builtin name, or custom code for custom ops) → kernel. One line per op;
 * kernels are grouped below only to keep concurrent additions apart.
 */
import type { AnyKernel } from "../runtime/kernel.js";
import { abs } from "./abs.js";
import { add } from "./add.js";
import { addN } from "./add-n.js";
import { argMax } from "./arg-max.js";
import { argMin } from "./arg-min.js";
import { assignVariable } from "./assign-variable.js";
import { averagePool2d } from "./average-pool-2d.js";
import { batchMatMul } from "./batch-matmul.js";
import { batchToSpaceNd } from "./batch-to-space-nd.js";
import { broadcastArgs } from "./broadcast-args.js";
import { broadcastTo } from "./broadcast-to.js";
import { callOnce } from "./call-once.js";
import { cast } from "./cast.js";
import { ceil } from "./ceil.js";
import { circularBuffer } from "./circular-buffer.js";
import { concatenation } from "./concatenation.js";
import { conv2d } from "./conv-2d.js";
import { cos } from "./cos.js";
import { cumsum } from "./cumsum.js";
import { depthToSpace } from "./depth-to-space.js";
import { depthwiseConv2d } from "./depthwise-conv-2d.js";
import { dequantize } from "./dequantize.js";
import { detectionPostprocess } from "./detection-postprocess.js";
import { div } from "./div.js";
import { dynamicUpdateSlice } from "./dynamic-update-slice.js";
import { elu } from "./elu.js";
import { embeddingLookup } from "./embedding-lookup.js";
import { equal } from "./equal.js";
import { exp } from "./exp.js";
import { expandDims } from "./expand-dims.js";
import { fill } from "./fill.js";
import { floor } from "./floor.js";
import { floorDiv } from "./floor-div.js";
import { floorMod } from "./floor-mod.js";
import { fullyConnected } from "./fully-connected.js";
import { gather } from "./gather.js";
import { gatherNd } from "./gather-nd.js";
import { greater } from "./greater.js";
import { greaterEqual } from "./greater-equal.js";
import { hardSwish } from "./hard-swish.js";
import { ifKernel } from "./if.js";
import { l2Normalization } from "./l2-normalization.js";
import { l2Pool2d } from "./l2-pool-2d.js";
import { leakyRelu } from "./leaky-relu.js";
import { less } from "./less.js";
import { lessEqual } from "./less-equal.js";
import { log } from "./log.js";
import { logSoftmax } from "./log-softmax.js";
import { logicalAnd } from "./logical-and.js";
import { logicalNot } from "./logical-not.js";
import { logicalOr } from "./logical-or.js";
import { logistic } from "./logistic.js";
import { maxPool2d } from "./max-pool-2d.js";
import { maximum } from "./maximum.js";
import { mean } from "./mean.js";
import { minimum } from "./minimum.js";
import { mirrorPad } from "./mirror-pad.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";
import { notEqual } from "./not-equal.js";
import { pack } from "./pack.js";
import { pad } from "./pad.js";
import { prelu } from "./prelu.js";
import { quantize } from "./quantize.js";
import { readVariable } from "./read-variable.js";
import { reduceAll } from "./reduce-all.js";
import { reduceMax } from "./reduce-max.js";
import { reduceMin } from "./reduce-min.js";
import { relu } from "./relu.js";
import { relu6 } from "./relu6.js";
import { reshape } from "./reshape.js";
import { resizeBilinear } from "./resize-bilinear.js";
import { resizeNearestNeighbor } from "./resize-nearest-neighbor.js";
import { reverseV2 } from "./reverse-v2.js";
import { round } from "./round.js";
import { rsqrt } from "./rsqrt.js";
import { selectV2 } from "./select-v2.js";
import { shape } from "./shape.js";
import { signalDelay } from "./signal-delay.js";
import { signalEnergy } from "./signal-energy.js";
import { signalFftAutoScale } from "./signal-fft-auto-scale.js";
import { signalFilterBank } from "./signal-filter-bank.js";
import { signalFilterBankLog } from "./signal-filter-bank-log.js";
import { signalFilterBankSpectralSubtraction } from "./signal-filter-bank-spectral-subtraction.js";
import { signalFilterBankSquareRoot } from "./signal-filter-bank-square-root.js";
import { signalFramer } from "./signal-framer.js";
import { signalIrfft } from "./signal-irfft.js";
import { signalOverlapAdd } from "./signal-overlap-add.js";
import { signalPcan } from "./signal-pcan.js";
import { signalRfft } from "./signal-rfft.js";
import { signalStacker } from "./signal-stacker.js";
import { signalWindow } from "./signal-window.js";
import { sin } from "./sin.js";
import { slice } from "./slice.js";
import { softmax } from "./softmax.js";
import { spaceToBatchNd } from "./space-to-batch-nd.js";
import { spaceToDepth } from "./space-to-depth.js";
import { split } from "./split.js";
import { splitV } from "./split-v.js";
import { sqrt } from "./sqrt.js";
import { square } from "./square.js";
import { squaredDifference } from "./squared-difference.js";
import { squeeze } from "./squeeze.js";
import { stridedSlice } from "./strided-slice.js";
import { sub } from "./sub.js";
import { sum } from "./sum.js";
import { svdf } from "./svdf.js";
import { tanh } from "./tanh.js";
import { transpose } from "./transpose.js";
import { transposeConv } from "./transpose-conv.js";
import { unidirectionalSequenceLstm } from "./unidirectional-sequence-lstm.js";
import { unpack } from "./unpack.js";
import { varHandle } from "./var-handle.js";
import { whileKernel } from "./while.js";
import { zerosLike } from "./zeros-like.js";

const entries: [string, AnyKernel][] = [
  ["RESHAPE", reshape],
  ["CONV_2D", conv2d],
  ["DEPTHWISE_CONV_2D", depthwiseConv2d],
  ["FULLY_CONNECTED", fullyConnected],
  // <conv-family>
  ["AVERAGE_POOL_2D", averagePool2d],
  ["MAX_POOL_2D", maxPool2d],
  ["SOFTMAX", softmax],
  ["LOG_SOFTMAX", logSoftmax],
  ["TRANSPOSE_CONV", transposeConv],
  // <pool-softmax-family>
  ["ADD", add],
  ["SUB", sub],
  ["MUL", mul],
  ["DIV", div],
  ["MAXIMUM", maximum],
  ["MINIMUM", minimum],
  ["LEAKY_RELU", leakyRelu],
  ["PRELU", prelu],
  ["RELU", relu],
  ["RELU6", relu6],
  ["HARD_SWISH", hardSwish],
  ["LOGISTIC", logistic],
  ["TANH", tanh],
  ["EXP", exp],
  // <elementwise-family>
  ["QUANTIZE", quantize],
  ["DEQUANTIZE", dequantize],
  ["CAST", cast],
  ["PAD", pad],
  ["PADV2", pad],
  ["STRIDED_SLICE", stridedSlice],
  ["CONCATENATION", concatenation],
  ["SQUEEZE", squeeze],
  ["EXPAND_DIMS", expandDims],
  ["TRANSPOSE", transpose],
  ["SPLIT", split],
  ["PACK", pack],
  ["UNPACK", unpack],
  ["GATHER", gather],
  ["RESIZE_NEAREST_NEIGHBOR", resizeNearestNeighbor],
  ["RESIZE_BILINEAR", resizeBilinear],
  ["MEAN", mean],
  ["SUM", sum],
  ["BATCH_MATMUL", batchMatMul],
  // <data-family>
  ["SVDF", svdf],
  ["UNIDIRECTIONAL_SEQUENCE_LSTM", unidirectionalSequenceLstm],
  // <recurrent-family>
  ["SignalWindow", signalWindow],
  ["SignalFftAutoScale", signalFftAutoScale],
  ["SignalRfft", signalRfft],
  ["SignalIrfft", signalIrfft],
  ["SignalEnergy", signalEnergy],
  ["SignalFilterBank", signalFilterBank],
  ["SignalFilterBankSquareRoot", signalFilterBankSquareRoot],
  ["SignalFilterBankSpectralSubtraction", signalFilterBankSpectralSubtraction],
  ["SignalPCAN", signalPcan],
  ["SignalFilterBankLog", signalFilterBankLog],
  ["SignalFramer", signalFramer],
  ["SignalOverlapAdd", signalOverlapAdd],
  ["SignalStacker", signalStacker],
  ["SignalDelay", signalDelay],
  ["ABS", abs],
  ["NEG", neg],
  ["SQRT", sqrt],
  ["RSQRT", rsqrt],
  ["SQUARE", square],
  ["LOG", log],
  ["SIN", sin],
  ["COS", cos],
  ["FLOOR", floor],
  ["CEIL", ceil],
  ["ROUND", round],
  ["SQUARED_DIFFERENCE", squaredDifference],
  ["FLOOR_DIV", floorDiv],
  ["FLOOR_MOD", floorMod],
  ["ELU", elu],
  ["ADD_N", addN],
  ["EQUAL", equal],
  ["NOT_EQUAL", notEqual],
  ["GREATER", greater],
  ["GREATER_EQUAL", greaterEqual],
  ["LESS", less],
  ["LESS_EQUAL", lessEqual],
  ["LOGICAL_AND", logicalAnd],
  ["LOGICAL_OR", logicalOr],
  ["LOGICAL_NOT", logicalNot],
  ["SELECT_V2", selectV2],
  ["ARG_MAX", argMax],
  ["ARG_MIN", argMin],
  ["REDUCE_MAX", reduceMax],
  ["REDUCE_MIN", reduceMin],
  ["REDUCE_ALL", reduceAll],
  ["FILL", fill],
  ["SHAPE", shape],
  ["ZEROS_LIKE", zerosLike],
  ["SLICE", slice],
  ["BROADCAST_TO", broadcastTo],
  ["BROADCAST_ARGS", broadcastArgs],
  ["CUMSUM", cumsum],
  ["GATHER_ND", gatherNd],
  ["SPACE_TO_DEPTH", spaceToDepth],
  ["DEPTH_TO_SPACE", depthToSpace],
  ["SPACE_TO_BATCH_ND", spaceToBatchNd],
  ["BATCH_TO_SPACE_ND", batchToSpaceNd],
  ["MIRROR_PAD", mirrorPad],
  ["L2_NORMALIZATION", l2Normalization],
  ["L2_POOL_2D", l2Pool2d],
  ["REVERSE_V2", reverseV2],
  ["SPLIT_V", splitV],
  ["EMBEDDING_LOOKUP", embeddingLookup],
  ["DYNAMIC_UPDATE_SLICE", dynamicUpdateSlice],
  ["TFLite_Detection_PostProcess", detectionPostprocess],
  ["CIRCULAR_BUFFER", circularBuffer],
  // <more-ops-family>
  // <signal-family>
  ["IF", ifKernel],
  ["WHILE", whileKernel],
  ["CALL_ONCE", callOnce],
  ["VAR_HANDLE", varHandle],
  ["READ_VARIABLE", readVariable],
  ["ASSIGN_VARIABLE", assignVariable],
  // <control-flow-family>
];

export const KERNELS: ReadonlyMap<string, AnyKernel> = new Map(entries);

export function supportedOps(): string[] {
  return [...KERNELS.keys()].sort();
}
