/**
 * Miss-ratio curves. The exact LRU curve comes from one pass of stack distances (Mattson et al.,
 * 1970): a reference hits in an LRU memory of C frames iff fewer than C distinct pages were
 * referenced since its page's previous reference. The count of distinct pages in between is a
 * range count over "last reference" marks (a bitmap with a Fenwick tree over its words); the
 * marks' slots are renumbered whenever they run out, so there are 2 × (distinct pages) slots and
 * memory does not grow with the trace.
 *
 * SHARDS (Waldspurger et al., FAST 2015) samples pages, not references: a page is in the sample
 * iff shardsHash(page) < rate × 2^32, and every reference to a sampled page is kept. Distances
 * measured in the sample are divided by the rate. With `adjust` (SHARDS_adj) the shortfall
 * between the expected and the actual number of sampled references is counted as hits at every
 * size; on the shared traces (tens of thousands of references, a few thousand pages) it made the
 * error larger more often than smaller, so it is off by default (README: measured errors).
 */
import type { RefSource } from '../kernel/ref-source.js';
import type { DenseTrace } from './dense-trace.js';
import { grown } from './grow.js';
import { streamDenseIds, type StreamedTrace, type StreamOptions } from './stream.js';

export interface LruCurve {
  /** references counted (for a sampled curve: references of sampled pages) */
  readonly requests: number;
  /** first references (misses at every size) */
  readonly coldMisses: number;
  /** histogram[d]: references whose stack distance is d (1 = the page referenced just before) */
  readonly histogram: Float64Array;
  /** distinct pages seen */
  readonly pages: number;
  /** exact LRU misses with `frames` frames (for a sampled curve: scaled to the whole trace) */
  missesAt(frames: number): number;
  missRatioAt(frames: number): number;
}

/**
 * The seed of shardsHash. Any fixed value would do; it is what decides which pages a rate keeps,
 * so changing it changes every sampled curve (and the README's SHARDS error figures).
 */
const SHARDS_SEED = 0x7feb352d;

/**
 * The sampling hash: MurmurHash3_x86_32 of the page number as 8 little-endian bytes, seeded, as
 * SHARDS implementations hash with a seeded hash. Not dense-trace.ts's hashPage, which is only
 * murmur3's finaliser: that maps page 0 to 0, and a threshold test keeps a page hashed to 0 at
 * every rate — traces number their pages from 0, so page 0 was in every sample. Seeded, no page
 * number in use is special: which pages a rate keeps is fixed, but unrelated to their numbers.
 */
export function shardsHash(page: number): number {
  const lo = page >>> 0;
  const hi = (page / 4294967296) >>> 0;
  let h = SHARDS_SEED;
  h = murmurMixBlock(h, lo);
  h = murmurMixBlock(h, hi);
  h ^= 8; // the key's length in bytes
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One 4-byte block of MurmurHash3_x86_32 into the running hash `h`. */
function murmurMixBlock(h: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Distances held back from the histogram before they are counted in one loop (16 KB). */
const PENDING_DISTANCES = 4096;

/**
 * Marks ("this slot holds some page's latest reference") in a bitmap of 32-slot words, with a
 * Fenwick tree over the words' counts: a query or update costs one popcount plus log2(slots / 32)
 * tree steps, and the tree (2 × pages / 32 entries) stays in cache where a tree over the slots
 * themselves would not. Slots are 0-based; `lastSlot[page]` is −1 for a page not seen yet.
 *
 * The word being filled (the one holding the newest marks) is kept out of the tree and added when
 * the next word starts: a new mark then costs one tree update per 32 references instead of one
 * each, and a re-reference of a page marked in that word (the most recent ones, the most frequent
 * case) needs no tree step at all, since no mark lies after its word.
 *
 * Distances reach the histogram a batch at a time (#pending). Its entry is a random access into
 * an array the size of the distinct pages (7 MB at a million pages); in a loop that does nothing
 * else, those misses overlap one another instead of stalling the tree walks between them. On the
 * bench trace this made the curve about 1.15× faster.
 */
class StackDistanceCounter {
  #words: Uint32Array;
  /** Fenwick tree over word counts, 1-based; counts words 0..#treeWords−1 only */
  #tree: Int32Array;
  #slotPage: Int32Array;
  #lastSlot: Int32Array;
  #slots: number;
  #wordCount: number;
  #next = 0;
  #live = 0;
  /** words counted in the tree: all before the word holding slot #next − 1 */
  #treeWords = 0;
  #histogram: Float64Array;
  /** distances (+ 1, the histogram index) not yet counted in #histogram */
  #pending = new Int32Array(PENDING_DISTANCES);
  #pendingCount = 0;
  cold = 0;
  requests = 0;

  constructor(pageCount: number) {
    this.#wordCount = Math.max(2, Math.ceil((2 * pageCount) / 32));
    this.#slots = this.#wordCount * 32;
    this.#words = new Uint32Array(this.#wordCount);
    this.#tree = new Int32Array(this.#wordCount + 1);
    this.#slotPage = new Int32Array(this.#slots);
    this.#lastSlot = new Int32Array(pageCount).fill(-1);
    this.#histogram = new Float64Array(pageCount + 2);
  }

  /** histogram[d]: references whose stack distance is d */
  get histogram(): Float64Array {
    this.#countPending();
    return this.#histogram;
  }

  #countPending(): void {
    const h = this.#histogram;
    const pending = this.#pending;
    for (let i = 0, n = this.#pendingCount; i < n; i++) h[pending[i]!]!++;
    this.#pendingCount = 0;
  }

  /** Record `repeats` consecutive references to `page`; the repeats after the first are at distance 1. */
  reference(page: number, repeats: number): void {
    const tree = this.#tree;
    const words = this.#words;
    const n = this.#wordCount;
    const s = this.#lastSlot[page]!;
    if (s === -1) this.cold++;
    else {
      const w = s >>> 5;
      const bit = 1 << (s & 31);
      const word = words[w]!;
      // marks after s: the rest of its word above it, then every later word
      let after = popcount(word & ~((bit << 1) - 1));
      if (w < this.#treeWords) {
        let before = 0; // marks in words 0..w
        for (let i = w + 1; i > 0; i -= i & -i) before += tree[i]!;
        after += this.#live - before;
        for (let i = w + 1; i <= n; i += i & -i) tree[i]!--;
      } // else w is the word being filled: no word after it has marks
      this.#pending[this.#pendingCount++] = after + 1;
      if (this.#pendingCount === PENDING_DISTANCES) this.#countPending();
      words[w] = word & ~bit;
      this.#lastSlot[page] = -1; // no longer a mark: compaction must not keep it
      this.#live--;
    }
    if (this.#next === this.#slots) this.#compact();
    const slot = this.#next++;
    const ws = slot >>> 5;
    while (this.#treeWords < ws) {
      // a new word starts: count the finished one(s) in the tree
      const t = this.#treeWords++;
      const c = popcount(words[t]!);
      if (c !== 0) for (let i = t + 1; i <= n; i += i & -i) tree[i]! += c;
    }
    words[ws]! |= 1 << (slot & 31);
    this.#lastSlot[page] = slot;
    this.#slotPage[slot] = page;
    this.#live++;
    if (repeats > 1) this.#histogram[1]! += repeats - 1;
    this.requests += repeats;
  }

  /**
   * Room for pages 0..pageCount−1 (streaming: pages are counted as they appear). Marks are
   * renumbered, then the bitmap and the tree are rebuilt at their new size: O(slots) a doubling.
   */
  growPages(pageCount: number): void {
    this.#lastSlot = grown(this.#lastSlot, pageCount, -1);
    this.#histogram = grown(this.#histogram, pageCount + 2);
    const wordCount = Math.max(2, Math.ceil((2 * pageCount) / 32));
    if (wordCount <= this.#wordCount) return;
    const live = this.#renumber();
    this.#wordCount = wordCount;
    this.#slots = wordCount * 32;
    this.#words = new Uint32Array(wordCount);
    this.#tree = new Int32Array(wordCount + 1);
    this.#slotPage = grown(this.#slotPage, this.#slots);
    this.#rebuild(live);
  }

  /** The histogram cut to `pageCount` pages (it may have been grown past them). */
  trimTo(pageCount: number): void {
    this.#histogram = this.histogram.subarray(0, pageCount + 2);
  }

  /** Renumber live marks to 0..live−1 in order; rebuild the bitmap and the tree in O(slots). */
  #compact(): void {
    this.#rebuild(this.#renumber());
  }

  /** Move the live marks to slots 0..live−1, keeping their order; return live. */
  #renumber(): number {
    let k = 0;
    for (let slot = 0; slot < this.#slots; slot++) {
      const page = this.#slotPage[slot]!;
      if (this.#lastSlot[page] !== slot) continue;
      this.#slotPage[k] = page;
      this.#lastSlot[page] = k;
      k++;
    }
    return k;
  }

  /** Words and tree for marks in slots 0..k−1 (after #renumber). */
  #rebuild(k: number): void {
    const words = this.#words;
    const tree = this.#tree;
    const n = this.#wordCount;
    words.fill(0);
    for (let i = 0; i < k >>> 5; i++) words[i] = 0xffffffff;
    if ((k & 31) !== 0) words[k >>> 5] = (1 << (k & 31)) - 1;
    // the word holding slot k − 1 stays out of the tree, as in reference()
    const treeWords = k === 0 ? 0 : (k - 1) >>> 5;
    tree.fill(0);
    for (let i = 1; i <= n; i++) {
      if (i <= treeWords) tree[i]! += popcount(words[i - 1]!);
      const j = i + (i & -i); // propagate past k too: nodes above k cover marks below it
      if (j <= n) tree[j]! += tree[i]!;
    }
    this.#treeWords = treeWords;
    this.#next = k;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function curveOf(counter: StackDistanceCounter, pages: number, scale: number, extraHits: number): LruCurve {
  const h = counter.histogram;
  // missesFrom[c] = cold + references with distance > c (in sampled units)
  const missesFrom = new Float64Array(h.length + 1);
  let acc = counter.cold;
  for (let d = h.length - 1; d >= 0; d--) {
    missesFrom[d] = acc;
    acc += h[d]!;
  }
  const total = counter.requests + extraHits;
  const last = h.length - 1;
  // misses at a cache of x sampled frames; between whole sizes (a sampled curve at frames × rate)
  // interpolate linearly, since a sample resolves sizes only in steps of 1 / rate frames
  const missesAtSampled = (x: number): number => {
    if (x >= last) return missesFrom[last]!;
    const lo = Math.floor(x + 1e-9);
    const frac = x - lo;
    return frac < 1e-9 ? missesFrom[lo]! : missesFrom[lo]! * (1 - frac) + missesFrom[lo + 1]! * frac;
  };
  return {
    requests: counter.requests,
    coldMisses: counter.cold,
    histogram: h,
    pages,
    missesAt(frames: number): number {
      return missesAtSampled(frames / scale) * scale;
    },
    missRatioAt(frames: number): number {
      return total === 0 ? 0 : missesAtSampled(frames / scale) / total;
    },
  };
}

/** The exact LRU miss-ratio curve of `trace` in one pass. */
export function lruCurve(trace: DenseTrace): LruCurve {
  const counter = new StackDistanceCounter(trace.pageCount);
  countReferences(counter, trace, null);
  return curveOf(counter, trace.pageCount, 1, 0);
}

/**
 * Every record of `trace` into `counter`, its page renumbered by `counterId` (−1 = not counted)
 * when given: runs of single references between the sparse repeated records, then each repeat.
 */
function countReferences(counter: StackDistanceCounter, trace: DenseTrace, counterId: Int32Array | null): void {
  const { ids, repeatAt, repeatCount, records } = trace;
  let r = 0;
  for (let k = 0; k <= repeatAt.length; k++) {
    const stop = k < repeatAt.length ? repeatAt[k]! : records;
    if (counterId === null) {
      for (; r < stop; r++) counter.reference(ids[r]!, 1);
    } else {
      for (; r < stop; r++) {
        const s = counterId[ids[r]!]!;
        if (s !== -1) counter.reference(s, 1);
      }
    }
    if (k === repeatAt.length) break;
    const s = counterId === null ? ids[r]! : counterId[ids[r]!]!;
    if (s !== -1) counter.reference(s, repeatCount[k]!);
    r++;
  }
}

/**
 * The exact LRU curve and, with `sampleRate`, the SHARDS curve of a trace read once from
 * `source` (nothing of the trace is kept: memory is proportional to the distinct pages). Equal to
 * lruCurve and shardsCurve over the loaded trace (test/cache/stream.test.ts). `exact: false`
 * skips the exact curve (then only the sampled one is computed).
 */
export function streamCurves(
  source: RefSource,
  want: { exact: boolean; sampleRate?: number; adjust?: boolean },
  options: StreamOptions = {},
): { exact: LruCurve | null; sampled: SampledCurve | null; trace: StreamedTrace } {
  const exact = want.exact ? new StackDistanceCounter(0) : null;
  const rate = want.sampleRate;
  const threshold = rate === undefined ? 0 : rate * 4294967296;
  const sample = rate === undefined ? null : new StackDistanceCounter(0);
  // sampled dense ids get their own dense numbering, as in shardsCurve
  let sampleId: Int32Array = new Int32Array(0);
  let seen = 0;
  let sampled = 0;
  let sampledRoom = 0;
  const trace = streamDenseIds(
    source,
    (pageCount) => {
      exact?.growPages(pageCount);
      if (sample !== null) sampleId = grown(sampleId, pageCount, -1);
    },
    (ids, _flags, counts, n, pages) => {
      if (exact !== null) for (let i = 0; i < n; i++) exact.reference(ids[i]!, counts[i]!);
      if (sample === null) return;
      for (let i = 0; i < n; i++) {
        const id = ids[i]!;
        if (id === seen) {
          // a page's first reference (ids are handed out in order of first reference)
          seen++;
          if (shardsHash(pages[i]!) < threshold) {
            if (sampled === sampledRoom) sample.growPages((sampledRoom = Math.max(1024, sampledRoom * 2)));
            sampleId[id] = sampled++;
          }
        }
        const s = sampleId[id]!;
        if (s !== -1) sample.reference(s, counts[i]!);
      }
    },
    options,
  );
  let exactCurve: LruCurve | null = null;
  if (exact !== null) {
    exact.trimTo(trace.pageCount);
    exactCurve = curveOf(exact, trace.pageCount, 1, 0);
  }
  let sampledCurve: SampledCurve | null = null;
  if (sample !== null) {
    sample.trimTo(sampled);
    sampledCurve = sampledCurveOf(sample, sampled, rate!, want.adjust === true, trace.requests);
  }
  return { exact: exactCurve, sampled: sampledCurve, trace };
}

export interface SampledCurve extends LruCurve {
  readonly rate: number;
  /**
   * Sampled pages. With none (a rate too small for the trace's pages) there is no estimate: the
   * ratios read 0 at every size, which means nothing, and `pageout mrc` refuses such a rate.
   */
  readonly sampledPages: number;
  /** references in the whole trace */
  readonly traceRequests: number;
}

/**
 * SHARDS fixed-rate spatial sampling of the LRU curve: cost and memory shrink by `rate`.
 * `missesAt` is scaled to the whole trace (an estimate); `missRatioAt` is the estimated ratio.
 */
export function shardsCurve(trace: DenseTrace, rate: number, adjust = false): SampledCurve {
  const threshold = rate * 4294967296;
  const pages = trace.pages;
  // sampled dense ids get their own dense numbering, so the counter's arrays shrink with the rate
  const sampleId = new Int32Array(trace.pageCount).fill(-1);
  let sampled = 0;
  for (let p = 0; p < trace.pageCount; p++) if (shardsHash(pages[p]!) < threshold) sampleId[p] = sampled++;
  const counter = new StackDistanceCounter(sampled);
  countReferences(counter, trace, sampleId);
  return sampledCurveOf(counter, sampled, rate, adjust, trace.requests);
}

/** The SHARDS curve from the sampled pages' counter, scaled to a trace of `traceRequests`. */
function sampledCurveOf(counter: StackDistanceCounter, sampled: number, rate: number, adjust: boolean, traceRequests: number): SampledCurve {
  // SHARDS_adj: divide by the references a rate-R sample should hold, not the ones it happened to
  // hold (the paper adds the difference to the smallest-distance bucket, which is the same thing)
  const denominator = adjust ? traceRequests * rate : counter.requests;
  const curve = curveOf(counter, sampled, 1 / rate, 0);
  const missRatioAt = (frames: number): number =>
    denominator === 0 ? 0 : Math.min(1, (curve.missesAt(frames) * rate) / denominator);
  return {
    ...curve,
    missesAt: (frames: number) => missRatioAt(frames) * traceRequests,
    missRatioAt,
    rate,
    sampledPages: sampled,
    traceRequests,
  };
}

/** Mean and largest absolute difference of two curves' miss ratios over `sizes`. */
export function curveError(exact: LruCurve, estimate: LruCurve, sizes: readonly number[]): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (const c of sizes) {
    const d = Math.abs(exact.missRatioAt(c) - estimate.missRatioAt(c));
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sizes.length === 0 ? 0 : sum / sizes.length, max };
}

/** `points` frame counts from 1 to `pages`, spaced evenly on a log scale (distinct, ascending). */
export function defaultSizes(pages: number, points = 24): number[] {
  const out = new Set<number>();
  const top = Math.max(1, pages);
  for (let i = 0; i < points; i++) out.add(Math.max(1, Math.round(Math.exp((Math.log(top) * i) / (points - 1)))));
  return [...out].sort((a, b) => a - b);
}
