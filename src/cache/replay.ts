/**
 * Replay a dense trace through one policy: the loop every cache-mode number comes from.
 * A record with count c is c consecutive references to its page (the first may miss, the rest
 * hit), each a write when the record is.
 */
import type { DenseTrace } from './dense-trace.js';
import type { Policy } from './policy.js';

export interface ReplayCounts {
  requests: number;
  misses: number;
  writebacks: number;
}

/**
 * Run every reference of `trace` through `policy`. `nextUse` (from nextUseOf) is needed by OPT
 * only; without it every reference says "never". `check` runs checkInvariants after each access.
 */
export function replay(trace: DenseTrace, policy: Policy, nextUse: Float64Array | null = null, check = false): ReplayCounts {
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
        if (!policy.access(ids[r]!, writes[r] !== 0, nextUse === null ? 0 : nextUse[r]!)) misses++;
        policy.checkInvariants();
      }
    } else if (nextUse === null) {
      for (; r < stop; r++) if (!policy.access(ids[r]!, writes[r] !== 0, 0)) misses++;
    } else {
      for (; r < stop; r++) if (!policy.access(ids[r]!, writes[r] !== 0, nextUse[r]!)) misses++;
    }
    if (k === repeatAt.length) break;
    // record r is c consecutive references: each but the last is next used by the one after it
    const page = ids[r]!;
    const write = writes[r] !== 0;
    const c = repeatCount[k]!;
    const first = r + extra;
    for (let j = 0; j < c; j++) {
      const next = nextUse === null ? 0 : j < c - 1 ? first + j + 1 : nextUse[r]!;
      if (!policy.access(page, write, next)) misses++;
      if (check) policy.checkInvariants();
    }
    extra += c - 1;
    r++;
  }
  return { requests: trace.requests, misses, writebacks: policy.writebacks };
}
