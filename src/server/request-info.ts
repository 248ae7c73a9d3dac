/**
 * What a route learned about its request that the response hook reports: which model (and version) served it
 * and how long the runtime took. Kept in a WeakMap so requests need no extra decoration and nothing outlives them.
 */
import type { FastifyRequest } from "fastify";

export interface RequestModelInfo {
  model: string;
  version: string;
  inferenceSeconds?: number;
}

const infos = new WeakMap<FastifyRequest, RequestModelInfo>();

export function noteModel(request: FastifyRequest, model: string, version: string): RequestModelInfo {
  const info: RequestModelInfo = { model, version };
  infos.set(request, info);
  return info;
}

export function modelInfoOf(request: FastifyRequest): RequestModelInfo | undefined {
  return infos.get(request);
}
