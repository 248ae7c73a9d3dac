/**
 * Model repository control, after Triton's extension: POST /v2/repository/index lists every model with its
 * version and state; POST /v2/repository/models/{name}/load (re)loads a model from MODEL_DIR, or from bytes in
 * the request (`"parameters": {"file": "<base64 .tflite>", "config": "<.json text>"}`, validated before anything
 * is written); POST /v2/repository/models/{name}/unload stops serving it until the next load call.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { EdgeInferenceError, NotFoundError, RequestError } from "../../errors.js";
import type { PluginOptions } from "../context.js";
import { checkModelName } from "../repository.js";
import { bearerAuth } from "./auth.js";

interface LoadBody {
  parameters?: Record<string, unknown>;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

/** Model bytes and sidecar from a load request's parameters, or null to load from the directory. */
export function uploadedFiles(body: LoadBody | undefined): { bytes: Uint8Array; sidecar: Uint8Array | null } | null {
  const parameters = body?.parameters;
  if (parameters === undefined) return null;
  if (typeof parameters !== "object" || parameters === null) throw new RequestError('"parameters" must be an object');
  // Triton names uploaded files "file:<path>"; any such key (or plain "file") carries the model here.
  const fileKeys = Object.keys(parameters).filter((k) => k === "file" || k.startsWith("file:"));
  if (fileKeys.length > 1)
    throw new RequestError(`give one model file, got ${fileKeys.length} (${fileKeys.join(", ")})`);
  const config = parameters.config;
  if (config !== undefined && typeof config !== "string")
    throw new RequestError('"config" must be the model\'s .json text, as a string');
  if (fileKeys.length === 0) {
    if (config !== undefined) throw new RequestError('"config" can only be given together with a model "file"');
    return null;
  }
  const encoded = parameters[fileKeys[0]!];
  if (typeof encoded !== "string" || !BASE64.test(encoded))
    throw new RequestError(`"${fileKeys[0]}" must be the .tflite file in base64`);
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.byteLength === 0) throw new RequestError(`"${fileKeys[0]}" is empty`);
  return {
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    sidecar: config === undefined ? null : new TextEncoder().encode(config),
  };
}

const entrySchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    version: { type: ["string", "null"] },
    state: { type: "string", enum: ["READY", "UNAVAILABLE", "LOADING"] },
    reason: { type: ["string", "null"] },
  },
} as const;

export async function repositoryPlugin(app: FastifyInstance, { context }: PluginOptions): Promise<void> {
  const auth = bearerAuth(context.config.apiToken);
  if (auth) app.addHook("onRequest", auth);
  const repository = context.repository;

  app.post<{ Body: { ready?: boolean } | undefined }>(
    "/v2/repository/index",
    {
      schema: {
        summary: "List the models in the repository with their version and state",
        tags: ["model repository"],
        response: { 200: { type: "array", items: entrySchema } },
      },
    },
    async (request) => {
      const onlyReady = request.body?.ready === true;
      return repository.index().filter((e) => !onlyReady || e.state === "READY");
    },
  );

  app.post<{ Params: { name: string }; Body: LoadBody | undefined }>(
    "/v2/repository/models/:name/load",
    {
      schema: {
        summary: "Load or reload a model (from MODEL_DIR, or from a base64 file in the request)",
        tags: ["model repository"],
      },
    },
    async (request: FastifyRequest<{ Params: { name: string }; Body: LoadBody | undefined }>) => {
      const name = request.params.name;
      checkModelName(name);
      const upload = uploadedFiles(request.body);
      try {
        const loaded = upload
          ? await repository.loadFromBytes(name, upload.bytes, upload.sidecar)
          : await repository.loadFromDisk(name, true);
        return { name, version: loaded.version, state: "READY" };
      } catch (err) {
        if (err instanceof NotFoundError || !(err instanceof EdgeInferenceError)) throw err;
        throw new RequestError(`failed to load model "${name}": ${err.message}`);
      }
    },
  );

  app.post<{ Params: { name: string } }>(
    "/v2/repository/models/:name/unload",
    { schema: { summary: "Stop serving a model (in-flight requests finish)", tags: ["model repository"] } },
    async (request) => {
      await repository.unload(request.params.name);
      return {};
    },
  );
}
