/**
 * A page-reference trace held in memory with dense page ids: every distinct page number is
 * remapped once, in order of first reference, to 0..pageCount-1, so policies index typed arrays
 * instead of hashing on every access. The remap is one pass with an open-addressing hash table
 * over Float64 keys (page numbers up to 2^53), the way libCacheSim's readers hand out object ids.
 */
import { REF_WRITE, RefBatch, type RefSource } from '../kernel/ref-source.js';
import { NEVER } from './policy.js';

const EMPTY = -1;

/** Page number → dense id, open addressing with linear probing; grows at half load. */
export class PageIdMap {
  #keys: Float64Array;
  #ids: Int32Array;
  #mask: number;
  #size = 0;
  /** dense id → page number */
  #pages: Float64Array;

  constructor(expectedPages = 1024) {
    let cap = 1024;
    while (cap < expectedPages * 2) cap *= 2;
    this.#keys = new Float64Array(cap);
    this.#ids = new Int32Array(cap).fill(EMPTY);
    this.#mask = cap - 1;
    this.#pages = new Float64Array(Math.max(16, expectedPages));
  }

  get size(): number {
    return this.#size;
  }

  /** The dense id of `page`, assigning the next id on first sight. */
  idOf(page: number): number {
    const keys = this.#keys;
    const ids = this.#ids;
    const mask = this.#mask;
    let i = hashPage(page) & mask;
    for (;;) {
      const id = ids[i]!;
      if (id === EMPTY) break;
      if (keys[i] === page) return id;
      i = (i + 1) & mask;
    }
    const id = this.#size++;
    keys[i] = page;
    ids[i] = id;
    if (id >= this.#pages.length) {
      const grown = new Float64Array(this.#pages.length * 2);
      grown.set(this.#pages);
      this.#pages = grown;
    }
    this.#pages[id] = page;
    if (this.#size * 2 > mask) this.#grow();
    return id;
  }

  /** Page numbers by dense id (a copy trimmed to size). */
  pages(): Float64Array {
    return this.#pages.slice(0, this.#size);
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldIds = this.#ids;
    const cap = oldKeys.length * 2;
    this.#keys = new Float64Array(cap);
    this.#ids = new Int32Array(cap).fill(EMPTY);
    this.#mask = cap - 1;
    for (let j = 0; j < oldIds.length; j++) {
      const id = oldIds[j]!;
      if (id === EMPTY) continue;
      let i = hashPage(oldKeys[j]!) & this.#mask;
      while (this.#ids[i] !== EMPTY) i = (i + 1) & this.#mask;
      this.#keys[i] = oldKeys[j]!;
      this.#ids[i] = id;
    }
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
  /** references per record, or null when every record is one reference */
  readonly counts: Uint32Array | null;
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
 * Memory: 5 bytes a record (9 with repeat counts) plus the id table.
 */
export function buildDenseTrace(source: RefSource, onProgress?: (refs: number) => void): DenseTrace {
  const batch = new RefBatch(65536);
  const map = new PageIdMap(1 << 16);
  let cap = 1 << 20;
  let ids: Int32Array = new Int32Array(cap);
  let writes: Uint8Array = new Uint8Array(cap);
  let counts: Uint32Array | null = null;
  let n = 0;
  let requests = 0;
  for (;;) {
    const got = source.read(batch);
    if (got === 0) break;
    if (n + got > cap) {
      while (n + got > cap) cap *= 2;
      ids = growInt32(ids, cap);
      writes = growUint8(writes, cap);
      if (counts) counts = growUint32(counts, cap);
    }
    const bp = batch.page;
    const bf = batch.flags;
    const bc = batch.count;
    for (let i = 0; i < got; i++) {
      ids[n] = map.idOf(bp[i]!);
      writes[n] = bf[i]! & REF_WRITE;
      const c = bc[i]!;
      if (c !== 1 && counts === null) {
        counts = new Uint32Array(cap).fill(1, 0, n);
      }
      if (counts !== null) counts[n] = c;
      requests += c;
      n++;
    }
    onProgress?.(requests);
  }
  return {
    ids: ids.subarray(0, n),
    writes: writes.subarray(0, n),
    counts: counts ? counts.subarray(0, n) : null,
    records: n,
    requests,
    pageCount: map.size,
    pages: map.pages(),
    description: source.description,
  };
}

function growInt32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
function growUint8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
function growUint32(a: Uint32Array, cap: number): Uint32Array {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
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
  const next = new Float64Array(trace.records);
  const seen = new Float64Array(trace.pageCount).fill(NEVER);
  const { ids, counts } = trace;
  let t = trace.requests;
  for (let r = trace.records - 1; r >= 0; r--) {
    t -= counts ? counts[r]! : 1;
    const id = ids[r]!;
    next[r] = seen[id]!;
    seen[id] = t;
  }
  return next;
}
