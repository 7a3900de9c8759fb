/**
 * LRU-K (O'Neil, O'Neil & Weikum, SIGMOD 1993): evict the resident page whose K-th most recent
 * reference is oldest (the largest "backward K-distance"). Pages referenced fewer than K times
 * have an infinite distance and go first, the least recently used of them first (the paper's
 * subsidiary policy). K = 1 is LRU exactly (a test holds it to that); K = 2, the default, is the
 * paper's LRU-2, which tells a page used twice from a page touched once in a scan.
 *
 * As the paper's simplest form: no Correlated Reference Period (every reference counts), and the
 * Retained Information Period unbounded, so an evicted page keeps its last K reference times and
 * comes back with them. Memory stays proportional to the distinct pages: K times a page.
 *
 * Residents sit in a binary min-heap keyed by the K-th most recent reference time, or, for a page
 * with fewer than K references, by its last reference time less 2^52, which orders those pages
 * below every real time and among themselves by recency. Every key is a distinct reference's
 * time, so there are no ties and the heap's shape never decides a victim. A reference only raises
 * its page's key, so a hit sifts down and a miss sifts its page up from the bottom: O(log frames).
 * libCacheSim's `LRU_K.cpp` is an empty file, so there are no counts to compare; the tests check
 * K = 1 against LRU, a hand-worked trace for K = 2, and the bound OPT sets.
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

const PARAMS: readonly ParamInfo[] = [
  { key: 'k', defaultValue: 2, min: 1, max: 8, integer: true, description: 'references remembered a page; the K-th most recent orders evictions' },
];

/** Subtracted from the last reference time of a page with fewer than K references. */
const INFINITE_DISTANCE = 2 ** 52;

export class LruK implements Policy {
  // --- per page
  /** the page's last K reference times, most recent first, at K·p … K·p + K − 1 */
  #times: Float64Array;
  /** references to the page so far, capped at K */
  #refs: Uint8Array;
  /** heap slot + 1 of each resident page, 0 = not resident */
  #slotOf: Int32Array;
  #dirty: Uint8Array;
  // --- per heap slot
  #heapPage: Int32Array;
  #heapKey: Float64Array;
  #size = 0;
  /** references seen, the clock the times are read on */
  #now = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number, readonly k: number) {
    this.#times = new Float64Array(k * pageCount);
    this.#refs = new Uint8Array(pageCount);
    this.#slotOf = new Int32Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
    const slots = framesFor(capacity, pageCount);
    this.#heapPage = new Int32Array(slots);
    this.#heapKey = new Float64Array(slots);
  }

  growPages(pageCount: number): void {
    this.#times = grown(this.#times, this.k * pageCount);
    this.#refs = grown(this.#refs, pageCount);
    this.#slotOf = grown(this.#slotOf, pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
    const slots = framesFor(this.capacity, pageCount);
    if (slots > this.#heapPage.length) {
      this.#heapPage = grown(this.#heapPage, slots);
      this.#heapKey = grown(this.#heapKey, slots);
    }
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    this.#remember(page);
    const slot = this.#slotOf[page]! - 1;
    if (slot >= 0) {
      if (write) this.#dirty[page] = 1;
      this.#heapKey[slot] = this.#keyOf(page);
      this.#siftDown(slot);
      return true;
    }
    if (this.#size === this.capacity) this.#evict();
    const at = this.#size++;
    this.#heapPage[at] = page;
    this.#heapKey[at] = this.#keyOf(page);
    this.#slotOf[page] = at + 1;
    this.#siftUp(at);
    this.#dirty[page] = write ? 1 : 0;
    return false;
  }

  /** Shift the reference now into the page's history. */
  #remember(page: number): void {
    const times = this.#times;
    const base = this.k * page;
    for (let i = this.k - 1; i > 0; i--) times[base + i] = times[base + i - 1]!;
    times[base] = this.#now++;
    if (this.#refs[page]! < this.k) this.#refs[page]!++;
  }

  /** The K-th most recent reference time; with fewer than K, the last one less INFINITE_DISTANCE. */
  #keyOf(page: number): number {
    const base = this.k * page;
    return this.#refs[page]! >= this.k ? this.#times[base + this.k - 1]! : this.#times[base]! - INFINITE_DISTANCE;
  }

  /** Take the root (the smallest key) out of the heap. */
  #evict(): void {
    const victim = this.#heapPage[0]!;
    if (this.#dirty[victim] === 1) this.#writebacks++;
    this.#dirty[victim] = 0;
    this.#slotOf[victim] = 0;
    const last = --this.#size;
    if (last === 0) return;
    this.#heapPage[0] = this.#heapPage[last]!;
    this.#heapKey[0] = this.#heapKey[last]!;
    this.#slotOf[this.#heapPage[0]!] = 1;
    this.#siftDown(0);
  }

  #siftUp(slot: number): void {
    const pages = this.#heapPage;
    const keys = this.#heapKey;
    const page = pages[slot]!;
    const key = keys[slot]!;
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (keys[parent]! <= key) break;
      pages[slot] = pages[parent]!;
      keys[slot] = keys[parent]!;
      this.#slotOf[pages[slot]!] = slot + 1;
      slot = parent;
    }
    pages[slot] = page;
    keys[slot] = key;
    this.#slotOf[page] = slot + 1;
  }

  #siftDown(slot: number): void {
    const pages = this.#heapPage;
    const keys = this.#heapKey;
    const size = this.#size;
    const page = pages[slot]!;
    const key = keys[slot]!;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      pages[slot] = pages[child]!;
      keys[slot] = keys[child]!;
      this.#slotOf[pages[slot]!] = slot + 1;
      slot = child;
    }
    pages[slot] = page;
    keys[slot] = key;
    this.#slotOf[page] = slot + 1;
  }

  checkInvariants(): void {
    invariant(this.#size <= this.capacity, () => `lru-k: ${this.#size} resident > capacity ${this.capacity}`);
    for (let s = 0; s < this.#size; s++) {
      const p = this.#heapPage[s]!;
      invariant(this.#slotOf[p] === s + 1, () => `lru-k: slot ${s} holds page ${p}, which points at ${this.#slotOf[p]! - 1}`);
      invariant(this.#heapKey[s] === this.#keyOf(p), () => `lru-k: page ${p}'s key ${this.#heapKey[s]} is not its K-th reference time ${this.#keyOf(p)}`);
      if (s > 0) invariant(this.#heapKey[(s - 1) >> 1]! < this.#heapKey[s]!, () => `lru-k: slot ${s} is below a parent with a larger key`);
    }
    let resident = 0;
    for (let p = 0; p < this.#slotOf.length; p++) {
      if (this.#slotOf[p] !== 0) resident++;
      else invariant(this.#dirty[p] === 0, () => `lru-k: page ${p} is dirty but not resident`);
    }
    invariant(resident === this.#size, () => `lru-k: ${resident} pages marked resident, ${this.#size} in the heap`);
  }
}

export const lruK: PolicyFactory<Record<string, number>> = {
  name: 'lru-k',
  description: 'evict the page whose K-th most recent reference is oldest (LRU-2 by default); fewer than K references go first, least recent first',
  source: "O'Neil, O'Neil & Weikum, SIGMOD 1993 (no correlated-reference period, history kept); libCacheSim has no LRU-K to compare",
  params: PARAMS,
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('lru-k', PARAMS, raw, at),
  create: (capacity, params, pageCount) => new LruK(capacity, pageCount, params['k']!),
};
