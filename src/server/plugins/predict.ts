/**
 * POST /predict — the seed's API. `{"input": [...]}` (flat or nested numbers) for single-input models, or
 * `{"inputs": {"<name>": [...]}}`; optional `"model"` (else the default model) and `"version"`. Real values are
 * quantized for int8/int16 inputs. The answer has the seed's simple `"output"` (first output, real values), the
 * full `"outputs"` (every output with name, shape, datatype, data, and raw integers for quantized outputs), the
 * model name and version, label predictions when the model's .json has labels, and the inference time.
 */
import type { FastifyInstance } from "fastify";
import { InputError } from "../../errors.js";
import type { TypedArray } from "../../index.js";
import type { PluginOptions } from "../context.js";
import type { LoadedModel } from "../repository.js";
import { noteModel } from "../request-info.js";
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

/** Typed inputs and batch size for a /predict body; InputError names whatever does not fit. */
export function predictInputs(
  loaded: LoadedModel,
  body: PredictBody,
  maxBatch: number,
): { inputs: TypedArray[]; batch: number } {
  const tensors = loaded.model.inputs;
  const name = loaded.name;
  if (body.input !== undefined && body.inputs !== undefined)
    throw new InputError('give either "input" or "inputs", not both');
  if (body.input !== undefined) {
    if (tensors.length !== 1) {
      throw new InputError(
        `model "${name}" has ${tensors.length} inputs (${tensors.map((t) => t.name).join(", ")}): send "inputs": {"<name>": [...]}`,
      );
    }
    const t = tensors[0]!;
    const values = flattenNumbers(body.input, describeTensor(name, "input", t));
    const batch = batchCount(name, t, values.length, maxBatch);
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
  const inputs = tensors.map((t) => {
    if (given[t.name] === undefined) throw new InputError(`${describeTensor(name, "input", t)} is missing`);
    const values = flattenNumbers(given[t.name], describeTensor(name, "input", t));
    const b = batchCount(name, t, values.length, maxBatch);
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

export function predictResponse(loaded: LoadedModel, outputs: TypedArray[], batch: number, inferenceMs: number) {
  const formatted = loaded.model.outputs.map((t, k) => {
    const values = outputs[k]!;
    const shape = batchedShape(t.shape, batch);
    if (isQuantized(t)) {
      return {
        name: t.name,
        shape,
        datatype: "FP32",
        data: toJsonList("float64", toReal(t, values)) as number[],
        raw: {
          datatype: oipDatatype(t.dtype),
          data: toJsonList(t.dtype, values) as number[],
          scale: t.scale!,
          zero_point: t.zeroPoint ?? 0,
        },
      };
    }
    return {
      name: t.name,
      shape,
      datatype: oipDatatype(t.dtype),
      data: toJsonList(t.dtype, values) as number[],
    };
  });
  const first = formatted[0]?.data ?? [];
  const labels = loaded.meta.labels;
  let predictions: { label: string; index: number; score: number }[] | undefined;
  if (labels && labels.length > 0 && first.length === labels.length * batch) {
    predictions = [];
    for (let b = 0; b < batch; b++) {
      const index = argmax(first, b * labels.length, labels.length);
      predictions.push({ label: labels[index]!, index, score: first[b * labels.length + index]! });
    }
  }
  return {
    model: loaded.name,
    version: loaded.version,
    output: first,
    outputs: formatted,
    ...(predictions ? { predictions } : {}),
    ...(batch > 1 ? { batch } : {}),
    inference_ms: Math.round(inferenceMs * 1e4) / 1e4,
  };
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
    async (request, reply) => {
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
      try {
        let prepared: { inputs: TypedArray[]; batch: number };
        try {
          prepared = predictInputs(loaded, body, context.config.maxBatch);
        } catch (err) {
          context.inference.failed(loaded, err);
          throw err;
        }
        const result = await context.inference.run(loaded, prepared.inputs, prepared.batch, startedAt);
        info.inferenceSeconds = result.inferenceMs / 1000;
        return predictResponse(loaded, result.outputs, prepared.batch, result.inferenceMs);
      } finally {
        context.repository.release(loaded);
      }
    },
  );
}
