/**
 * What a route learned about its request that the response hook reports: which model (and version) served it
 * and how long the runtime took. Kept in a request decoration (`edgeModelInfo`, declared once by buildApp so
 * every request object has the same shape) that dies with the request.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";

export interface RequestModelInfo {
  model: string;
  version: string;
  inferenceSeconds?: number;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by noteModel; null for requests that reached no model. */
    edgeModelInfo: RequestModelInfo | null;
  }
}

/** Declares the decoration on the root instance; call before any route is registered. */
export function decorateModelInfo(app: FastifyInstance): void {
  app.decorateRequest("edgeModelInfo", null);
}

export function noteModel(request: FastifyRequest, model: string, version: string): RequestModelInfo {
  const info: RequestModelInfo = { model, version, inferenceSeconds: undefined };
  request.edgeModelInfo = info;
  return info;
}

export function modelInfoOf(request: FastifyRequest): RequestModelInfo | undefined {
  return request.edgeModelInfo ?? undefined;
}
