/**
 * Server configuration: one table of settings, each with its environment variable, its `edge-infer serve`
 * flag, its default and its parser. The CLI registers a flag per row, the README's table lists the rows, and
 * `loadConfig` applies them in order default < environment < flag. Owns no server logic.
 */
import { availableParallelism, hostname } from "node:os";
import { ConfigError } from "./errors.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  port: number;
  host: string;
  modelDir: string;
  /** Model served by /predict when the request names none; null: the one whose .json says default, else the first. */
  defaultModel: string | null;
  /** Worker threads for inference; 0 runs every model on the event loop. */
  workers: number;
  /** Requests that may wait for a worker; past it, 503 with Retry-After. */
  maxQueue: number;
  /** Largest request body in bytes (413 above). */
  bodyLimit: number;
  /** Time limit for one request's queue wait plus inference (504 after). */
  requestTimeoutMs: number;
  /** After SIGTERM/SIGINT: how long in-flight requests may take before the server exits anyway. */
  shutdownGraceMs: number;
  /** After SIGTERM/SIGINT: how long to keep accepting requests (readiness already 503) before closing. */
  shutdownDelayMs: number;
  logLevel: LogLevel;
  /** When set, inference and repository endpoints require `Authorization: Bearer <token>`. */
  apiToken: string | null;
  /** Watch MODEL_DIR and reload changed models. */
  watch: boolean;
  /** Also rescan MODEL_DIR this often (0: only on watch events); catches file systems without events. */
  pollIntervalMs: number;
  /** Models whose measured invoke time is below this run on the event loop instead of the pool (0: never). */
  inlineThresholdUs: number;
  /** Most inputs one request may batch through a model whose batch dimension is 1. */
  maxBatch: number;
  /** Most simultaneous HTTP connections (0: no limit). */
  maxConnections: number;
  /** The `node` label on every metric (Kubernetes sets NODE_NAME through the downward API). */
  nodeName: string;
  /** InfluxDB base URL; unset: no InfluxDB writer. */
  influxUrl: string | null;
  /** InfluxDB 1.x database (created if missing). */
  influxDb: string;
  influxUsername: string | null;
  influxPassword: string | null;
  /** InfluxDB 2.x/3.x: a token selects the v2 write API, with INFLUX_ORG and INFLUX_BUCKET. */
  influxToken: string | null;
  influxOrg: string | null;
  influxBucket: string | null;
  /** How often node_stats is written and buffered points are flushed. */
  influxIntervalMs: number;
  /** Points the writer holds while InfluxDB is away; beyond it new points are dropped and counted. */
  influxMaxBuffer: number;
}

export type ConfigKey = keyof ServerConfig;

export interface ConfigOption {
  key: ConfigKey;
  env: string;
  /** Commander flag, e.g. "--port <n>". */
  flag: string;
  description: string;
  /** Default as shown to users. */
  shownDefault: string;
  parse(raw: string, name: string): ServerConfig[ConfigKey];
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string, name: string): number => {
    const value = Number(raw.trim());
    if (raw.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
      throw new ConfigError(`${name} must be an integer ${range}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1000,
  kib: 1024,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** Bytes from "4194304", "4MiB", "512 KiB", "1mb". */
export function parseByteSize(raw: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new ConfigError(`${name} must be a size such as 4194304, 4MiB or 512KiB, got ${JSON.stringify(raw)}`);
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new ConfigError(`${name} must be at least 1 byte, got ${JSON.stringify(raw)}`);
  return bytes;
}

function boolean(raw: string, name: string): boolean {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function text(raw: string): string {
  return raw;
}

function optionalText(raw: string): string | null {
  return raw === "" ? null : raw;
}

function logLevel(raw: string, name: string): LogLevel {
  const v = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) {
    throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw)}`);
  }
  return v as LogLevel;
}

export const DEFAULT_WORKERS = availableParallelism();

export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  {
    key: "port",
    env: "PORT",
    flag: "--port <n>",
    description: "TCP port (0: any free port)",
    shownDefault: "8080",
    parse: integer(0, 65535),
  },
  {
    key: "host",
    env: "HOST",
    flag: "--host <address>",
    description: "address to listen on",
    shownDefault: "0.0.0.0",
    parse: text,
  },
  {
    key: "modelDir",
    env: "MODEL_DIR",
    flag: "--model-dir <dir>",
    description: "model repository: <name>.tflite files, optional <name>.json beside each",
    shownDefault: "./models",
    parse: text,
  },
  {
    key: "defaultModel",
    env: "DEFAULT_MODEL",
    flag: "--default-model <name>",
    description: "model /predict uses when the request names none",
    shownDefault: 'the model whose .json says "default": true, else the first by name',
    parse: optionalText,
  },
  {
    key: "workers",
    env: "WORKERS",
    flag: "--workers <n>",
    description: "inference worker threads (0: all inference on the event loop)",
    shownDefault: "one per core",
    parse: integer(0, 256),
  },
  {
    key: "maxQueue",
    env: "MAX_QUEUE",
    flag: "--max-queue <n>",
    description: "requests that may wait for a worker; beyond it 503 with Retry-After",
    shownDefault: "128",
    parse: integer(0),
  },
  {
    key: "bodyLimit",
    env: "BODY_LIMIT",
    flag: "--body-limit <size>",
    description: "largest request body (413 above); bytes or 4MiB-style",
    shownDefault: "4MiB",
    parse: parseByteSize,
  },
  {
    key: "requestTimeoutMs",
    env: "REQUEST_TIMEOUT_MS",
    flag: "--request-timeout-ms <ms>",
    description: "limit on queue wait plus inference per request (504 after)",
    shownDefault: "30000",
    parse: integer(1),
  },
  {
    key: "shutdownGraceMs",
    env: "SHUTDOWN_GRACE_MS",
    flag: "--shutdown-grace-ms <ms>",
    description: "on SIGTERM/SIGINT, how long in-flight requests may still take",
    shownDefault: "25000",
    parse: integer(0),
  },
  {
    key: "shutdownDelayMs",
    env: "SHUTDOWN_DELAY_MS",
    flag: "--shutdown-delay-ms <ms>",
    description:
      "on SIGTERM/SIGINT, keep serving this long with readiness 503 before closing (lets a load balancer notice)",
    shownDefault: "0",
    parse: integer(0),
  },
  {
    key: "logLevel",
    env: "LOG_LEVEL",
    flag: "--log-level <level>",
    description: `JSON log level: ${LOG_LEVELS.join(", ")}`,
    shownDefault: "info",
    parse: logLevel,
  },
  {
    key: "apiToken",
    env: "API_TOKEN",
    flag: "--api-token <token>",
    description: "require Authorization: Bearer <token> on inference and repository endpoints",
    shownDefault: "unset (no auth)",
    parse: optionalText,
  },
  {
    key: "watch",
    env: "WATCH",
    flag: "--watch <bool>",
    description: "watch MODEL_DIR and hot-reload changed models",
    shownDefault: "true",
    parse: boolean,
  },
  {
    key: "pollIntervalMs",
    env: "POLL_INTERVAL_MS",
    flag: "--poll-interval-ms <ms>",
    description: "also rescan MODEL_DIR this often when watching (0: events only)",
    shownDefault: "5000",
    parse: integer(0),
  },
  {
    key: "inlineThresholdUs",
    env: "INLINE_THRESHOLD_US",
    flag: "--inline-threshold-us <us>",
    description: "models faster than this per inference run on the event loop, not in the pool (0: never)",
    shownDefault: "50",
    parse: integer(0),
  },
  {
    key: "maxBatch",
    env: "MAX_BATCH",
    flag: "--max-batch <n>",
    description: "most inputs one request may batch through a batch-1 model",
    shownDefault: "64",
    parse: integer(1),
  },
  {
    key: "maxConnections",
    env: "MAX_CONNECTIONS",
    flag: "--max-connections <n>",
    description: "most simultaneous HTTP connections (0: no limit)",
    shownDefault: "1024",
    parse: integer(0),
  },
  {
    key: "nodeName",
    env: "NODE_NAME",
    flag: "--node-name <name>",
    description: "the node label on every metric (Kubernetes sets it through the downward API)",
    shownDefault: "the host name",
    parse: text,
  },
  {
    key: "influxUrl",
    env: "INFLUX_URL",
    flag: "--influx-url <url>",
    description: "InfluxDB base URL, e.g. http://influxdb:8086; turns the InfluxDB writer on",
    shownDefault: "unset (no InfluxDB)",
    parse: optionalText,
  },
  {
    key: "influxDb",
    env: "INFLUX_DB",
    flag: "--influx-db <name>",
    description: "InfluxDB 1.x database, created if missing",
    shownDefault: "edge_inference",
    parse: text,
  },
  {
    key: "influxUsername",
    env: "INFLUX_USERNAME",
    flag: "--influx-username <user>",
    description: "InfluxDB 1.x user (optional)",
    shownDefault: "unset",
    parse: optionalText,
  },
  {
    key: "influxPassword",
    env: "INFLUX_PASSWORD",
    flag: "--influx-password <password>",
    description: "InfluxDB 1.x password (optional; prefer the environment variable)",
    shownDefault: "unset",
    parse: optionalText,
  },
  {
    key: "influxToken",
    env: "INFLUX_TOKEN",
    flag: "--influx-token <token>",
    description: "InfluxDB 2.x/3.x API token; selects the v2 write API",
    shownDefault: "unset (1.x API)",
    parse: optionalText,
  },
  {
    key: "influxOrg",
    env: "INFLUX_ORG",
    flag: "--influx-org <org>",
    description: "InfluxDB 2.x/3.x organization",
    shownDefault: "unset",
    parse: optionalText,
  },
  {
    key: "influxBucket",
    env: "INFLUX_BUCKET",
    flag: "--influx-bucket <bucket>",
    description: "InfluxDB 2.x/3.x bucket",
    shownDefault: "INFLUX_DB's value",
    parse: optionalText,
  },
  {
    key: "influxIntervalMs",
    env: "INFLUX_INTERVAL_MS",
    flag: "--influx-interval-ms <ms>",
    description: "how often node_stats (memory, CPU clock, queue) is written and buffered points are flushed",
    shownDefault: "10000",
    parse: integer(100),
  },
  {
    key: "influxMaxBuffer",
    env: "INFLUX_MAX_BUFFER",
    flag: "--influx-max-buffer <points>",
    description: "points held while InfluxDB is away; beyond it new points are dropped and counted",
    shownDefault: "10000",
    parse: integer(1),
  },
];

export const DEFAULT_CONFIG: Readonly<ServerConfig> = {
  port: 8080,
  host: "0.0.0.0",
  modelDir: "./models",
  defaultModel: null,
  workers: DEFAULT_WORKERS,
  maxQueue: 128,
  bodyLimit: 4 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  shutdownGraceMs: 25_000,
  shutdownDelayMs: 0,
  logLevel: "info",
  apiToken: null,
  watch: true,
  pollIntervalMs: 5_000,
  inlineThresholdUs: 50,
  maxBatch: 64,
  maxConnections: 1024,
  nodeName: hostname(),
  influxUrl: null,
  influxDb: "edge_inference",
  influxUsername: null,
  influxPassword: null,
  influxToken: null,
  influxOrg: null,
  influxBucket: null,
  influxIntervalMs: 10000,
  influxMaxBuffer: 10000,
};

/**
 * Builds the configuration: defaults, then environment variables, then `flags` (raw strings by config key, as
 * the CLI collects them), then `overrides` (already typed, for tests and embedding). Throws ConfigError naming
 * the variable or flag at fault.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  flags: Partial<Record<ConfigKey, string>> = {},
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const option of CONFIG_OPTIONS) {
    const fromEnv = env[option.env];
    if (fromEnv !== undefined) config[option.key] = option.parse(fromEnv, option.env);
    const fromFlag = flags[option.key];
    if (fromFlag !== undefined) config[option.key] = option.parse(fromFlag, option.flag.split(" ")[0]!);
  }
  return { ...(config as unknown as ServerConfig), ...overrides };
}
