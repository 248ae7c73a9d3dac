/**
 * Starting and stopping the server process: listen, load the repository, and on SIGTERM/SIGINT drain —
 * readiness 503 at once, keep serving for SHUTDOWN_DELAY_MS, stop accepting, let in-flight requests finish
 * (up to SHUTDOWN_GRACE_MS), close workers and telemetry, exit 0.
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { ServerConfig } from "../config.js";
import { type BuildOptions, buildApp } from "./app.js";

export interface RunningServer {
  app: FastifyInstance;
  port: number;
  url: string;
  /** Drains and closes (idempotent); resolves when everything is closed. */
  shutdown(reason?: string): Promise<void>;
}

export interface StartOptions extends BuildOptions {
  /** Install SIGTERM/SIGINT handlers that shut down and exit the process (the CLI does; tests do not). */
  handleSignals?: boolean;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const app = await buildApp(config, options);
  if (config.maxConnections > 0) app.server.maxConnections = config.maxConnections;
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  app.log.info({ port, host: config.host, url }, "listening");
  await app.edge.start();

  let closing: Promise<void> | null = null;
  const shutdown = (reason = "shutdown") => {
    closing ??= (async () => {
      app.log.info(
        { reason, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs },
        "draining: readiness off",
      );
      app.edge.beginDrain();
      if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      const force = setTimeout(() => {
        app.log.warn({ graceMs: config.shutdownGraceMs }, "grace period over: closing the remaining connections");
        app.server.closeAllConnections();
      }, config.shutdownGraceMs);
      // Keep-alive connections whose last request has finished are closed as they go idle.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
        clearInterval(sweep);
      }
      app.log.info("server closed");
    })();
    return closing;
  };

  if (options.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      shutdown(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, "error while shutting down");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  }
  return { app, port, url, shutdown };
}
