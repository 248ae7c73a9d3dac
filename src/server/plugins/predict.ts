/**
 * POST /predict — the seed's API. `{"input": [...]}` (flat or nested numbers) for single-input models, or
 * `{"inputs": {"<name>": [...]}}`; optional `"model"` (else the default model) and `"version"`. Real values are
 * quantized for int8/int16 inputs. The answer has the seed's simple `"output"` (first output, real values), the
 * full `"outputs"` (every output with name, shape, datatype, data, and raw integers for quantized outputs), the
 * model name and version, label predictions when the model's .json has labels, and the inference time.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { InputError } from "../../errors.js";
import type { TensorSummary, TypedArray } from "../../index.js";
import type { PluginOptions } from "../context.js";
import type { InferenceResult } from "../inference.js";
import type { LoadedModel } from "../repository.js";
import { noteModel, type RequestModelInfo } from "../request-info.js";
import {
  batchCount,
  batchedShape,
  describeTensor,
  flattenNumbers,
  fromReal,
  isQuantized,
  oipDatatype,
  toJsonList,
  toReal,
} from "../tensors.js";
import { bearerAuth } from "./auth.js";

export interface PredictBody {
  model?: string;
  version?: string;
  input?: unknown;
  inputs?: Record<string, unknown>;
}

const numberArray = { type: "array", items: { type: "number" } } as const;

export const predictBodySchema = {
  type: "object",
  description: 'Give "input" for a single-input model or "inputs" by input name; values are real numbers.',
  properties: {
    model: { type: "string", description: "model name (default: the repository's default model)" },
    version: { type: "string", description: "model version (default: the one being served)" },
    input: {
      description: "values for the model's only input, flat or nested; a multiple of its size is a batch",
      type: "array",
      examples: [[5.1, 3.5, 1.4, 0.2]],
    },
    inputs: { type: "object", additionalProperties: { type: "array" }, description: "values by input name" },
  },
} as const;

const outputTensorSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    shape: { type: "array", items: { type: "integer" } },
    datatype: { type: "string", description: "FP32 for real values (quantized outputs are dequantized)" },
    data: numberArray,
    raw: {
      type: "object",
      description: "quantized outputs only: the integers the model produced, with their scale and zero point",
      properties: {
        datatype: { type: "string" },
        data: numberArray,
        scale: { type: "number" },
        zero_point: { type: "integer" },
      },
    },
  },
} as const;

export const predictResponseSchema = {
  type: "object",
  properties: {
    model: { type: "string" },
    version: { type: "string" },
    output: { ...numberArray, description: "the first output's values (real numbers), flat" },
    outputs: { type: "array", items: outputTensorSchema },
    predictions: {
      type: "array",
      description: "when the model has labels: the top class of each batch item",
      items: {
        type: "object",
        properties: { label: { type: "string" }, index: { type: "integer" }, score: { type: "number" } },
      },
    },
    batch: { type: "integer" },
    inference_ms: { type: "number", description: "time inside the runtime" },
  },
} as const;

export const errorSchema = {
  type: "object",
  properties: { error: { type: "string" }, code: { type: "string" } },
} as const;

/**
 * What /predict needs of a model version that does not change between requests — input descriptions and sizes,
 * output names, datatypes and shapes, labels — worked out on the version's first request and kept with it.
 */
interface PredictPlan {
  /** `model "<name>" input "<tensor>"`, the prefix of every message about that input. */
  inputLabels: string[];
  /** Values one batch item of each input holds. */
  inputSizes: number[];
  outputs: {
    tensor: TensorSummary;
    quantized: boolean;
    /** FP32 for quantized outputs (sent dequantized), else the tensor's datatype. */
    datatype: string;
    /** The tensor's own datatype, for the `raw` integers of quantized outputs. */
    rawDatatype: string;
    /** The shape for a batch of 1 (shared by every response: nothing mutates it). */
    shape: number[];
  }[];
  labels: string[] | null;
  /** Pieces of the JSON answer that never change, or null when an output's type takes the general path. */
  json: {
    head: string;
    outputs: { head: string; tail: string; rawHead: string; rawTail: string }[];
    labels: string[];
  } | null;
}

const plans = new WeakMap<LoadedModel, PredictPlan>();

function planOf(loaded: LoadedModel): PredictPlan {
  let plan = plans.get(loaded);
  if (plan) return plan;
  const labels = loaded.meta.labels;
  plan = {
    inputLabels: loaded.model.inputs.map((t) => describeTensor(loaded.name, "input", t)),
    inputSizes: loaded.model.inputs.map((t) => t.shape.reduce((a, d) => a * d, 1)),
    outputs: loaded.model.outputs.map((t) => {
      const quantized = isQuantized(t);
      return {
        tensor: t,
        quantized,
        datatype: quantized ? "FP32" : oipDatatype(t.dtype),
        rawDatatype: oipDatatype(t.dtype),
        shape: batchedShape(t.shape, 1),
      };
    }),
    labels: labels && labels.length > 0 ? labels : null,
    json: null,
  };
  plan.json = jsonPieces(loaded, plan);
  plans.set(loaded, plan);
  return plan;
}

/** batchCount with the common case (exactly one batch item) answered without recomputing the tensor's size. */
function batchOf(loaded: LoadedModel, plan: PredictPlan, k: number, count: number, maxBatch: number): number {
  if (count === plan.inputSizes[k]) return 1;
  return batchCount(loaded.name, loaded.model.inputs[k]!, count, maxBatch);
}

/** Typed inputs and batch size for a /predict body; InputError names whatever does not fit. */
export function predictInputs(
  loaded: LoadedModel,
  body: PredictBody,
  maxBatch: number,
): { inputs: TypedArray[]; batch: number } {
  const tensors = loaded.model.inputs;
  const name = loaded.name;
  const plan = planOf(loaded);
  if (body.input !== undefined && body.inputs !== undefined)
    throw new InputError('give either "input" or "inputs", not both');
  if (body.input !== undefined) {
    if (tensors.length !== 1) {
      throw new InputError(
        `model "${name}" has ${tensors.length} inputs (${tensors.map((t) => t.name).join(", ")}): send "inputs": {"<name>": [...]}`,
      );
    }
    const t = tensors[0]!;
    const values = flattenNumbers(body.input, plan.inputLabels[0]!);
    const batch = batchOf(loaded, plan, 0, values.length, maxBatch);
    return { inputs: [fromReal(name, t, values)], batch };
  }
  if (
    body.inputs === undefined ||
    typeof body.inputs !== "object" ||
    body.inputs === null ||
    Array.isArray(body.inputs)
  ) {
    throw new InputError('request body needs "input" (an array of numbers) or "inputs" (arrays by input name)');
  }
  const given = body.inputs;
  for (const key of Object.keys(given)) {
    if (!tensors.some((t) => t.name === key)) {
      throw new InputError(`model "${name}" has no input "${key}" (inputs: ${tensors.map((t) => t.name).join(", ")})`);
    }
  }
  let batch = 0;
  const inputs = tensors.map((t, k) => {
    const label = plan.inputLabels[k]!;
    if (given[t.name] === undefined) throw new InputError(`${label} is missing`);
    const values = flattenNumbers(given[t.name], label);
    const b = batchOf(loaded, plan, k, values.length, maxBatch);
    if (batch !== 0 && b !== batch) {
      throw new InputError(`model "${name}": inputs hold different batch sizes (${batch} and ${b})`);
    }
    batch = b;
    return fromReal(name, t, values);
  });
  return { inputs, batch };
}

function argmax(values: ArrayLike<number>, start: number, length: number): number {
  let best = start;
  for (let i = start + 1; i < start + length; i++) if (values[i]! > values[best]!) best = i;
  return best - start;
}

interface OutputTensor {
  name: string;
  shape: number[];
  datatype: string;
  data: number[];
  raw?: { datatype: string; data: number[]; scale: number; zero_point: number };
}

export function predictResponse(loaded: LoadedModel, outputs: TypedArray[], batch: number, inferenceMs: number) {
  const plan = planOf(loaded);
  const formatted: OutputTensor[] = new Array(plan.outputs.length);
  for (let k = 0; k < plan.outputs.length; k++) {
    const o = plan.outputs[k]!;
    const t = o.tensor;
    const values = outputs[k]!;
    const shape = batch === 1 ? o.shape : batchedShape(t.shape, batch);
    formatted[k] = o.quantized
      ? {
          name: t.name,
          shape,
          datatype: o.datatype,
          data: toJsonList("float64", toReal(t, values)) as number[],
          raw: {
            datatype: o.rawDatatype,
            data: toJsonList(t.dtype, values) as number[],
            scale: t.scale!,
            zero_point: t.zeroPoint ?? 0,
          },
        }
      : { name: t.name, shape, datatype: o.datatype, data: toJsonList(t.dtype, values) as number[] };
  }
  const first = formatted[0]?.data ?? [];
  const labels = plan.labels;
  let predictions: { label: string; index: number; score: number }[] | undefined;
  if (labels && first.length === labels.length * batch) {
    predictions = new Array(batch);
    for (let b = 0; b < batch; b++) {
      const index = argmax(first, b * labels.length, labels.length);
      predictions[b] = { label: labels[index]!, index, score: first[b * labels.length + index]! };
    }
  }
  // Absent fields are undefined, which the response serializer (like JSON.stringify) leaves out.
  return {
    model: loaded.name,
    version: loaded.version,
    output: first,
    outputs: formatted,
    predictions,
    batch: batch > 1 ? batch : undefined,
    inference_ms: Math.round(inferenceMs * 1e4) / 1e4,
  };
}

/**
 * The /predict answer written straight to JSON, byte for byte what the response schema's serializer
 * (fast-json-stringify) makes of predictResponse's object — same field order, numbers as `"" + value`, ±Infinity
 * as null, strings as JSON.stringify escapes them — without building the object first. Covers float outputs and
 * quantized outputs in integer arrays (the cases served here); anything else (boolean, 64-bit or unquantized
 * integer outputs, a NaN the serializer rejects) returns null, and the caller sends predictResponse's object.
 */
function jsonPieces(loaded: LoadedModel, plan: PredictPlan): PredictPlan["json"] {
  if (plan.outputs.length === 0) return null;
  const outputs: NonNullable<PredictPlan["json"]>["outputs"] = [];
  for (const o of plan.outputs) {
    const t = o.tensor;
    const dtype = t.dtype;
    if (o.quantized) {
      if (!INTEGER_ARRAYS.has(dtype)) return null;
      const zeroPoint = t.zeroPoint ?? 0;
      if (!Number.isInteger(zeroPoint) || Number.isNaN(t.scale)) return null;
    } else if (dtype !== "float32" && dtype !== "float64") {
      return null;
    }
    outputs.push({
      head: `{"name":${JSON.stringify(t.name)},"shape":[`,
      tail: `],"datatype":${JSON.stringify(o.datatype)},"data":[`,
      rawHead: o.quantized ? `,"raw":{"datatype":${JSON.stringify(o.rawDatatype)},"data":[` : "",
      rawTail: o.quantized ? `],"scale":${jsonNumber(t.scale!)},"zero_point":${t.zeroPoint ?? 0}}` : "",
    });
  }
  return {
    head: `{"model":${JSON.stringify(loaded.name)},"version":${JSON.stringify(loaded.version)},"output":[`,
    outputs,
    labels: (plan.labels ?? []).map((l) => JSON.stringify(l)),
  };
}

/** Integer arrays whose elements are plain numbers (not bigints). */
const INTEGER_ARRAYS = new Set(["int8", "uint8", "int16", "uint16", "int32", "uint32"]);

/** A finite number or ±Infinity as the serializer writes it (NaN never gets here). */
function jsonNumber(v: number): string {
  return v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY ? "null" : `${v}`;
}

/** `a,b,c` for the values, or null when one is NaN (the serializer throws on NaN). */
function jsonList(values: ArrayLike<number>): string | null {
  let out = "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) return null;
    out += i === 0 ? jsonNumber(v) : `,${jsonNumber(v)}`;
  }
  return out;
}

export function predictResponseJson(
  loaded: LoadedModel,
  outputs: TypedArray[],
  batch: number,
  inferenceMs: number,
): string | null {
  const plan = planOf(loaded);
  const json = plan.json;
  if (json === null) return null;
  let first: ArrayLike<number> | null = null;
  let firstJson = "";
  let tensors = "";
  for (let k = 0; k < plan.outputs.length; k++) {
    const o = plan.outputs[k]!;
    const piece = json.outputs[k]!;
    const values = outputs[k] as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
    const real = o.quantized ? toReal(o.tensor, values) : values;
    const data = jsonList(real);
    if (data === null) return null;
    const shape = batch === 1 ? o.shape : batchedShape(o.tensor.shape, batch);
    tensors += `${k === 0 ? "" : ","}${piece.head}${shape.join(",")}${piece.tail}${data}]`;
    if (o.quantized) tensors += `${piece.rawHead}${jsonList(values)}${piece.rawTail}`;
    tensors += "}";
    if (k === 0) {
      first = real;
      firstJson = data;
    }
  }
  let out = `${json.head}${firstJson}],"outputs":[${tensors}]`;
  const labels = plan.labels;
  if (labels && first!.length === labels.length * batch) {
    out += ',"predictions":[';
    for (let b = 0; b < batch; b++) {
      const index = argmax(first!, b * labels.length, labels.length);
      out += `${b === 0 ? "" : ","}{"label":${json.labels[index]},"index":${index},"score":${jsonNumber(first![b * labels.length + index]!)}}`;
    }
    out += "]";
  }
  if (batch > 1) out += `,"batch":${batch}`;
  return `${out},"inference_ms":${jsonNumber(Math.round(inferenceMs * 1e4) / 1e4)}}`;
}

/**
 * The response for a finished inference, noting its time for the request's telemetry: JSON text when
 * predictResponseJson can write it (sent as it is), else the object for the response schema's serializer.
 */
function respondTo(
  info: RequestModelInfo,
  reply: FastifyReply,
  loaded: LoadedModel,
  batch: number,
  result: InferenceResult,
) {
  info.inferenceSeconds = result.inferenceMs / 1000;
  const json = predictResponseJson(loaded, result.outputs, batch, result.inferenceMs);
  if (json === null) return predictResponse(loaded, result.outputs, batch, result.inferenceMs);
  reply.type("application/json; charset=utf-8");
  return json;
}

export async function predictPlugin(app: FastifyInstance, { context }: PluginOptions): Promise<void> {
  const auth = bearerAuth(context.config.apiToken);
  if (auth) app.addHook("onRequest", auth);
  app.post<{ Body: PredictBody }>(
    "/predict",
    {
      schema: {
        summary: "Run a model on real-valued inputs (the seed API)",
        tags: ["inference"],
        body: predictBodySchema,
        response: { 200: predictResponseSchema, "4xx": errorSchema, "5xx": errorSchema },
      },
      // The body schema documents the API; predictInputs checks bodies itself, with messages naming the tensor.
      validatorCompiler: () => () => true,
    },
    // Not async: an inline model's request is answered in one synchronous pass (Fastify sends a returned value
    // at once and turns a thrown error into the error response, as it does a rejected promise); a pooled model's
    // answer is a promise.
    (request, reply) => {
      const startedAt = performance.now();
      reply.header("x-request-id", request.id);
      const body = request.body ?? {};
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new InputError("request body must be a JSON object");
      }
      if (body.model !== undefined && typeof body.model !== "string") throw new InputError('"model" must be a string');
      if (body.version !== undefined && typeof body.version !== "string")
        throw new InputError('"version" must be a string');
      const loaded = context.repository.acquire(body.model, body.version);
      const info = noteModel(request, loaded.name, loaded.version);
      let pending: InferenceResult | Promise<InferenceResult>;
      let batch: number;
      try {
        let prepared: { inputs: TypedArray[]; batch: number };
        try {
          prepared = predictInputs(loaded, body, context.config.maxBatch);
        } catch (err) {
          context.inference.failed(loaded, err);
          throw err;
        }
        batch = prepared.batch;
        pending = context.inference.run(loaded, prepared.inputs, batch, startedAt);
      } catch (err) {
        context.repository.release(loaded);
        throw err;
      }
      if (!(pending instanceof Promise)) {
        try {
          return respondTo(info, reply, loaded, batch, pending);
        } finally {
          context.repository.release(loaded);
        }
      }
      return pending
        .then((result) => respondTo(info, reply, loaded, batch, result))
        .finally(() => context.repository.release(loaded));
    },
  );
}
