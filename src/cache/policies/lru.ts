/**
 * LRU: evict the page referenced least recently.
 *
 * Reference: libCacheSim `LRU.c` (a list, hit = move to head, evict the tail); our miss counts
 * equal its `cachesim … lru` at every size we pinned (test/cache/reference.test.ts).
 */
import { NIL, PageLists } from '../lists.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const LIST = 1;

export class Lru implements Policy {
  #lists: PageLists;
  #dirty: Uint8Array;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#lists = new PageLists(pageCount, 1);
    this.#dirty = new Uint8Array(pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#lists.size[LIST]!;
  }

  access(page: number, write: boolean): boolean {
    const lists = this.#lists;
    if (write) this.#dirty[page] = 1;
    if (lists.listOf[page] === LIST) {
      lists.moveToHead(LIST, page);
      return true;
    }
    if (lists.size[LIST]! >= this.capacity) this.#evict();
    lists.pushHead(LIST, page);
    return false;
  }

  #evict(): void {
    const victim = this.#lists.popTail(LIST);
    if (this.#dirty[victim] !== 0) {
      this.#dirty[victim] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    this.#lists.check(LIST, 'lru');
    invariant(this.resident <= this.capacity, () => `lru: ${this.resident} resident > capacity ${this.capacity}`);
    invariant(this.#lists.tail[LIST] !== NIL || this.resident === 0, () => 'lru: empty list with pages');
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
