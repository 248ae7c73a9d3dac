/**
 * Optional bearer-token auth (API_TOKEN): an onRequest hook for the plugins that serve inference and repository
 * control. Compares SHA-256 digests with timingSafeEqual, so the check takes the same time whatever the header
 * holds. Health, metrics and the API description stay open for probes and Prometheus.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { UnauthorizedError } from "../../errors.js";

export type OnRequestHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function bearerAuth(token: string | null): OnRequestHook | null {
  if (!token) return null;
  const expected = createHash("sha256").update(`Bearer ${token}`).digest();
  return async (request) => {
    const header = request.headers.authorization ?? "";
    const given = createHash("sha256").update(header).digest();
    if (!timingSafeEqual(given, expected)) {
      throw new UnauthorizedError(
        header
          ? "invalid bearer token"
          : "this endpoint requires an Authorization: Bearer <token> header (API_TOKEN is set)",
      );
    }
  };
}
