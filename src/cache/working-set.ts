/**
 * Denning's working set W(t, τ): the pages referenced in the last τ references up to and including
 * time t. For each window τ (powers of two up to the trace's length), in one streaming pass:
 *
 * - the mean working-set size s(τ) = (1/T) Σ_t |W(t, τ)|, the memory the working-set policy
 *   with window τ holds on average;
 * - its miss ratio: the share of references whose page is not in W(t − 1, τ), i.e. was not
 *   referenced in the τ references before (first references always miss).
 *
 * Both come from the gaps between successive references to a page, exactly (Denning & Schwartz,
 * "Properties of the working-set model", CACM 1972, for the infinite-trace identities; here the
 * ends of a finite trace are counted as they are, not approximated). A page referenced at r and
 * next at n is in W(t, τ) for t from r to min(r + τ, n) − 1 on account of that reference; its last
 * reference counts up to the trace's end T. So Σ_t |W(t, τ)| = Σ_gaps min(τ, gap) +
 * Σ_pages min(τ, T − last), and a reference misses at τ exactly when its backward gap exceeds τ.
 * Gaps are kept as counts and sums per power-of-two bucket, so the pass is O(1) a record; memory
 * is the last reference time of each distinct page.
 */
import { PageIdMap } from './dense-trace.js';
import { grown } from './grow.js';

export interface WindowPoint {
  /** τ, in references */
  window: number;
  /** mean pages in W(t, τ) over every t */
  meanPages: number;
  /** share of references whose page was not among the τ references before */
  missRatio: number;
}

/** Buckets of gaps: bucket b holds gaps in (2^(b−1), 2^b], bucket 0 the gaps of 1. */
const BUCKETS = 64;

export class WindowedWorkingSet {
  readonly #ids = new PageIdMap(1 << 12);
  /** time of each page's last reference, by dense id */
  #last = new Float64Array(1 << 12);
  /** references seen: the time of the next one */
  #time = 0;
  readonly #gapCount = new Float64Array(BUCKETS);
  readonly #gapSum = new Float64Array(BUCKETS);
  #batchIds = new Int32Array(0);
  readonly #one = { page: new Float64Array(1), count: new Uint32Array(1) };

  /** One record: `count` consecutive references to `page`. */
  add(page: number, count: number): void {
    this.#one.page[0] = page;
    this.#one.count[0] = count;
    this.addBatch(this.#one.page, this.#one.count, 1);
  }

  /** `n` records: `counts[i]` consecutive references to `pages[i]`, remapped a batch at a time. */
  addBatch(pages: Float64Array, counts: Uint32Array, n: number): void {
    if (this.#batchIds.length < n) this.#batchIds = new Int32Array(n);
    const ids = this.#batchIds;
    const firstNew = this.#ids.size;
    this.#ids.remap(pages, n, ids, 0);
    if (this.#ids.size > this.#last.length) {
      let length = this.#last.length;
      while (length < this.#ids.size) length *= 2;
      this.#last = grown(this.#last, length);
    }
    const last = this.#last;
    let time = this.#time;
    // ids are handed out in order of first reference: an id at or past the batch's first new one,
    // met for the first time, is a first reference (no gap: it misses at every window)
    let nextNew = firstNew;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const count = counts[i]!;
      if (id === nextNew) nextNew++;
      else this.#gap(time - last[id]!, 1);
      // the record's other references each follow the one before: gaps of 1
      if (count > 1) this.#gap(1, count - 1);
      time += count;
      last[id] = time - 1;
    }
    this.#time = time;
  }

  #gap(gap: number, times: number): void {
    const b = gap <= 1 ? 0 : gap <= 2 ** 31 ? 32 - Math.clz32(gap - 1) : Math.ceil(Math.log2(gap));
    this.#gapCount[b] += times;
    this.#gapSum[b] += gap * times;
  }

  /** The points for τ = 1, 2, 4, … up to the first power of two at or past the trace's length. */
  points(): WindowPoint[] {
    const total = this.#time;
    const pages = this.#ids.size;
    if (total === 0) return [];
    const last = this.#last;
    const out: WindowPoint[] = [];
    // gaps at or below τ (summed) and above it (counted), bucket by bucket as τ doubles
    let sumBelow = 0;
    let countAbove = 0;
    for (let b = 0; b < BUCKETS; b++) countAbove += this.#gapCount[b]!;
    for (let b = 0; ; b++) {
      const window = 2 ** b;
      sumBelow += this.#gapSum[b]!;
      countAbove -= this.#gapCount[b]!;
      let tails = 0;
      for (let id = 0; id < pages; id++) tails += Math.min(window, total - last[id]!);
      out.push({ window, meanPages: (sumBelow + window * countAbove + tails) / total, missRatio: (pages + countAbove) / total });
      if (window >= total) break;
    }
    return out;
  }
}
