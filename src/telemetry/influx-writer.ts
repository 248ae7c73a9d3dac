/**
 * Buffered, batching InfluxDB writer. `write()` is synchronous and O(1) so a request never waits on the
 * database; a background loop sends batches by size and by interval, and while the database is away it retries
 * the same batch with exponential backoff. The buffer is bounded: when it is full, new points are dropped and
 * counted (onDropped) and logged — nothing is lost silently. Transport (the client library) is pluggable.
 */

export interface InfluxPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number | string | boolean>;
  /** Nanoseconds since the epoch, as a decimal string (unique per point, see nanoTimestamp). */
  timestampNs: string;
}

export interface InfluxTransport {
  /** Creates the database/bucket if the server version allows it; may be called again after failures. */
  prepare(): Promise<void>;
  write(points: InfluxPoint[]): Promise<void>;
  describe(): string;
}

export interface InfluxWriterEvents {
  onWritten?(count: number): void;
  onDropped?(count: number, reason: string): void;
  onWriteError?(error: Error, attempt: number, retryInMs: number): void;
}

export interface InfluxWriterOptions extends InfluxWriterEvents {
  transport: InfluxTransport;
  batchSize?: number;
  flushIntervalMs?: number;
  maxBufferPoints?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
}

let lastNs = 0n;
/** Strictly increasing nanosecond timestamps, so points written in the same millisecond never overwrite. */
export function nanoTimestamp(): string {
  let now = BigInt(Date.now()) * 1_000_000n;
  if (now <= lastNs) now = lastNs + 1n;
  lastNs = now;
  return now.toString();
}

export class InfluxWriter {
  private readonly buffer: InfluxPoint[] = [];
  private readonly options: Required<Omit<InfluxWriterOptions, keyof InfluxWriterEvents>> & InfluxWriterEvents;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private attempt = 0;
  private prepared = false;
  private closed = false;
  readonly stats = { written: 0, dropped: 0, failedWrites: 0 };

  constructor(options: InfluxWriterOptions) {
    this.options = {
      batchSize: 500,
      flushIntervalMs: 1000,
      maxBufferPoints: 10_000,
      minRetryDelayMs: 200,
      maxRetryDelayMs: 30_000,
      ...options,
    };
    this.schedule(this.options.flushIntervalMs);
  }

  get buffered(): number {
    return this.buffer.length;
  }

  write(point: InfluxPoint): void {
    if (this.buffer.length >= this.options.maxBufferPoints) {
      this.stats.dropped += 1;
      this.options.onDropped?.(1, "buffer full");
      return;
    }
    this.buffer.push(point);
    if (this.buffer.length >= this.options.batchSize && this.attempt === 0) this.kick();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), delayMs);
    this.timer.unref();
  }

  private kick(): void {
    if (this.sending) return;
    this.sending = this.sendAll().finally(() => {
      this.sending = null;
    });
  }

  /** Sends batches until the buffer is empty or a write fails (then schedules a retry with backoff). */
  private async sendAll(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, this.options.batchSize);
      try {
        if (!this.prepared) {
          await this.options.transport.prepare();
          this.prepared = true;
        }
        await this.options.transport.write(batch);
      } catch (err) {
        this.attempt += 1;
        this.stats.failedWrites += 1;
        // A database that came back empty (e.g. restarted without its data dir) needs preparing again.
        this.prepared = false;
        const delay = Math.min(
          this.options.maxRetryDelayMs,
          this.options.minRetryDelayMs * 2 ** Math.min(this.attempt - 1, 16),
        );
        this.options.onWriteError?.(err as Error, this.attempt, delay);
        this.schedule(delay);
        return;
      }
      this.attempt = 0;
      this.buffer.splice(0, batch.length);
      this.stats.written += batch.length;
      this.options.onWritten?.(batch.length);
    }
    this.schedule(this.options.flushIntervalMs);
  }

  /** Sends everything buffered now; resolves when the buffer is empty or a write failed. */
  async flush(): Promise<void> {
    if (this.sending) await this.sending;
    this.kick();
    await this.sending;
  }

  /**
   * Stops the background loop after a last flush attempt bounded by `deadlineMs`; points still buffered then
   * are reported as dropped.
   */
  async close(deadlineMs = 5000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.buffer.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.buffer.length > 0) await new Promise((r) => setTimeout(r, Math.min(250, deadline - Date.now())));
    }
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.buffer.length > 0) {
      this.stats.dropped += this.buffer.length;
      this.options.onDropped?.(this.buffer.length, "shutdown before the database accepted them");
      this.buffer.length = 0;
    }
  }
}
