/**
 * A page-reference trace held in memory with dense page ids: every distinct page number is
 * remapped once, in order of first reference, to 0..pageCount-1, so policies index typed arrays
 * instead of hashing on every access. The remap is one pass with an open-addressing hash table
 * over Float64 keys (page numbers up to 2^53), the way libCacheSim's readers hand out object ids.
 */
import { REF_WRITE, RefBatch, type RefSource } from '../kernel/ref-source.js';
import { grown } from './grow.js';
import { NEVER } from './policy.js';

const DIRECT_PAGES = 1 << 22;

/**
 * Page number → dense id, open addressing with linear probing; grows at half load. The table holds
 * only ids (−1 = empty) and a probe checks the key in `pages[id]`: 4 bytes a slot keep the table
 * four times smaller than [key, id] pairs, and pages referenced often get small ids (ids go by
 * first reference), so their keys stay in cache. With a million pages this halves the lookup cost.
 */
export class PageIdMap {
  /**
   * Small page numbers (< DIRECT_PAGES: block ids, virtual pages of 32-bit programs) skip the hash:
   * `direct[page]` is their id + 1 (0 = none), so the table needs no fill. It is allocated whole
   * (16 MiB of address space) at the first small page: zeroed memory is mapped lazily, so only the
   * parts holding referenced pages are ever touched, where growing it by doubling touched every
   * byte twice, and first touches are what remapping a large trace mostly costs on our VMs.
   * One memory access instead of two made reading a Zipf trace 2–3 times faster.
   */
  direct: Int32Array = new Int32Array(0);
  /** slot → dense id, −1 = empty */
  table: Int32Array;
  mask: number;
  size = 0;
  #hashed = 0;
  /**
   * dense id → page number, written only for hashed pages (the probes compare keys there):
   * pageNumbers() fills in the direct pages from `direct`. Writing every id's page cost a
   * Float64Array as long as the ids, doubled as they grew, all of it freshly touched memory.
   */
  #pages: Float64Array = new Float64Array(0);
  /** the lowest and highest direct page seen, to bound pageNumbers()' scan of `direct` */
  #directLow = DIRECT_PAGES;
  #directHigh = -1;

  constructor(expectedPages = 1024) {
    let cap = 1024;
    while (cap < expectedPages * 2) cap *= 2;
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  /** The dense id of `page`, assigning the next id on first sight. */
  idOf(page: number): number {
    if (page < DIRECT_PAGES && page >= 0 && (page | 0) === page) {
      const id = page < this.direct.length ? this.direct[page]! - 1 : -1;
      if (id !== -1) return id;
      return this.#addDirect(page);
    }
    const table = this.table;
    const pages = this.#pages;
    const mask = this.mask;
    let i = hashPage(page) & mask;
    for (;;) {
      const id = table[i]!;
      if (id === -1) break;
      if (pages[id] === page) return id;
      i = (i + 1) & mask;
    }
    return this.#add(page, i);
  }

  #addDirect(page: number): number {
    if (this.direct.length === 0) this.direct = new Int32Array(DIRECT_PAGES);
    const id = this.size++;
    this.direct[page] = id + 1;
    if (page < this.#directLow) this.#directLow = page;
    if (page > this.#directHigh) this.#directHigh = page;
    return id;
  }

  #remember(id: number, page: number): void {
    if (id >= this.#pages.length) this.#pages = grown(this.#pages, Math.max(16, 2 * id));
    this.#pages[id] = page;
  }

  #add(page: number, i: number): number {
    const id = this.size++;
    this.table[i] = id;
    this.#remember(id, page);
    if (++this.#hashed * 2 > this.mask) this.#grow();
    return id;
  }

  /**
   * ids[at + i] = idOf(pages[i]) for i < count: the loop every reader of a trace runs, with the
   * direct-table hit (the common case) inlined and everything else through idOf.
   */
  remap(pages: Float64Array, count: number, ids: Int32Array, at: number): void {
    let direct = this.direct;
    let directLength = direct.length;
    for (let i = 0; i < count; i++) {
      const page = pages[i]!;
      const small = page | 0;
      let id = -1;
      if (small === page && small >= 0 && small < directLength) id = direct[small]! - 1;
      if (id === -1) {
        id = this.idOf(page);
        direct = this.direct;
        directLength = direct.length;
      }
      ids[at + i] = id;
    }
  }

  /** Page numbers by dense id (a view trimmed to size: a copy would be more fresh memory). */
  pageNumbers(): Float64Array {
    if (this.#pages.length < this.size) this.#pages = grown(this.#pages, this.size);
    const pages = this.#pages;
    const direct = this.direct;
    for (let page = this.#directLow; page <= this.#directHigh; page++) {
      const id = direct[page]! - 1;
      if (id !== -1) pages[id] = page;
    }
    return pages.subarray(0, this.size);
  }

  #grow(): void {
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    for (const id of this.table) {
      if (id === -1) continue;
      let i = hashPage(this.#pages[id]!) & mask;
      while (table[i] !== -1) i = (i + 1) & mask;
      table[i] = id;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A 32-bit mix of an integral page number (murmur3's finaliser over its two 32-bit halves). */
export function hashPage(page: number): number {
  const lo = page >>> 0;
  const hi = (page / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface DenseTrace {
  /** dense page id per record */
  readonly ids: Int32Array;
  /** REF_WRITE per record */
  readonly writes: Uint8Array;
  /**
   * The records whose repeat count is not 1, ascending, and their counts (every other record is
   * one reference). Sparse because repeats are rare: a dense count per record cost 4 bytes a record
   * of fresh memory, and on this project's VMs first-touching memory costs about as much CPU as
   * the whole replay.
   */
  readonly repeatAt: Uint32Array;
  readonly repeatCount: Uint32Array;
  readonly records: number;
  /** references: the sum of counts */
  readonly requests: number;
  /** distinct pages; ids are 0..pageCount-1 */
  readonly pageCount: number;
  /** original page number by dense id */
  readonly pages: Float64Array;
  readonly description: string;
}

/**
 * Read `source` to its end and remap it. `onProgress(references)` is called every batch.
 * Memory: 5 bytes a record, 8 more per repeated record, plus the id table.
 */
export function buildDenseTrace(source: RefSource, onProgress?: (refs: number) => void): DenseTrace {
  const batch = new RefBatch(65536);
  const map = new PageIdMap(1 << 16);
  // presize when the reader knows the length: growing 20M-entry arrays costs more than filling them
  let cap = source.totalRefs !== undefined && source.totalRefs > 0 ? Math.min(source.totalRefs, 1 << 28) : 1 << 20;
  let ids: Int32Array = new Int32Array(cap);
  let writes: Uint8Array = new Uint8Array(cap);
  let repeatAt: Uint32Array = new Uint32Array(1024);
  let repeatCount: Uint32Array = new Uint32Array(1024);
  let repeats = 0;
  let n = 0;
  let requests = 0;
  for (;;) {
    const got = source.read(batch);
    if (got === 0) break;
    if (n + got > cap) {
      while (n + got > cap) cap *= 2;
      ids = grown(ids, cap);
      writes = grown(writes, cap);
    }
    const bf = batch.flags;
    const bc = batch.count;
    map.remap(batch.page, got, ids, n);
    for (let i = 0; i < got; i++) writes[n + i] = bf[i]! & REF_WRITE;
    let batchRequests = got;
    for (let i = 0; i < got; i++) {
      const c = bc[i]!;
      if (c === 1) continue;
      if (repeats === repeatAt.length) {
        repeatAt = grown(repeatAt, repeats * 2);
        repeatCount = grown(repeatCount, repeats * 2);
      }
      repeatAt[repeats] = n + i;
      repeatCount[repeats] = c;
      repeats++;
      batchRequests += c - 1;
    }
    requests += batchRequests;
    n += got;
    onProgress?.(requests);
  }
  return {
    ids: ids.subarray(0, n),
    writes: writes.subarray(0, n),
    repeatAt: repeatAt.slice(0, repeats),
    repeatCount: repeatCount.slice(0, repeats),
    records: n,
    requests,
    pageCount: map.size,
    pages: map.pageNumbers(),
    description: source.description,
  };
}

/** A dense trace from plain arrays (tests, generators): one reference per id. */
export function denseTraceOf(pages: ArrayLike<number>, writes?: ArrayLike<boolean | number>, description = 'array'): DenseTrace {
  const source: RefSource = {
    description,
    close() {},
    read: (() => {
      let at = 0;
      return (b: RefBatch) => {
        let k = 0;
        while (k < b.capacity && at < pages.length) {
          b.page[k] = pages[at]!;
          b.flags[k] = writes && writes[at] ? REF_WRITE : 0;
          b.count[k] = 1;
          k++;
          at++;
        }
        return k;
      };
    })(),
  };
  return buildDenseTrace(source);
}

/**
 * For each record, the reference index at which its page is referenced next (NEVER if never):
 * one backward pass, as Belady's OPT needs it. Reference indices count repeats (a record with
 * count c covers c indices), so they agree with `replay`'s clock.
 */
export function nextUseOf(trace: DenseTrace): Float64Array {
  return fillNextUses(trace, new Float64Array(trace.records), new Float64Array(trace.pageCount).fill(NEVER));
}

/** In a compact next-use array (nextUsesCompact), the entry that stands for NEVER. */
export const COMPACT_NEVER = 0xffffffff;

/**
 * nextUseOf in 4 bytes a record instead of 8 when the trace has fewer than 2^32 − 1 references,
 * with COMPACT_NEVER for NEVER (replay maps it back, so OPT sees the same numbers). OPT replays
 * use this: the Float64 array was 160 MB of first-touched memory on a 20M-record trace.
 */
export function nextUsesCompact(trace: DenseTrace): Float64Array | Uint32Array {
  if (trace.requests >= COMPACT_NEVER) return nextUseOf(trace);
  return fillNextUses(trace, new Uint32Array(trace.records), new Uint32Array(trace.pageCount).fill(COMPACT_NEVER));
}

/** The backward pass: `seen` starts filled with the array type's NEVER. */
function fillNextUses<A extends Float64Array | Uint32Array>(trace: DenseTrace, next: A, seen: A): A {
  const { ids, repeatAt, repeatCount } = trace;
  let t = trace.requests;
  let k = repeatAt.length - 1;
  let nextRepeat = k >= 0 ? repeatAt[k]! : -1;
  for (let r = trace.records - 1; r >= 0; r--) {
    if (r === nextRepeat) {
      t -= repeatCount[k]!;
      nextRepeat = --k >= 0 ? repeatAt[k]! : -1;
    } else {
      t--;
    }
    const id = ids[r]!;
    next[r] = seen[id]!;
    seen[id] = t;
  }
  return next;
}
