/** GET /metrics: the telemetry in Prometheus text format. Open (no token) for Prometheus. */
import type { FastifyInstance } from "fastify";
import type { PluginOptions } from "../context.js";

export async function metricsPlugin(app: FastifyInstance, { context }: PluginOptions): Promise<void> {
  app.get("/metrics", { schema: { summary: "Prometheus metrics", tags: ["metrics"] } }, async (_request, reply) => {
    const registry = context.telemetry.registry;
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
}
