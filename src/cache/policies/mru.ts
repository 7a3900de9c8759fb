/**
 * MRU: evict the page referenced most recently. Poor for most programs, best for a loop larger
 * than memory, where the page just used is the one needed last: the classic foil to LRU.
 *
 * One list (PageLists), most recent at the head; a miss in a full cache evicts the head before
 * the new page takes its place. Reference: libCacheSim `MRU.c` (equal miss counts, from 2 frames:
 * at 1 its eviction follows the head's next link, which is null).
 */
import { grown } from '../grow.js';
import { NIL, PageLists } from '../lists.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const RESIDENT = 1;

export class Mru implements Policy {
  readonly #lists: PageLists;
  #dirty: Uint8Array;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#lists = new PageLists(pageCount, 1);
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#lists.growPages(pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#lists.size[RESIDENT]!;
  }

  access(page: number, write: boolean): boolean {
    const lists = this.#lists;
    if (lists.listOf[page] === RESIDENT) {
      if (write) this.#dirty[page] = 1;
      lists.moveToHead(RESIDENT, page);
      return true;
    }
    if (lists.size[RESIDENT] === this.capacity) {
      const victim = lists.head[RESIDENT]!;
      lists.remove(victim);
      if (this.#dirty[victim] === 1) this.#writebacks++;
      this.#dirty[victim] = 0;
    }
    lists.pushHead(RESIDENT, page);
    this.#dirty[page] = write ? 1 : 0;
    return false;
  }

  checkInvariants(): void {
    this.#lists.check(RESIDENT, 'mru');
    invariant(this.#lists.size[RESIDENT]! <= this.capacity, () => `mru: ${this.#lists.size[RESIDENT]} resident > capacity ${this.capacity}`);
    for (let p = 0; p < this.#dirty.length; p++) {
      invariant(this.#dirty[p] === 0 || this.#lists.listOf[p] === RESIDENT, () => `mru: page ${p} is dirty but not resident`);
    }
    invariant(this.#lists.head[RESIDENT] !== NIL || this.#lists.size[RESIDENT] === 0, () => 'mru: pages counted but none listed');
  }
}

export const mru: PolicyFactory<Record<string, number>> = {
  name: 'mru',
  description: 'most recently used (the foil to LRU: best for a loop larger than memory)',
  source: 'libCacheSim MRU.c (equal miss counts from 2 frames)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('mru', [], raw, at),
  create: (capacity, _params, pageCount) => new Mru(capacity, pageCount),
};
