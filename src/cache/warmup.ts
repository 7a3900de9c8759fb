/**
 * A warm-up: the first references of a trace fill the cache but are not counted.
 *
 * A policy replayed over the trace is wrapped (WarmedUp): during the warm-up every access counts
 * as a hit, and write-backs are counted from its end, so the replay loops need not know. That is
 * the only way for OPT, whose choices in the first n references depend on what follows them. The
 * LRU curves and the kernel run are causal (nothing in the first n references depends on what
 * comes after), so for them the counts after the warm-up are the whole run's less those of a run
 * over the first n alone (prefixOf, afterWarmup).
 */
import type { CompareRow } from './compare.js';
import type { DenseTrace } from './dense-trace.js';
import type { LruCurve } from './mrc.js';
import type { Policy } from './policy.js';

/** `inner`, its first `warmup` references counted as hits and its write-backs counted after them. */
export class WarmedUp implements Policy {
  #seen = 0;
  #writebacksBefore = 0;
  /** distinct pages referenced in the warm-up: ids go by first reference, so the highest + 1 */
  #warmupPages = 0;

  constructor(readonly inner: Policy, readonly warmup: number) {}

  access(page: number, write: boolean, nextUse: number): boolean {
    const hit = this.inner.access(page, write, nextUse);
    if (this.#seen >= this.warmup) return hit;
    if (page >= this.#warmupPages) this.#warmupPages = page + 1;
    if (++this.#seen === this.warmup) this.#writebacksBefore = this.inner.writebacks;
    return true;
  }

  get writebacks(): number {
    return this.#seen < this.warmup ? 0 : this.inner.writebacks - this.#writebacksBefore;
  }
  get resident(): number {
    return this.inner.resident;
  }
  /** distinct pages first referenced during the warm-up, whose first misses went uncounted */
  get warmupPages(): number {
    return this.#warmupPages;
  }
  growPages(pageCount: number): void {
    this.inner.growPages(pageCount);
  }
  checkInvariants(): void {
    this.inner.checkInvariants();
  }
}

/** `policy` as replayed with a warm-up of `warmup` references (none: the policy itself). */
export function withWarmup(policy: Policy, warmup: number): Policy {
  return warmup > 0 ? new WarmedUp(policy, warmup) : policy;
}

/** The first `references` references of `trace` (fewer than it holds), as a trace of their own. */
export function prefixOf(trace: DenseTrace, references: number): DenseTrace {
  const { repeatAt, repeatCount } = trace;
  // walk the repeated records: between them every record is one reference
  let extra = 0; // references so far beyond one a record
  let k = 0;
  let records = references;
  let lastCount = 0; // the count of a repeated record the cut falls in or ends at (0: none)
  for (; k < repeatAt.length; k++) {
    const start = repeatAt[k]! + extra; // the reference index of record repeatAt[k]'s first reference
    if (start >= references) break;
    const c = repeatCount[k]!;
    if (start + c >= references) {
      records = repeatAt[k]! + 1;
      lastCount = references - start;
      break;
    }
    extra += c - 1;
  }
  if (lastCount === 0) records = references - extra;
  const ids = trace.ids.subarray(0, records);
  let pageCount = 0;
  for (let r = 0; r < records; r++) if (ids[r]! >= pageCount) pageCount = ids[r]! + 1;
  // the repeats before the cut, and the cut one with what is left of its count (if more than 1)
  const kept = lastCount > 1 ? k + 1 : k;
  const repeatCounts = repeatCount.slice(0, kept);
  if (lastCount > 1) repeatCounts[k] = lastCount;
  return {
    ids,
    writes: trace.writes.subarray(0, records),
    repeatAt: repeatAt.slice(0, kept),
    repeatCount: repeatCounts,
    records,
    requests: references,
    pageCount,
    pages: trace.pages.subarray(0, pageCount),
    description: trace.description,
  };
}

/** `whole`'s row with the counts of `prefix` (the same policy and size over the warm-up) taken out. */
export function afterWarmup<R extends CompareRow>(whole: R, prefix: CompareRow, warmup: number): R {
  const requests = whole.requests - warmup;
  if (whole.misses === null || prefix.misses === null || whole.writebacks === null || prefix.writebacks === null) {
    const note = whole.note ?? prefix.note;
    return { ...whole, requests, misses: null, missRatio: null, writebacks: null, ...(note !== undefined ? { note } : {}) };
  }
  const misses = whole.misses - prefix.misses;
  return { ...whole, requests, misses, missRatio: requests === 0 ? 0 : misses / requests, writebacks: whole.writebacks - prefix.writebacks };
}

/**
 * `whole`'s curve with `prefix`'s (the same curve over the warm-up) taken out: misses at each size
 * after the warm-up, over the `wholeRequests − warmup` references counted. The other fields still
 * describe the whole trace (a sampled curve's estimate stays an estimate).
 */
export function curveAfterWarmup<C extends LruCurve>(whole: C, prefix: LruCurve, warmup: number, wholeRequests: number): C {
  const counted = wholeRequests - warmup;
  const missesAt = (frames: number): number => whole.missesAt(frames) - prefix.missesAt(frames);
  return { ...whole, missesAt, missRatioAt: (frames: number) => (counted === 0 ? 0 : missesAt(frames) / counted) };
}
