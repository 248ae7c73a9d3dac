/**
 * Arena layout by lifetime, after TFLM's GreedyMemoryPlanner: buffers are placed largest first, each at the
 * lowest 16-byte-aligned offset that does not overlap a placed buffer whose lifetime intersects its own. Greedy
 * by size packs well for the chain-shaped graphs of small models, and it is what TFLM's arena numbers assume.
 * Lifetimes are steps on one timeline shared by all subgraphs (planSubgraphTimeline), so one arena holds them all.
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

/** Start and end (inclusive) of a stretch of the planner's timeline. */
export type Span = [number, number];

export interface SubgraphTimeline {
  /** Per subgraph, per operator: the steps the operator occupies, including any subgraphs it invokes. */
  opSpans: Span[][];
  /** Per subgraph: the steps of one run of its operators. */
  windows: Span[];
  /**
   * Per subgraph that may run from more than one place (several call sites, or inside such a subgraph): every
   * step at which it may run, so its buffers stay reserved over all of them. Null for the others.
   */
  shared: (Span | null)[];
}

/**
 * Puts the operators of all subgraphs on one timeline, as TFLM plans every subgraph into one arena: a subgraph
 * invoked by an operator (IF, WHILE, CALL_ONCE) is laid out inside that operator's span, so its buffers may
 * share memory with anything not alive across the call. `calls[s][k]` lists the subgraphs operator k of
 * subgraph s invokes; the call graph must be acyclic. A model of one subgraph gets operator k at step k.
 */
export function planSubgraphTimeline(calls: readonly (readonly (readonly number[])[])[]): SubgraphTimeline {
  const count = calls.length;
  const opSpans: Span[][] = calls.map((ops) => ops.map((): Span => [0, 0]));
  const windows: (Span | null)[] = calls.map(() => null);
  let step = 0;
  const layout = (s: number): void => {
    const start = step;
    calls[s]!.forEach((callees, k) => {
      const opStart = step;
      for (const c of callees) if (!windows[c]) layout(c);
      opSpans[s]![k] = [opStart, step];
      step++;
    });
    if (calls[s]!.length === 0) step++;
    windows[s] = [start, step - 1];
  };
  // Subgraph 0 first; subgraphs nothing invokes (never run) after it.
  for (let s = 0; s < count; s++) if (!windows[s]) layout(s);

  // Callers before callees, so a callee's reach is known from its callers'.
  const order: number[] = [];
  const seen = new Array<boolean>(count).fill(false);
  const visit = (s: number): void => {
    seen[s] = true;
    for (const callees of calls[s]!) for (const c of callees) if (!seen[c]) visit(c);
    order.push(s);
  };
  for (let s = 0; s < count; s++) if (!seen[s]) visit(s);
  order.reverse();

  const sites: { caller: number; op: number }[][] = calls.map(() => []);
  calls.forEach((ops, s) => {
    ops.forEach((callees, k) => {
      for (const c of new Set(callees)) sites[c]!.push({ caller: s, op: k });
    });
  });
  const shared: (Span | null)[] = calls.map(() => null);
  for (const c of order) {
    const list = sites[c]!;
    if (list.length === 0 || (list.length === 1 && shared[list[0]!.caller] === null)) continue;
    const hull: Span = [...windows[c]!];
    for (const { caller, op } of list) {
      const span = shared[caller] ?? opSpans[caller]![op]!;
      hull[0] = Math.min(hull[0], span[0]);
      hull[1] = Math.max(hull[1], span[1]);
    }
    shared[c] = hull;
  }
  return { opSpans, windows: windows as Span[], shared };
}
