/**
 * Helpers for the deployment tests (test/integration/deploy-*.test.ts): finding the external tools they need
 * (shellcheck, kubectl, curl, promtool), running the repository's scripts, and rendering the kustomization.
 * A missing tool fails the test under CI=true (CI installs it) and skips it with a message elsewhere.
 */
import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const IN_CI = process.env.CI === "true";

/** Absolute path of a command in PATH, or null. */
export function which(command: string): string | null {
  const result = spawnSync("sh", ["-c", 'command -v "$1"', "sh", command], { encoding: "utf8" });
  const found = result.stdout.trim();
  return result.status === 0 && found.startsWith("/") ? found : null;
}

/**
 * `skip` option for a test that needs `command`: false when it is there; a message when it is missing outside
 * CI. Under CI=true a missing tool is not skipped: the test runs and `requireTool` fails it.
 */
export function skipUnless(command: string, installHint: string): string | false {
  if (which(command) || IN_CI) return false;
  return `${command} not installed (${installHint}); skipped outside CI`;
}
export function requireTool(command: string, installHint: string): string {
  const found = which(command);
  if (!found) throw new Error(`${command} is required under CI=true but not installed (${installHint})`);
  return found;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
}
export function runScript(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): RunResult {
  const result: SpawnSyncReturns<string> = spawnSync(path.join(ROOT, file), args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    input: options.input ?? "",
    timeout: options.timeoutMs ?? 60_000,
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `${result.stdout}\n${result.stderr}`,
  };
}

/** Like runScript, but leaves the event loop free (for tests that serve HTTP in this process). */
export function runScriptAsync(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [command, argv] = options.command
      ? [options.command, [path.join(ROOT, file), ...args]]
      : [path.join(ROOT, file), args];
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr, output: `${stdout}\n${stderr}` }));
  });
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are checked field by field in the tests.
  spec?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

/** `kubectl kustomize <dir>` parsed into plain objects. */
export function renderKustomization(kubectl: string, dir = path.join(ROOT, "kubernetes")): K8sObject[] {
  const result = spawnSync(kubectl, ["kustomize", dir], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((doc) => {
    if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0]!.message}`);
    return doc.toJS() as K8sObject;
  });
}
