/**
 * LRU: evict the page referenced least recently.
 *
 * One list over typed arrays, written out here rather than through PageLists: LRU is the policy
 * users run on the biggest traces, and `prev[page] === OUT` doubles as the residency test, so a
 * hit touches two arrays. Reference: libCacheSim `LRU.c` (a list, hit = move to head, evict the
 * tail); equal miss counts (test/cache/reference.test.ts).
 */
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const NIL = -1;
/** prev[page] of a page that is not resident */
const OUT = -2;

export class Lru implements Policy {
  readonly #prev: Int32Array;
  readonly #next: Int32Array;
  readonly #dirty: Uint8Array;
  #head = NIL;
  #tail = NIL;
  #size = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#prev = new Int32Array(pageCount).fill(OUT);
    this.#next = new Int32Array(pageCount).fill(NIL);
    this.#dirty = new Uint8Array(pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    const prev = this.#prev;
    const next = this.#next;
    if (write) this.#dirty[page] = 1;
    const p = prev[page]!;
    if (p !== OUT) {
      if (p === NIL) return true; // already the most recent
      const n = next[page]!;
      next[p] = n;
      if (n !== NIL) prev[n] = p;
      else this.#tail = p;
      prev[page] = NIL;
      next[page] = this.#head;
      prev[this.#head] = page;
      this.#head = page;
      return true;
    }
    if (this.#size >= this.capacity) this.#evict();
    else this.#size++;
    const h = this.#head;
    prev[page] = NIL;
    next[page] = h;
    if (h !== NIL) prev[h] = page;
    else this.#tail = page;
    this.#head = page;
    return false;
  }

  /** Drop the tail; the size stays (the caller inserts in its place). */
  #evict(): void {
    const victim = this.#tail;
    const p = this.#prev[victim]!;
    this.#tail = p;
    if (p !== NIL) this.#next[p] = NIL;
    else this.#head = NIL;
    this.#prev[victim] = OUT;
    this.#next[victim] = NIL;
    if (this.#dirty[victim] !== 0) {
      this.#dirty[victim] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    let n = 0;
    let before = NIL;
    for (let p = this.#head; p !== NIL; p = this.#next[p]!) {
      invariant(this.#prev[p] === before, () => `lru: broken prev link at page ${p}`);
      before = p;
      invariant(++n <= this.capacity, () => `lru: more than ${this.capacity} pages linked`);
    }
    invariant(this.#tail === before, () => `lru: tail ${this.#tail} is not the last page ${before}`);
    invariant(n === this.#size, () => `lru: ${n} pages linked, ${this.#size} counted`);
    let resident = 0;
    for (let p = 0; p < this.#prev.length; p++) if (this.#prev[p] !== OUT) resident++;
    invariant(resident === this.#size, () => `lru: ${resident} pages marked resident, ${this.#size} counted`);
  }
}

export const lru: PolicyFactory<Record<string, number>> = {
  name: 'lru',
  description: 'least recently used',
  source: 'libCacheSim LRU.c (equal miss counts)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('lru', [], raw, at),
  create: (capacity, _params, pageCount) => new Lru(capacity, pageCount),
};
