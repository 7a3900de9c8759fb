/**
 * SIEVE (Zhang et al., NSDI 2024): a FIFO queue with a visited bit and a hand that moves from the
 * oldest page toward the newest, clearing visited bits and evicting the first unvisited page;
 * unlike CLOCK, survivors stay where they are and new pages enter at the head.
 *
 * Reference: libCacheSim `Sieve.c` (the hand starts at the tail, wraps from head to tail, and
 * rests on the evicted page's newer neighbour); equal miss counts.
 */
import { grownUint8 } from '../grow.js';
import { NIL, PageLists } from '../lists.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const QUEUE = 1;

export class Sieve implements Policy {
  #lists: PageLists;
  #visited: Uint8Array;
  #dirty: Uint8Array;
  /** next page the hand examines; NIL = start again from the tail */
  #hand = NIL;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#lists = new PageLists(pageCount, 1);
    this.#visited = new Uint8Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#lists.growPages(pageCount);
    this.#visited = grownUint8(this.#visited, pageCount);
    this.#dirty = grownUint8(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#lists.size[QUEUE]!;
  }

  access(page: number, write: boolean): boolean {
    if (write) this.#dirty[page] = 1;
    if (this.#lists.listOf[page] === QUEUE) {
      this.#visited[page] = 1;
      return true;
    }
    if (this.#lists.size[QUEUE]! >= this.capacity) this.#evict();
    this.#lists.pushHead(QUEUE, page);
    this.#visited[page] = 0;
    return false;
  }

  #evict(): void {
    const lists = this.#lists;
    const prev = lists.prev;
    const visited = this.#visited;
    let p = this.#hand === NIL ? lists.tail[QUEUE]! : this.#hand;
    while (visited[p] !== 0) {
      visited[p] = 0;
      p = prev[p] === NIL ? lists.tail[QUEUE]! : prev[p]!;
    }
    this.#hand = prev[p]!;
    lists.remove(p);
    if (this.#dirty[p] !== 0) {
      this.#dirty[p] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    this.#lists.check(QUEUE, 'sieve');
    invariant(this.resident <= this.capacity, () => `sieve: ${this.resident} resident > capacity ${this.capacity}`);
    invariant(this.#hand === NIL || this.#lists.listOf[this.#hand] === QUEUE, () => `sieve: hand on evicted page ${this.#hand}`);
  }
}

export const sieve: PolicyFactory<Record<string, number>> = {
  name: 'sieve',
  description: 'SIEVE: FIFO with a visited bit and a lazily moving hand',
  source: 'Zhang et al., NSDI 2024; libCacheSim Sieve.c (equal miss counts)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('sieve', [], raw, at),
  create: (capacity, _params, pageCount) => new Sieve(capacity, pageCount),
};
