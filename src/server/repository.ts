/**
 * The model repository: a directory of `<name>.tflite` files with optional `<name>.json` beside each, loaded
 * at start, watched for changes, and controlled through load/unload calls. It owns model versions and their
 * lifecycle: a new version is loaded beside the old one, the pointer is switched atomically, and the old version
 * is dropped once its in-flight requests end. A load that fails changes nothing but the error it reports.
 * It does not run inference (the pool and the inline path do) nor speak HTTP (the plugins do).
 */
import { createHash } from "node:crypto";
import { type FSWatcher, watch } from "node:fs";
import { readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { EdgeInferenceError, ModelFormatError, NotFoundError, RequestError, UnavailableError } from "../errors.js";
import { Model, type Session } from "../index.js";
import type { ServerTelemetry } from "../telemetry/server-telemetry.js";
import type { WorkerPool } from "./pool.js";

/** What a model's optional `<name>.json` may say; other fields are kept and ignored. */
export interface ModelSidecar {
  description?: string;
  /** Class names for the first output's last dimension. */
  labels?: string[];
  /** This model serves /predict requests that name no model. */
  default?: boolean;
  [field: string]: unknown;
}

export type ModelState = "READY" | "UNAVAILABLE" | "LOADING";

/** One loaded, immutable version of a model. */
export interface LoadedModel {
  name: string;
  /** "1", "2", … counting successful loads of this name since the server started. */
  version: string;
  /** Unique key of this version in the worker pool. */
  key: string;
  model: Model;
  meta: ModelSidecar;
  digest: string;
  loadedAt: Date;
  /** Where it runs: on the event loop (tiny models) or in the worker pool. */
  mode: "inline" | "pool";
  /** Median invoke time measured at load, in microseconds (NaN if the measurement failed). */
  invokeUs: number;
  /** The event loop's session, for inline models. */
  session: Session | null;
  inflight: number;
  retired: boolean;
}

interface ModelSlot {
  name: string;
  current: LoadedModel | null;
  state: ModelState;
  /** Why the model is unavailable, or the last failed load while a previous version keeps serving. */
  reason: string | null;
  /** Unloaded through the API: the watcher leaves it alone until an explicit load. */
  pinnedUnloaded: boolean;
  loads: number;
  /** Digest of the last file content tried, so an unchanged broken file is not retried on every scan. */
  lastTried: string | null;
  /** File signature (mtime and size) at the last scan. */
  signature: string | null;
  chain: Promise<unknown>;
}

export interface IndexEntry {
  name: string;
  version: string | null;
  state: ModelState;
  reason: string | null;
}

export interface RepositoryLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RepositoryOptions {
  dir: string;
  pool: WorkerPool | null;
  telemetry: ServerTelemetry;
  logger: RepositoryLogger;
  /** Models whose measured invoke time is below this run inline (0: never; ignored without a pool). */
  inlineThresholdUs: number;
  defaultModel: string | null;
  watch: boolean;
  pollIntervalMs: number;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const WATCH_DEBOUNCE_MS = 100;

export function checkModelName(name: string): void {
  if (!NAME.test(name) || name.endsWith(".")) {
    throw new RequestError(`invalid model name ${JSON.stringify(name)}: use letters, digits, _ . - (at most 128)`);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Median invoke time on zero inputs, in µs; stops after one run if that alone is far above the threshold. */
function measureInvokeUs(model: Model, thresholdUs: number): number {
  try {
    const session = model.createSession();
    let start = performance.now();
    session.invoke();
    const first = (performance.now() - start) * 1000;
    if (first > thresholdUs * 20) return first;
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      start = performance.now();
      session.invoke();
      samples.push((performance.now() - start) * 1000);
    }
    samples.sort((a, b) => a - b);
    return samples[samples.length >> 1]!;
  } catch {
    return Number.NaN;
  }
}

export class ModelRepository {
  private readonly slots = new Map<string, ModelSlot>();
  private watcher: FSWatcher | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly debounce = new Map<string, NodeJS.Timeout>();
  private closed = false;
  private versionCounter = 0;
  /** defaultName()'s answer, recomputed after any model is installed or unloaded. */
  private cachedDefault: string | null | undefined = undefined;

  constructor(private readonly options: RepositoryOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  /** Loads every model in the directory, then starts watching it. */
  async start(): Promise<void> {
    await this.scan();
    if (this.options.watch) this.startWatching();
  }

  private startWatching(): void {
    try {
      this.watcher = watch(this.options.dir, (_event, filename) => {
        const name = filename ? this.nameOf(filename.toString()) : null;
        if (filename && !name) return;
        const key = name ?? "*";
        clearTimeout(this.debounce.get(key));
        this.debounce.set(
          key,
          setTimeout(() => {
            this.debounce.delete(key);
            void (name ? this.refresh(name) : this.scan());
          }, WATCH_DEBOUNCE_MS),
        );
      });
      this.watcher.on("error", (err) =>
        this.options.logger.warn({ err: messageOf(err) }, "model directory watch failed; polling only"),
      );
    } catch (err) {
      this.options.logger.warn({ err: messageOf(err) }, "cannot watch the model directory; polling only");
    }
    if (this.options.pollIntervalMs > 0) {
      this.pollTimer = setInterval(() => void this.scan(), this.options.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  private nameOf(filename: string): string | null {
    const base = path.basename(filename);
    const match = /^(.+)\.(tflite|json)$/.exec(base);
    if (!match || !NAME.test(match[1]!)) return null;
    return match[1]!;
  }

  private slot(name: string): ModelSlot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = {
        name,
        current: null,
        state: "UNAVAILABLE",
        reason: null,
        pinnedUnloaded: false,
        loads: 0,
        lastTried: null,
        signature: null,
        chain: Promise.resolve(),
      };
      this.slots.set(name, slot);
    }
    return slot;
  }

  /** Runs `op` after every earlier operation on the same model: loads and unloads of one name never interleave. */
  private serialize<T>(slot: ModelSlot, op: () => Promise<T>): Promise<T> {
    const next = slot.chain.then(op, op);
    slot.chain = next.catch(() => {});
    return next;
  }

  /** Reloads every changed model file and unloads models whose file is gone. */
  async scan(): Promise<void> {
    if (this.closed) return;
    let files: string[];
    try {
      files = await readdir(this.options.dir);
    } catch (err) {
      this.options.logger.error({ dir: this.options.dir, err: messageOf(err) }, "cannot read the model directory");
      return;
    }
    const names = new Set(
      files
        .filter((f) => f.endsWith(".tflite"))
        .map((f) => this.nameOf(f))
        .filter((n): n is string => n !== null),
    );
    await Promise.all([...names].map((name) => this.refresh(name)));
    for (const slot of this.slots.values()) {
      if (!names.has(slot.name)) await this.refresh(slot.name);
    }
  }

  private async signature(name: string): Promise<string | null> {
    const file = path.join(this.options.dir, `${name}.tflite`);
    try {
      const s = await stat(file);
      let side = "";
      try {
        const j = await stat(path.join(this.options.dir, `${name}.json`));
        side = `${j.mtimeMs}:${j.size}`;
      } catch {}
      return `${s.mtimeMs}:${s.size}:${side}`;
    } catch {
      return null;
    }
  }

  /** Brings one model in line with its file: load if new or changed, unload if gone. */
  private async refresh(name: string): Promise<void> {
    if (this.closed) return;
    const slot = this.slot(name);
    if (slot.pinnedUnloaded) return;
    const signature = await this.signature(name);
    if (signature === null) {
      if (slot.current) await this.unload(name, "model file removed", false);
      if (!slot.current && this.slots.get(name) === slot) this.slots.delete(name);
      return;
    }
    if (signature === slot.signature) return;
    slot.signature = signature;
    try {
      await this.loadFromDisk(name, false);
    } catch {
      // Reported through the slot, the log and the metric; the previous version keeps serving.
    }
  }

  private async readFiles(name: string): Promise<{ bytes: Uint8Array; sidecar: Uint8Array | null }> {
    const file = path.join(this.options.dir, `${name}.tflite`);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new NotFoundError(`model "${name}" not found: no file ${name}.tflite in the model directory`);
      }
      throw new ModelFormatError(`cannot read ${name}.tflite: ${messageOf(err)}`);
    }
    let sidecar: Buffer | null = null;
    try {
      sidecar = await readFile(path.join(this.options.dir, `${name}.json`));
    } catch {}
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sidecar };
  }

  /** Loads `<name>.tflite` (and `.json`) from the directory; `explicit` clears an API unload. */
  loadFromDisk(name: string, explicit: boolean): Promise<LoadedModel> {
    checkModelName(name);
    const slot = this.slot(name);
    return this.serialize(slot, async () => {
      if (explicit) slot.pinnedUnloaded = false;
      let files: { bytes: Uint8Array; sidecar: Uint8Array | null };
      try {
        files = await this.readFiles(name);
      } catch (err) {
        if (!slot.current && this.slots.get(name) === slot) this.slots.delete(name);
        throw err;
      }
      return this.install(slot, files.bytes, files.sidecar, explicit);
    });
  }

  /**
   * Loads model bytes sent through the API: validated first, then written to the directory atomically (so it
   * survives restarts and the watcher sees no change), then installed. Invalid bytes never reach the directory.
   */
  loadFromBytes(name: string, bytes: Uint8Array, sidecar: Uint8Array | null): Promise<LoadedModel> {
    checkModelName(name);
    const slot = this.slot(name);
    return this.serialize(slot, async () => {
      slot.pinnedUnloaded = false;
      const loaded = await this.install(slot, bytes, sidecar, true, async () => {
        await this.writeAtomically(`${name}.tflite`, bytes);
        if (sidecar) await this.writeAtomically(`${name}.json`, sidecar);
        slot.signature = await this.signature(name);
      });
      return loaded;
    });
  }

  private async writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
    const target = path.join(this.options.dir, file);
    const temp = path.join(this.options.dir, `.${file}.${process.pid}.${Date.now()}.tmp`);
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
  }

  private parseSidecar(name: string, sidecar: Uint8Array | null): ModelSidecar {
    if (!sidecar) return {};
    let meta: unknown;
    try {
      meta = JSON.parse(new TextDecoder().decode(sidecar));
    } catch (err) {
      throw new ModelFormatError(`${name}.json is not valid JSON: ${messageOf(err)}`);
    }
    if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
      throw new ModelFormatError(`${name}.json must hold a JSON object`);
    }
    const m = meta as ModelSidecar;
    if (m.labels !== undefined && (!Array.isArray(m.labels) || !m.labels.every((l) => typeof l === "string"))) {
      throw new ModelFormatError(`${name}.json: "labels" must be an array of strings`);
    }
    return m;
  }

  /** Verifies and prepares a version, then switches the model's pointer to it; on failure nothing changes. */
  private async install(
    slot: ModelSlot,
    bytes: Uint8Array,
    sidecar: Uint8Array | null,
    explicit: boolean,
    beforeSwitch?: () => Promise<void>,
  ): Promise<LoadedModel> {
    const hash = createHash("sha256").update(bytes);
    if (sidecar) hash.update(sidecar);
    const digest = hash.digest("hex");
    if (slot.current && slot.current.digest === digest) {
      slot.reason = null;
      return slot.current;
    }
    if (!explicit && slot.lastTried === digest) throw new ModelFormatError(slot.reason ?? "load failed");
    slot.lastTried = digest;
    if (!slot.current) slot.state = "LOADING";
    let loaded: LoadedModel;
    try {
      const meta = this.parseSidecar(slot.name, sidecar);
      const model = Model.fromBytes(bytes);
      const threshold = this.options.pool ? this.options.inlineThresholdUs : Number.POSITIVE_INFINITY;
      const invokeUs =
        threshold > 0 ? measureInvokeUs(model, Number.isFinite(threshold) ? threshold : 1e9) : Number.NaN;
      const inline = !this.options.pool || (threshold > 0 && invokeUs < threshold);
      const version = String(slot.loads + 1);
      loaded = {
        name: slot.name,
        version,
        key: `${slot.name}@${version}#${++this.versionCounter}`,
        model,
        meta,
        digest,
        loadedAt: new Date(),
        mode: inline ? "inline" : "pool",
        invokeUs,
        session: inline ? model.createSession() : null,
        inflight: 0,
        retired: false,
      };
      if (beforeSwitch) await beforeSwitch();
    } catch (err) {
      const message = messageOf(err);
      slot.state = slot.current ? "READY" : "UNAVAILABLE";
      slot.reason = slot.current
        ? `last load failed, still serving version ${slot.current.version}: ${message}`
        : message;
      this.options.telemetry.observeModelLoad({ model: slot.name, ok: false, error: message });
      this.options.logger.error(
        { model: slot.name, err: message, serving: slot.current?.version ?? null },
        slot.current ? "model load failed; the previous version keeps serving" : "model load failed",
      );
      throw err instanceof EdgeInferenceError ? err : new ModelFormatError(message);
    }
    if (loaded.mode === "pool") this.options.pool!.load(loaded.key, bytes);
    const previous = slot.current;
    slot.loads += 1;
    slot.current = loaded;
    this.cachedDefault = undefined;
    slot.state = "READY";
    slot.reason = null;
    if (previous) this.retire(previous);
    this.options.telemetry.observeModelLoad({
      model: slot.name,
      version: loaded.version,
      ok: true,
      arenaBytes: loaded.model.arenaBytes,
      weightsBytes: loaded.model.weightsBytes,
    });
    this.options.logger.info(
      {
        model: slot.name,
        version: loaded.version,
        mode: loaded.mode,
        invokeUs: Number.isNaN(loaded.invokeUs) ? null : Number(loaded.invokeUs.toFixed(2)),
        arenaBytes: loaded.model.arenaBytes,
        weightsBytes: loaded.model.weightsBytes,
        replaced: previous?.version ?? null,
      },
      "model loaded",
    );
    return loaded;
  }

  private retire(loaded: LoadedModel): void {
    loaded.retired = true;
    if (loaded.inflight === 0) this.dispose(loaded);
  }

  private dispose(loaded: LoadedModel): void {
    loaded.session = null;
    if (loaded.mode === "pool") this.options.pool?.drop(loaded.key);
  }

  /** Stops serving a model; in-flight requests finish on it. `explicit` keeps the watcher from reloading it. */
  unload(name: string, reason = "unloaded", explicit = true): Promise<void> {
    checkModelName(name);
    const slot = this.slots.get(name);
    if (!slot) return Promise.reject(new NotFoundError(`model "${name}" not found`));
    return this.serialize(slot, async () => {
      if (explicit) slot.pinnedUnloaded = true;
      const current = slot.current;
      slot.current = null;
      this.cachedDefault = undefined;
      slot.state = "UNAVAILABLE";
      slot.reason = reason;
      slot.lastTried = null;
      slot.signature = null;
      if (current) {
        this.retire(current);
        this.options.telemetry.observeModelUnload(name);
        this.options.logger.info({ model: name, version: current.version, reason }, "model unloaded");
      }
    });
  }

  /** The model version a request will use; pair every call with `release`. */
  acquire(name: string | undefined, version?: string): LoadedModel {
    const resolved = name ?? this.defaultName();
    if (resolved === null) throw new UnavailableError("no model is loaded");
    const slot = this.slots.get(resolved);
    if (!slot) {
      const available = this.readyNames();
      throw new NotFoundError(
        `model "${resolved}" not found${available.length ? ` (available: ${available.join(", ")})` : ""}`,
      );
    }
    const current = slot.current;
    if (!current) {
      throw new UnavailableError(`model "${resolved}" is not available${slot.reason ? `: ${slot.reason}` : ""}`);
    }
    if (version !== undefined && version !== current.version) {
      throw new NotFoundError(`model "${resolved}" has no version "${version}" (serving version ${current.version})`);
    }
    current.inflight += 1;
    return current;
  }

  release(loaded: LoadedModel): void {
    loaded.inflight -= 1;
    if (loaded.retired && loaded.inflight === 0) this.dispose(loaded);
  }

  /** Peeks at a model without taking a lease (metadata, readiness). */
  get(name: string, version?: string): { slot: IndexEntry; current: LoadedModel | null } {
    const slot = this.slots.get(name);
    if (!slot) throw new NotFoundError(`model "${name}" not found`);
    if (version !== undefined && slot.current?.version !== version) {
      throw new NotFoundError(
        `model "${name}" has no version "${version}"${slot.current ? ` (serving version ${slot.current.version})` : ""}`,
      );
    }
    return { slot: this.entryOf(slot), current: slot.current };
  }

  private entryOf(slot: ModelSlot): IndexEntry {
    return { name: slot.name, version: slot.current?.version ?? null, state: slot.state, reason: slot.reason };
  }

  readyNames(): string[] {
    return [...this.slots.values()]
      .filter((s) => s.current)
      .map((s) => s.name)
      .sort();
  }

  /** Every model known from the directory or the API, by name. */
  index(): IndexEntry[] {
    return [...this.slots.values()].map((s) => this.entryOf(s)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The model /predict uses when none is named: configured, else the first whose .json says default, else the first. */
  defaultName(): string | null {
    if (this.options.defaultModel) return this.options.defaultModel;
    if (this.cachedDefault === undefined) {
      const ready = [...this.slots.values()].filter((s) => s.current).sort((a, b) => a.name.localeCompare(b.name));
      this.cachedDefault = (ready.find((s) => s.current!.meta.default === true) ?? ready[0])?.name ?? null;
    }
    return this.cachedDefault;
  }

  get readyCount(): number {
    return this.readyNames().length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const t of this.debounce.values()) clearTimeout(t);
    this.debounce.clear();
    await Promise.all([...this.slots.values()].map((s) => s.chain));
  }
}
