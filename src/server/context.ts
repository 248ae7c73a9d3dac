/**
 * What every server plugin is given: the configuration and the shared services. Built once by buildApp; the
 * plugins read it and never construct services of their own.
 */
import { readFileSync } from "node:fs";
import type { ServerConfig } from "../config.js";
import type { ServerTelemetry } from "../telemetry/server-telemetry.js";
import type { InferenceService } from "./inference.js";
import type { WorkerPool } from "./pool.js";
import type { ModelRepository } from "./repository.js";

export type Phase = "starting" | "ready" | "draining";

export interface ServerContext {
  config: ServerConfig;
  repository: ModelRepository;
  pool: WorkerPool | null;
  inference: InferenceService;
  telemetry: ServerTelemetry;
  /** Readiness: "ready" only between the initial model load and the first shutdown signal. */
  lifecycle: { phase: Phase };
  serverVersion: string;
}

export interface PluginOptions {
  context: ServerContext;
}

/** The package version, read from package.json two levels up (src/server or dist/server). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}
