/**
 * The Open Inference Protocol (KServe V2) REST API: server metadata and health, model metadata and readiness,
 * and inference with JSON tensors or the binary tensor data extension (a JSON header of
 * Inference-Header-Content-Length bytes followed by raw little-endian tensors). Errors are `{"error": "..."}`.
 *
 * Datatypes: metadata gives each tensor's own datatype (INT8 for an int8 model's input). An input may be sent
 * in that datatype (raw values) or as FP32/FP64 real values, which are quantized with the tensor's scale and
 * zero point. Outputs come back in their own datatype with `scale`/`zero_point` parameters when quantized, or
 * as FP32 real values when the request or the output asks for `"dequantize": true`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { InputError, RequestError, UnavailableError } from "../../errors.js";
import type { TensorSummary, TypedArray } from "../../index.js";
import type { PluginOptions, ServerContext } from "../context.js";
import type { LoadedModel } from "../repository.js";
import { noteModel } from "../request-info.js";
import {
  batchCount,
  batchedShape,
  describeTensor,
  flattenNumbers,
  fromBinary,
  fromRaw,
  fromReal,
  isFloat,
  isQuantized,
  OIP_DATATYPES,
  oipDatatype,
  oipElementBytes,
  toBinary,
  toJsonList,
  toReal,
} from "../tensors.js";
import { bearerAuth } from "./auth.js";

type Parameters = Record<string, unknown>;

export interface OipRequestInput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: Parameters;
  data?: unknown;
}

export interface OipRequest {
  id?: string;
  parameters?: Parameters;
  inputs: OipRequestInput[];
  outputs?: { name: string; parameters?: Parameters }[];
}

export const PLATFORM = "tflite";
export const EXTENSIONS = ["binary_tensor_data", "model_repository"];

const HEADER = "inference-header-content-length";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Splits a request body into its JSON inference request and the binary tensor data that follows it. */
export function parseInferBody(
  body: Buffer | undefined,
  headerLength: string | undefined,
): { request: OipRequest; binary: Uint8Array | null } {
  if (!body || body.byteLength === 0) throw new RequestError("request body is empty: send an inference request object");
  let json: Uint8Array = body;
  let binary: Uint8Array | null = null;
  if (headerLength !== undefined) {
    const n = Number(headerLength);
    if (!Number.isInteger(n) || n < 0 || n > body.byteLength) {
      throw new RequestError(
        `Inference-Header-Content-Length ${JSON.stringify(headerLength)} is not an integer between 0 and the body length ${body.byteLength}`,
      );
    }
    json = body.subarray(0, n);
    binary = body.subarray(n);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8"));
  } catch (err) {
    throw new RequestError(`inference request is not valid JSON: ${(err as Error).message}`);
  }
  return { request: checkRequest(parsed), binary };
}

function checkRequest(value: unknown): OipRequest {
  if (!isObject(value)) throw new RequestError("inference request must be a JSON object");
  if (value.id !== undefined && typeof value.id !== "string") throw new RequestError('"id" must be a string');
  if (value.parameters !== undefined && !isObject(value.parameters))
    throw new RequestError('"parameters" must be an object');
  if (!Array.isArray(value.inputs) || value.inputs.length === 0)
    throw new RequestError('"inputs" must be a non-empty array of tensors');
  value.inputs.forEach((input: unknown, k: number) => {
    const where = `inputs[${k}]`;
    if (!isObject(input)) throw new RequestError(`${where} must be an object`);
    if (typeof input.name !== "string") throw new RequestError(`${where}.name must be a string`);
    if (!Array.isArray(input.shape) || !input.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new RequestError(`${where} ("${input.name}"): shape must be an array of non-negative integers`);
    }
    if (typeof input.datatype !== "string" || !(OIP_DATATYPES as readonly string[]).includes(input.datatype)) {
      throw new RequestError(`${where} ("${input.name}"): datatype must be one of ${OIP_DATATYPES.join(", ")}`);
    }
    if (input.parameters !== undefined && !isObject(input.parameters))
      throw new RequestError(`${where}.parameters must be an object`);
  });
  if (value.outputs !== undefined) {
    if (!Array.isArray(value.outputs)) throw new RequestError('"outputs" must be an array');
    value.outputs.forEach((o: unknown, k: number) => {
      if (!isObject(o) || typeof o.name !== "string") throw new RequestError(`outputs[${k}].name must be a string`);
      if (o.parameters !== undefined && !isObject(o.parameters))
        throw new RequestError(`outputs[${k}].parameters must be an object`);
    });
  }
  return value as unknown as OipRequest;
}

function convert(
  model: string,
  t: TensorSummary,
  datatype: string,
  values: number[] | null,
  bytes: Uint8Array | null,
): TypedArray {
  const own = oipDatatype(t.dtype);
  const real = datatype === "FP32" || datatype === "FP64" || isFloat(t.dtype);
  if (datatype !== own && !real) {
    throw new InputError(
      `${describeTensor(model, "input", t)} has datatype ${own}${isQuantized(t) ? " (or send FP32 real values, which are quantized)" : ""}; got ${datatype}`,
    );
  }
  if (datatype === "FP16")
    throw new InputError(`${describeTensor(model, "input", t)}: FP16 data is not supported; send FP32`);
  if (bytes) return fromBinary(model, t, datatype, bytes);
  return datatype === own ? fromRaw(model, t, values!) : fromReal(model, t, values!);
}

/** Typed model inputs (in the model's order) and the batch size for an inference request. */
export function oipInputs(loaded: LoadedModel, request: OipRequest, binary: Uint8Array | null, maxBatch: number) {
  const tensors = loaded.model.inputs;
  const name = loaded.name;
  const typed = new Map<string, TypedArray>();
  let offset = 0;
  let batch = 0;
  for (const input of request.inputs) {
    const t = tensors.find((x) => x.name === input.name);
    if (!t)
      throw new InputError(
        `model "${name}" has no input "${input.name}" (inputs: ${tensors.map((x) => x.name).join(", ")})`,
      );
    if (typed.has(t.name)) throw new InputError(`${describeTensor(name, "input", t)} is given twice`);
    const label = describeTensor(name, "input", t);
    const count = input.shape.reduce((a, d) => a * d, 1);
    const size = input.parameters?.binary_data_size;
    let values: TypedArray;
    if (size !== undefined) {
      if (!binary)
        throw new RequestError(
          `${label}: binary_data_size is set but there is no Inference-Header-Content-Length header`,
        );
      if (typeof size !== "number" || !Number.isInteger(size) || size < 0 || offset + size > binary.byteLength) {
        throw new RequestError(
          `${label}: binary_data_size ${JSON.stringify(size)} runs past the binary data (${binary.byteLength - offset} bytes left)`,
        );
      }
      const width = oipElementBytes(input.datatype);
      if (size !== count * width) {
        throw new InputError(
          `${label}: shape [${input.shape.join(",")}] of ${input.datatype} needs ${count * width} bytes, got ${size}`,
        );
      }
      values = convert(name, t, input.datatype, null, binary.subarray(offset, offset + size));
      offset += size;
    } else {
      if (input.data === undefined) throw new InputError(`${label}: give "data" or a binary_data_size parameter`);
      const flat = flattenNumbers(input.data, label, input.datatype === "BOOL");
      if (flat.length !== count) {
        throw new InputError(
          `${label}: shape [${input.shape.join(",")}] holds ${count} values but "data" has ${flat.length}`,
        );
      }
      values = convert(name, t, input.datatype, flat, null);
    }
    const b = batchCount(name, t, count, maxBatch);
    if (batch !== 0 && b !== batch)
      throw new InputError(`model "${name}": inputs hold different batch sizes (${batch} and ${b})`);
    batch = b;
    typed.set(t.name, values);
  }
  if (binary && offset !== binary.byteLength) {
    throw new RequestError(`${binary.byteLength - offset} bytes of binary data follow the last binary input`);
  }
  const inputs = tensors.map((t) => {
    const v = typed.get(t.name);
    if (!v) throw new InputError(`${describeTensor(name, "input", t)} is missing`);
    return v;
  });
  return { inputs, batch };
}

interface ResponseOutput {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: Parameters;
  data?: unknown[];
}

/** The inference response object, and the binary chunks that follow it when any output is sent as binary. */
export function oipResponse(loaded: LoadedModel, request: OipRequest, outputs: TypedArray[], batch: number) {
  const model = loaded.model;
  const requested = request.outputs ?? model.outputs.map((t) => ({ name: t.name, parameters: undefined }));
  const binaryDefault = request.parameters?.binary_data_output === true;
  const dequantizeDefault = request.parameters?.dequantize === true;
  const chunks: Uint8Array[] = [];
  const formatted: ResponseOutput[] = requested.map((r) => {
    const k = model.outputs.findIndex((t) => t.name === r.name);
    if (k < 0) {
      throw new InputError(
        `model "${loaded.name}" has no output "${r.name}" (outputs: ${model.outputs.map((t) => t.name).join(", ")})`,
      );
    }
    const t = model.outputs[k]!;
    const binary = (r.parameters?.binary_data ?? binaryDefault) === true;
    const dequantize = (r.parameters?.dequantize ?? dequantizeDefault) === true && isQuantized(t);
    const values: TypedArray = dequantize ? Float32Array.from(toReal(t, outputs[k]!)) : outputs[k]!;
    const entry: ResponseOutput = {
      name: t.name,
      datatype: dequantize ? "FP32" : oipDatatype(t.dtype),
      shape: batchedShape(t.shape, batch),
    };
    const parameters: Parameters = {};
    if (isQuantized(t) && !dequantize) {
      parameters.scale = t.scale;
      parameters.zero_point = t.zeroPoint ?? 0;
    }
    if (binary) {
      const bytes = toBinary(values);
      parameters.binary_data_size = bytes.byteLength;
      chunks.push(bytes);
    } else {
      entry.data = toJsonList(dequantize ? "float32" : t.dtype, values);
    }
    if (Object.keys(parameters).length > 0) entry.parameters = parameters;
    return entry;
  });
  const body = {
    model_name: loaded.name,
    model_version: loaded.version,
    ...(request.id !== undefined ? { id: request.id } : {}),
    outputs: formatted,
  };
  return { body, chunks };
}

export function modelMetadata(loaded: LoadedModel) {
  const tensor = (t: TensorSummary) => ({ name: t.name, datatype: oipDatatype(t.dtype), shape: [...t.shape] });
  return {
    name: loaded.name,
    versions: [loaded.version],
    platform: PLATFORM,
    inputs: loaded.model.inputs.map(tensor),
    outputs: loaded.model.outputs.map(tensor),
  };
}

export function serverReady(context: ServerContext): boolean {
  return context.lifecycle.phase === "ready" && context.repository.readyCount > 0;
}

interface ModelParams {
  name: string;
  version?: string;
}

const tensorMetadataSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    datatype: { type: "string" },
    shape: { type: "array", items: { type: "integer" } },
  },
} as const;
const oipErrorSchema = { type: "object", properties: { error: { type: "string" } } } as const;

export async function oipPlugin(app: FastifyInstance, { context }: PluginOptions): Promise<void> {
  const auth = bearerAuth(context.config.apiToken);
  // Inference bodies may be JSON or JSON + binary tensors: take the bytes and split them here.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    ["application/json", "application/octet-stream"],
    { parseAs: "buffer" },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.get("/v2", { schema: { summary: "Server metadata", tags: ["open inference protocol"] } }, async () => ({
    name: "edge-inference-server",
    version: context.serverVersion,
    extensions: EXTENSIONS,
  }));

  app.get(
    "/v2/health/live",
    { schema: { summary: "Server liveness", tags: ["open inference protocol"] } },
    async () => ({ live: true }),
  );

  app.get(
    "/v2/health/ready",
    {
      schema: {
        summary: "Server readiness (503 while starting, draining or with no model loaded)",
        tags: ["open inference protocol"],
      },
    },
    async (_request, reply) => {
      const ready = serverReady(context);
      return reply.code(ready ? 200 : 503).send({ ready });
    },
  );

  const metadataSchema = {
    summary: "Model metadata",
    tags: ["open inference protocol"],
    response: {
      200: {
        type: "object",
        properties: {
          name: { type: "string" },
          versions: { type: "array", items: { type: "string" } },
          platform: { type: "string" },
          inputs: { type: "array", items: tensorMetadataSchema },
          outputs: { type: "array", items: tensorMetadataSchema },
        },
      },
      "4xx": oipErrorSchema,
      "5xx": oipErrorSchema,
    },
  };
  const metadata = async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const { current, slot } = context.repository.get(request.params.name, request.params.version);
    if (!current)
      throw new UnavailableError(`model "${slot.name}" is not loaded${slot.reason ? `: ${slot.reason}` : ""}`);
    return modelMetadata(current);
  };
  app.get("/v2/models/:name", { schema: metadataSchema }, metadata);
  app.get("/v2/models/:name/versions/:version", { schema: metadataSchema }, metadata);

  const readySchema = { summary: "Model readiness", tags: ["open inference protocol"] };
  const modelReady = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const { current } = context.repository.get(request.params.name, request.params.version);
    const ready = current !== null && context.lifecycle.phase !== "draining";
    return reply.code(ready ? 200 : 503).send({ name: request.params.name, ready });
  };
  app.get("/v2/models/:name/ready", { schema: readySchema }, modelReady);
  app.get("/v2/models/:name/versions/:version/ready", { schema: readySchema }, modelReady);

  const inferSchema = {
    summary: "Inference (JSON tensors, or binary tensors after a JSON header of Inference-Header-Content-Length bytes)",
    tags: ["open inference protocol"],
  };
  const infer = async (
    request: FastifyRequest<{ Params: ModelParams; Body: Buffer | undefined }>,
    reply: FastifyReply,
  ) => {
    const startedAt = performance.now();
    reply.header("x-request-id", request.id);
    const header = request.headers[HEADER];
    const parsed = parseInferBody(request.body, Array.isArray(header) ? header[0] : header);
    const loaded = context.repository.acquire(request.params.name, request.params.version);
    const info = noteModel(request, loaded.name, loaded.version);
    try {
      let prepared: { inputs: TypedArray[]; batch: number };
      try {
        prepared = oipInputs(loaded, parsed.request, parsed.binary, context.config.maxBatch);
      } catch (err) {
        context.inference.failed(loaded, err);
        throw err;
      }
      const result = await context.inference.run(loaded, prepared.inputs, prepared.batch, startedAt);
      info.inferenceSeconds = result.inferenceMs / 1000;
      const { body, chunks } = oipResponse(loaded, parsed.request, result.outputs, prepared.batch);
      if (chunks.length === 0) return reply.type("application/json; charset=utf-8").send(body);
      const json = Buffer.from(JSON.stringify(body));
      return reply
        .type("application/octet-stream")
        .header(HEADER, String(json.byteLength))
        .send(Buffer.concat([json, ...chunks]));
    } finally {
      context.repository.release(loaded);
    }
  };
  const inferRoute = { schema: inferSchema, ...(auth ? { onRequest: auth } : {}) };
  type InferRoute = { Params: ModelParams; Body: Buffer | undefined };
  app.post<InferRoute>("/v2/models/:name/infer", inferRoute, infer);
  app.post<InferRoute>("/v2/models/:name/versions/:version/infer", inferRoute, infer);
}
