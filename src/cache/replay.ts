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
  const { ids, writes, counts, records } = trace;
  let misses = 0;
  if (counts === null && !check) {
    if (nextUse === null) {
      for (let r = 0; r < records; r++) {
        if (!policy.access(ids[r]!, writes[r] !== 0, 0)) misses++;
      }
    } else {
      for (let r = 0; r < records; r++) {
        if (!policy.access(ids[r]!, writes[r] !== 0, nextUse[r]!)) misses++;
      }
    }
  } else {
    let t = 0;
    for (let r = 0; r < records; r++) {
      const page = ids[r]!;
      const write = writes[r] !== 0;
      const c = counts === null ? 1 : counts[r]!;
      for (let k = 0; k < c; k++) {
        t++;
        const next = nextUse === null ? 0 : k < c - 1 ? t : nextUse[r]!;
        if (!policy.access(page, write, next)) misses++;
        if (check) policy.checkInvariants();
      }
    }
  }
  return { requests: trace.requests, misses, writebacks: policy.writebacks };
}
