/**
 * Access to ../shared (the TFLM oracle and raw data) for tests and benchmarks. Under CI=true a missing
 * ../shared is an error; elsewhere the tests that need it skip with a message saying why.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SHARED_DIR = path.resolve(PROJECT_ROOT, process.env.EDGE_SHARED_DIR ?? "../shared");
export const ORACLE_DIR = path.join(SHARED_DIR, "oracle");

export interface OracleTensor {
  index: number;
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
  scale: number;
  zero_point: number;
}

export interface OracleCase {
  name: string;
  inputs: string[];
  outputs: string[];
  sequential_frames?: number;
  note?: string;
}

export interface OracleModel {
  file: string;
  inputs: OracleTensor[];
  outputs: OracleTensor[];
  ops: string[];
  arena_used_bytes: number;
  invoke_median_us: number;
  has_variable_tensors: boolean;
  cases: OracleCase[];
}

export interface OracleManifest {
  models: Record<string, OracleModel>;
  reference_checks: Record<string, unknown>;
}

/** Returns why ../shared cannot be used, or null when it can. Throws under CI=true. */
export function sharedUnavailable(): string | null {
  if (existsSync(path.join(ORACLE_DIR, "manifest.json"))) return null;
  const message = `shared reference data not found at ${SHARED_DIR} (set EDGE_SHARED_DIR to override)`;
  if (process.env.CI === "true") throw new Error(`${message}; CI must provide it`);
  return message;
}

let manifest: OracleManifest | null = null;
export function loadManifest(): OracleManifest {
  manifest ??= JSON.parse(readFileSync(path.join(ORACLE_DIR, "manifest.json"), "utf8")) as OracleManifest;
  return manifest;
}

export function oraclePath(relative: string): string {
  return path.join(ORACLE_DIR, relative);
}

/** Reads a file as a Uint8Array over its own, aligned ArrayBuffer. */
export function readBytes(file: string): Uint8Array {
  const b = readFileSync(file);
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
