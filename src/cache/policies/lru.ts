/**
 * LRU: evict the page referenced least recently.
 *
 * One list over typed arrays, written out here rather than through PageLists: LRU is the policy
 * users run on the biggest traces, and `prev[page] === OUT` doubles as the residency test, so a
 * hit touches two arrays. Reference: libCacheSim `LRU.c` (a list, hit = move to head, evict the
 * tail); equal miss counts (test/cache/reference.test.ts).
 */
import { grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const NIL = -1;
/** prev[page] of a page that is not resident */
const OUT = -2;

export class Lru implements Policy {
  /**
   * prev and next of each page side by side (links[2p], links[2p + 1]): one cache line a page
   * instead of two, which is most of an access's cost once the lists outgrow the cache.
   */
  #links: Int32Array;
  #dirty: Uint8Array;
  #head = NIL;
  #tail = NIL;
  #size = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#links = new Int32Array(2 * pageCount);
    for (let i = 0; i < 2 * pageCount; i += 2) {
      this.#links[i] = OUT;
      this.#links[i + 1] = NIL;
    }
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    const links = new Int32Array(2 * pageCount);
    links.set(this.#links);
    for (let i = this.#links.length; i < 2 * pageCount; i += 2) {
      links[i] = OUT;
      links[i + 1] = NIL;
    }
    this.#links = links;
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    const links = this.#links;
    if (write) this.#dirty[page] = 1;
    const at = 2 * page;
    const p = links[at]!;
    if (p !== OUT) {
      if (p === NIL) return true; // already the most recent
      const n = links[at + 1]!;
      links[2 * p + 1] = n;
      if (n !== NIL) links[2 * n] = p;
      else this.#tail = p;
      const h = this.#head;
      links[at] = NIL;
      links[at + 1] = h;
      links[2 * h] = page;
      this.#head = page;
      return true;
    }
    if (this.#size >= this.capacity) this.#evict();
    else this.#size++;
    const h = this.#head;
    links[at] = NIL;
    links[at + 1] = h;
    if (h !== NIL) links[2 * h] = page;
    else this.#tail = page;
    this.#head = page;
    return false;
  }

  /** Drop the tail; the size stays (the caller inserts in its place). */
  #evict(): void {
    const links = this.#links;
    const victim = this.#tail;
    const p = links[2 * victim]!;
    this.#tail = p;
    if (p !== NIL) links[2 * p + 1] = NIL;
    else this.#head = NIL;
    links[2 * victim] = OUT;
    links[2 * victim + 1] = NIL;
    if (this.#dirty[victim] !== 0) {
      this.#dirty[victim] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    const links = this.#links;
    let n = 0;
    let before = NIL;
    for (let p = this.#head; p !== NIL; p = links[2 * p + 1]!) {
      invariant(links[2 * p] === before, () => `lru: broken prev link at page ${p}`);
      before = p;
      invariant(++n <= this.capacity, () => `lru: more than ${this.capacity} pages linked`);
    }
    invariant(this.#tail === before, () => `lru: tail ${this.#tail} is not the last page ${before}`);
    invariant(n === this.#size, () => `lru: ${n} pages linked, ${this.#size} counted`);
    let resident = 0;
    for (let p = 0; p < links.length; p += 2) if (links[p] !== OUT) resident++;
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
