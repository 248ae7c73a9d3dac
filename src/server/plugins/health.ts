/**
 * GET /health: 200 with every model's status when the server is ready; 503 while starting, while draining for
 * shutdown, or when no model is loaded — a Kubernetes readiness probe in one call.
 */
import type { FastifyInstance } from "fastify";
import type { PluginOptions } from "../context.js";
import { serverReady } from "./oip.js";

export async function healthPlugin(app: FastifyInstance, { context }: PluginOptions): Promise<void> {
  app.get(
    "/health",
    {
      schema: {
        summary: "Readiness with per-model status",
        tags: ["health"],
        response: {
          "2xx": { $ref: "health#" },
          "5xx": { $ref: "health#" },
        },
      },
    },
    async (_request, reply) => {
      const ready = serverReady(context);
      const phase = context.lifecycle.phase;
      const status = ready ? "ok" : phase === "ready" ? "no model loaded" : phase;
      const models = context.repository.index().map((entry) => {
        const current = entry.version ? context.repository.get(entry.name).current : null;
        return {
          ...entry,
          mode: current?.mode ?? null,
          default: entry.name === context.repository.defaultName(),
        };
      });
      return reply.code(ready ? 200 : 503).send({ status, models });
    },
  );
}

export const healthSchema = {
  $id: "health",
  type: "object",
  properties: {
    status: { type: "string", description: "ok, starting, draining or no model loaded" },
    models: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          version: { type: ["string", "null"] },
          state: { type: "string" },
          reason: { type: ["string", "null"] },
          mode: { type: ["string", "null"], description: "inline (event loop) or pool (worker threads)" },
          default: { type: "boolean" },
        },
      },
    },
  },
} as const;
