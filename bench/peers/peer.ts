/** What the benchmark needs from another runtime: load a model's bytes, then call it with raw input bytes. */

export type RawTensor = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

export interface PeerSession {
  /**
   * Copies each input's raw little-endian bytes in, runs the model once, and returns copies of its outputs
   * (the same work our side does per call). Throws when the peer fails.
   */
  call(inputs: readonly Uint8Array[]): RawTensor[];
  dispose(): void;
}

export interface Peer {
  /** Short name, for table headers. */
  readonly name: string;
  /** Name, version and how it runs, for the report. */
  readonly label: string;
  /** Rejects with the peer's own reason when it cannot load the model. */
  load(model: Uint8Array): Promise<PeerSession>;
}

/** The raw bytes of a typed array, without copying. */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
