/**
 * buildApp(config): assembles the server from plugins — predict (the seed API), oip (Open Inference Protocol),
 * repository (model control), health, metrics, and the OpenAPI description — around shared services: the model
 * repository, the worker pool, the inference service and telemetry. It loads no models and opens no port;
 * `app.edge.start()` loads the repository and marks the server ready, start.ts listens and handles signals.
 */
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import type { ServerConfig } from "../config.js";
import { type ServerTelemetry, Telemetry } from "../telemetry/server-telemetry.js";
import { type PluginOptions, packageVersion, type ServerContext } from "./context.js";
import { type HttpError, isOipRoute, sendError, toHttpError } from "./errors.js";
import { InferenceService } from "./inference.js";
import { healthPlugin, healthSchema } from "./plugins/health.js";
import { metricsPlugin } from "./plugins/metrics.js";
import { oipPlugin } from "./plugins/oip.js";
import { registerOpenApi } from "./plugins/openapi.js";
import { predictPlugin } from "./plugins/predict.js";
import { repositoryPlugin } from "./plugins/repository.js";
import { WorkerPool } from "./pool.js";
import { ModelRepository } from "./repository.js";
import { decorateModelInfo } from "./request-info.js";

export interface EdgeServer extends ServerContext {
  /** Loads every model in MODEL_DIR, starts watching it, and turns readiness on. */
  start(): Promise<void>;
  /** Readiness off at once (health and ready answer 503); requests are still served. */
  beginDrain(): void;
}

declare module "fastify" {
  interface FastifyInstance {
    edge: EdgeServer;
  }
}

export interface BuildOptions {
  /** Metric families and exporters; defaults to the project's metric families (src/telemetry/metrics.ts). */
  telemetry?: ServerTelemetry;
  /** A pino destination for logs (tests capture them); defaults to stdout. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: config.bodyLimit,
    // Requests are logged once, on response (below), and at debug level when they succeed.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "reqId" }),
    requestIdHeader: "x-request-id",
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });

  const telemetry =
    options.telemetry ??
    new Telemetry({
      nodeName: config.nodeName,
      logger: app.log,
      influx: config.influxUrl
        ? {
            url: config.influxUrl,
            database: config.influxDb,
            username: config.influxUsername ?? undefined,
            password: config.influxPassword ?? undefined,
            token: config.influxToken ?? undefined,
            org: config.influxOrg ?? undefined,
            bucket: config.influxBucket ?? undefined,
            intervalMs: config.influxIntervalMs,
            maxBufferPoints: config.influxMaxBuffer,
          }
        : null,
    });
  const pool =
    config.workers > 0
      ? new WorkerPool({
          size: config.workers,
          maxQueue: config.maxQueue,
          onWorkerProblem: (message, detail) => app.log.error(detail, message),
        })
      : null;
  telemetry.setQueueProbe({
    workers: pool ? config.workers : 0,
    depth: () => pool?.queueDepth ?? 0,
    busyWorkers: () => pool?.busyWorkers ?? 0,
  });
  const repository = new ModelRepository({
    dir: config.modelDir,
    pool,
    telemetry,
    logger: app.log,
    inlineThresholdUs: config.inlineThresholdUs,
    defaultModel: config.defaultModel,
    watch: config.watch,
    pollIntervalMs: config.pollIntervalMs,
  });
  const lifecycle: ServerContext["lifecycle"] = { phase: "starting" };
  const edge: EdgeServer = {
    config,
    repository,
    pool,
    inference: new InferenceService(pool, telemetry, config.requestTimeoutMs),
    telemetry,
    lifecycle,
    serverVersion: packageVersion(),
    async start() {
      await repository.start();
      if (lifecycle.phase === "starting") lifecycle.phase = "ready";
      app.log.info(
        { models: repository.index(), default: repository.defaultName(), workers: config.workers },
        repository.readyCount > 0 ? "models loaded" : "no model loaded: health answers 503 until one loads",
      );
    },
    beginDrain() {
      lifecycle.phase = "draining";
    },
  };
  app.decorate("edge", edge);

  app.removeContentTypeParser("text/plain");
  // One hook per request feeds the seed's bandwidth and end-to-end time (the series it updates are plain records,
  // see telemetry/series.ts). Body bytes are the Content-Length Fastify enforced; a chunked body has none, so
  // for it the bytes the connection received since its previous response are counted (headers included).
  decorateModelInfo(app);
  const socketBytesRead = new WeakMap<object, number>();
  app.addHook("onResponse", (request, reply, done) => {
    const info = request.edgeModelInfo;
    const declared = request.headers["content-length"];
    const socket = request.raw.socket;
    const bytesRead = socket.bytesRead;
    const readBefore = socketBytesRead.get(socket) ?? 0;
    socketBytesRead.set(socket, bytesRead);
    const responseBytes = reply.getHeader("content-length");
    telemetry.observeRequest({
      route: request.routeOptions.url ?? "unmatched",
      method: request.method,
      status: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
      requestBytes: declared !== undefined ? Number(declared) || 0 : Math.max(0, bytesRead - readBefore),
      responseBytes: responseBytes === undefined ? 0 : Number(responseBytes) || 0,
      model: info?.model,
      version: info?.version,
      inferenceSeconds: info?.inferenceSeconds,
    });
    done();
  });
  // Failed requests are logged by the error handlers below, successful ones only at debug level.
  if (config.logLevel === "debug" || config.logLevel === "trace") {
    app.addHook("onResponse", (request, reply, done) => {
      const line = {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Number(reply.elapsedTime.toFixed(3)),
      };
      request.log.debug(line, "request");
      done();
    });
  }
  const rejected = (request: FastifyRequest, e: HttpError, err?: unknown) => {
    const line = { method: request.method, url: request.url, status: e.status, code: e.code, error: e.message };
    if (e.code === "INTERNAL") request.log.error({ ...line, err }, "request failed");
    else if (e.status >= 500) request.log.warn(line, "request failed");
    else request.log.info(line, "request rejected");
  };
  app.setErrorHandler((err, request, reply) => {
    const e = toHttpError(err, request, config.bodyLimit);
    rejected(request, e, err);
    return sendError(reply, request, e);
  });
  app.setNotFoundHandler((request, reply) => {
    const e: HttpError = {
      status: 404,
      code: "NOT_FOUND",
      message: `no route ${request.method} ${request.url.split("?")[0]}${isOipRoute(request) ? "" : " (see /openapi.json)"}`,
      headers: {},
    };
    rejected(request, e);
    return sendError(reply, request, e);
  });
  app.addHook("onClose", async () => {
    await repository.close();
    await pool?.close(config.shutdownGraceMs);
    await telemetry.close();
  });

  app.addSchema(healthSchema);
  await registerOpenApi(app, edge.serverVersion);
  const plugin: PluginOptions = { context: edge };
  await app.register(predictPlugin, plugin);
  await app.register(oipPlugin, plugin);
  await app.register(repositoryPlugin, plugin);
  await app.register(healthPlugin, plugin);
  await app.register(metricsPlugin, plugin);
  return app;
}
