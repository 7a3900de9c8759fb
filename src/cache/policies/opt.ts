/**
 * OPT (Belady's MIN): on a miss with memory full, evict the resident page whose next reference is
 * farthest in the future (never referenced again counts as farthest).
 *
 * Next uses come precomputed in one backward pass (nextUseOf); the resident set is an indexed
 * max-heap on next use, so a hit raises one key and a miss replaces the root: O(log capacity).
 * Demand paging: the referenced page is always loaded, as in libCacheSim's `Belady.c`
 * (whose miss counts we equal). Ties are only among never-again pages, so any choice gives the
 * same misses; write-backs may differ with the choice, which is the heap's order here.
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

export class Opt implements Policy {
  #heapPage: Int32Array;
  #heapKey: Float64Array;
  #pos: Int32Array;
  #dirty: Uint8Array;
  #size = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    const frames = framesFor(capacity, pageCount);
    this.#heapPage = new Int32Array(frames);
    this.#heapKey = new Float64Array(frames);
    this.#pos = new Int32Array(pageCount).fill(-1);
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#pos = grown(this.#pos, pageCount, -1);
    this.#dirty = grown(this.#dirty, pageCount);
    const frames = framesFor(this.capacity, pageCount);
    if (frames > this.#heapPage.length) {
      this.#heapPage = grown(this.#heapPage, frames);
      this.#heapKey = grown(this.#heapKey, frames);
    }
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean, nextUse: number): boolean {
    if (write) this.#dirty[page] = 1;
    const at = this.#pos[page]!;
    if (at !== -1) {
      this.#heapKey[at] = nextUse; // later than the old key (which was now): sift up
      this.#siftUp(at);
      return true;
    }
    if (this.#size < this.capacity) {
      const i = this.#size++;
      this.#set(i, page, nextUse);
      this.#siftUp(i);
      return false;
    }
    const victim = this.#heapPage[0]!;
    this.#pos[victim] = -1;
    if (this.#dirty[victim] !== 0) {
      this.#dirty[victim] = 0;
      this.#writebacks++;
    }
    this.#set(0, page, nextUse);
    this.#siftDown(0);
    return false;
  }

  #set(i: number, page: number, key: number): void {
    this.#heapPage[i] = page;
    this.#heapKey[i] = key;
    this.#pos[page] = i;
  }

  #siftUp(i: number): void {
    const hp = this.#heapPage;
    const hk = this.#heapKey;
    const page = hp[i]!;
    const key = hk[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (hk[parent]! >= key) break;
      this.#set(i, hp[parent]!, hk[parent]!);
      i = parent;
    }
    this.#set(i, page, key);
  }

  #siftDown(i: number): void {
    const hp = this.#heapPage;
    const hk = this.#heapKey;
    const n = this.#size;
    const page = hp[i]!;
    const key = hk[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && hk[child + 1]! > hk[child]!) child++;
      if (hk[child]! <= key) break;
      this.#set(i, hp[child]!, hk[child]!);
      i = child;
    }
    this.#set(i, page, key);
  }

  checkInvariants(): void {
    invariant(this.#size <= this.capacity, () => `opt: ${this.#size} resident > capacity ${this.capacity}`);
    for (let i = 0; i < this.#size; i++) {
      invariant(this.#pos[this.#heapPage[i]!] === i, () => `opt: heap slot ${i} and page position disagree`);
      if (i > 0) invariant(this.#heapKey[(i - 1) >> 1]! >= this.#heapKey[i]!, () => `opt: heap order broken at ${i}`);
    }
    let mapped = 0;
    for (let p = 0; p < this.#pos.length; p++) if (this.#pos[p] !== -1) mapped++;
    invariant(mapped === this.#size, () => `opt: ${mapped} pages mapped, ${this.#size} in the heap`);
  }
}

export const opt: PolicyFactory<Record<string, number>> = {
  name: 'opt',
  description: "Belady's MIN: evict the page needed farthest in the future",
  source: 'libCacheSim Belady.c (equal miss counts)',
  params: [],
  minCapacity: 1,
  needsNextUse: true,
  parseParams: (raw, at) => parseParamTable('opt', [], raw, at),
  create: (capacity, _params, pageCount) => new Opt(capacity, pageCount),
};
