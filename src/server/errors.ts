/**
 * The one place errors become HTTP: each named error class (src/errors.ts) and each Fastify framework error maps
 * once to a status code, and to the two body formats — ours (`{"error": message, "code": CODE}`) for the seed API
 * and the Open Inference Protocol's (`{"error": message}`) under /v2.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import {
  ConfigError,
  EdgeInferenceError,
  InputError,
  KernelError,
  ModelFormatError,
  NotFoundError,
  OverloadError,
  RequestError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  UnsupportedOpError,
} from "../errors.js";

const STATUS_BY_CLASS: [new (...args: never[]) => EdgeInferenceError, number][] = [
  [InputError, 400],
  [RequestError, 400],
  [ModelFormatError, 400],
  [UnsupportedOpError, 400],
  [UnauthorizedError, 401],
  [NotFoundError, 404],
  [KernelError, 500],
  [ConfigError, 500],
  [OverloadError, 503],
  [UnavailableError, 503],
  [TimeoutError, 504],
];

/** Codes for errors Fastify raises itself, so clients get one vocabulary. */
const CODE_BY_STATUS: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  408: "REQUEST_TIMEOUT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

export interface HttpError {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

/** Friendlier words for the framework errors users meet most. */
function frameworkMessage(err: FastifyError, request: FastifyRequest, bodyLimit: number): string {
  switch (err.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return `request body is larger than the limit of ${bodyLimit} bytes (BODY_LIMIT)`;
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return `unsupported content type ${JSON.stringify(request.headers["content-type"] ?? "")}: send application/json${
        request.url.startsWith("/v2/models/")
          ? " (or application/octet-stream with Inference-Header-Content-Length)"
          : ""
      }`;
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "request body is empty but the content type is application/json";
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return "Content-Length does not match the body";
    default:
      if (err.code === "FST_ERR_CTP_INVALID_JSON_BODY") return "request body is not valid JSON";
      if (err instanceof SyntaxError) return `request body is not valid JSON: ${err.message}`;
      if (err.validation) return `invalid request: ${err.message}`;
      return err.message;
  }
}

export function toHttpError(err: unknown, request: FastifyRequest, bodyLimit: number): HttpError {
  const headers: Record<string, string> = {};
  if (err instanceof EdgeInferenceError) {
    const status = STATUS_BY_CLASS.find(([Class]) => err instanceof Class)?.[1] ?? 500;
    if (err instanceof OverloadError) headers["retry-after"] = String(err.retryAfterSeconds);
    if (err instanceof UnauthorizedError) headers["www-authenticate"] = 'Bearer realm="edge-inference-server"';
    return { status, code: err.code, message: err.message, headers };
  }
  const e = err as FastifyError;
  const status = typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) return { status, code: "INTERNAL", message: "internal server error", headers };
  return {
    status,
    code: CODE_BY_STATUS[status] ?? "BAD_REQUEST",
    message: frameworkMessage(e, request, bodyLimit),
    headers,
  };
}

/** The Open Inference Protocol's error body is for everything under /v2; ours for the rest. */
export function isOipRoute(request: FastifyRequest): boolean {
  return request.url.startsWith("/v2");
}

export function sendError(reply: FastifyReply, request: FastifyRequest, e: HttpError): FastifyReply {
  reply.code(e.status).headers(e.headers).header("x-request-id", request.id).type("application/json; charset=utf-8");
  return reply.send(isOipRoute(request) ? { error: e.message } : { error: e.message, code: e.code });
}
