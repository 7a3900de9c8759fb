/**
 * Replay a dense trace through one policy: the loop every cache-mode number comes from.
 * A record with count c is c consecutive references to its page (the first may miss, the rest
 * hit), each a write when the record is.
 */
import { COMPACT_NEVER, type DenseTrace } from './dense-trace.js';
import { NEVER, type Policy } from './policy.js';

export interface ReplayCounts {
  requests: number;
  misses: number;
  writebacks: number;
}

/**
 * Run every reference of `trace` through `policy`. `nextUse` (from nextUseOf or nextUsesCompact)
 * is needed by OPT only; without it every reference says "never". `check` runs checkInvariants
 * after each access.
 */
export function replay(trace: DenseTrace, policy: Policy, nextUse: Float64Array | Uint32Array | null = null, check = false): ReplayCounts {
  const compact = nextUse instanceof Uint32Array ? nextUse : null;
  const wide = nextUse instanceof Float64Array ? nextUse : null;
  const { ids, writes, repeatAt, repeatCount, records } = trace;
  let misses = 0;
  // runs of single references between repeated records go through a loop that does nothing else
  let r = 0;
  // reference index of record r's first reference minus r: the repeats so far, less one each
  let extra = 0;
  for (let k = 0; k <= repeatAt.length; k++) {
    const stop = k < repeatAt.length ? repeatAt[k]! : records;
    if (check) {
      for (; r < stop; r++) {
        if (!policy.access(ids[r]!, writes[r] !== 0, nextUseAt(nextUse, r))) misses++;
        policy.checkInvariants();
      }
    } else if (compact !== null) {
      for (; r < stop; r++) {
        const next = compact[r]!;
        if (!policy.access(ids[r]!, writes[r] !== 0, next === COMPACT_NEVER ? NEVER : next)) misses++;
      }
    } else if (wide !== null) {
      for (; r < stop; r++) if (!policy.access(ids[r]!, writes[r] !== 0, wide[r]!)) misses++;
    } else {
      for (; r < stop; r++) if (!policy.access(ids[r]!, writes[r] !== 0, 0)) misses++;
    }
    if (k === repeatAt.length) break;
    // record r is c consecutive references: each but the last is next used by the one after it
    const page = ids[r]!;
    const write = writes[r] !== 0;
    const c = repeatCount[k]!;
    const first = r + extra;
    for (let j = 0; j < c; j++) {
      const next = nextUse === null ? 0 : j < c - 1 ? first + j + 1 : nextUseAt(nextUse, r);
      if (!policy.access(page, write, next)) misses++;
      if (check) policy.checkInvariants();
    }
    extra += c - 1;
    r++;
  }
  return { requests: trace.requests, misses, writebacks: policy.writebacks };
}

/** The next use of record r's last reference as a number (NEVER for never); 0 without next uses. */
function nextUseAt(nextUse: Float64Array | Uint32Array | null, r: number): number {
  if (nextUse === null) return 0;
  const next = nextUse[r]!;
  return nextUse instanceof Uint32Array && next === COMPACT_NEVER ? NEVER : next;
}
