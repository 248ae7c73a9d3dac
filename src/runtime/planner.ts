/**
 * Arena layout by lifetime, after TFLM's GreedyMemoryPlanner: buffers are placed largest first, each at the
 * lowest 16-byte-aligned offset that does not overlap a placed buffer whose lifetime intersects its own. Greedy
 * by size packs well for the chain-shaped graphs of small models, and it is what TFLM's arena numbers assume.
 */

export const ARENA_ALIGNMENT = 16;

export interface BufferRequest {
  bytes: number;
  /** First and last operator index (inclusive) during which the buffer must hold its contents. */
  firstUse: number;
  lastUse: number;
}

export interface ArenaPlan {
  offsets: number[];
  arenaBytes: number;
}

export function alignUp(n: number, alignment = ARENA_ALIGNMENT): number {
  return Math.ceil(n / alignment) * alignment;
}

export function planArena(requests: readonly BufferRequest[]): ArenaPlan {
  const order = requests
    .map((r, i) => i)
    .filter((i) => requests[i]!.bytes > 0)
    .sort((a, b) => requests[b]!.bytes - requests[a]!.bytes || a - b);
  const offsets = requests.map(() => 0);
  const placed: number[] = [];
  let arenaBytes = 0;
  for (const i of order) {
    const r = requests[i]!;
    const size = alignUp(r.bytes);
    const overlapping = placed
      .filter((j) => {
        const p = requests[j]!;
        return p.firstUse <= r.lastUse && r.firstUse <= p.lastUse;
      })
      .sort((a, b) => offsets[a]! - offsets[b]!);
    let candidate = 0;
    for (const j of overlapping) {
      if (candidate + size <= offsets[j]!) break;
      candidate = Math.max(candidate, offsets[j]! + alignUp(requests[j]!.bytes));
    }
    offsets[i] = candidate;
    placed.push(i);
    arenaBytes = Math.max(arenaBytes, candidate + size);
  }
  return { offsets, arenaBytes };
}
