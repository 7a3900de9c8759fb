/**
 * SIEVE (Zhang et al., NSDI 2024): a FIFO queue with a visited bit and a hand that moves from the
 * oldest page toward the newest, clearing visited bits and evicting the first unvisited page;
 * unlike CLOCK, survivors stay where they are and new pages enter at the head.
 *
 * Reference: libCacheSim `Sieve.c` (the hand starts at the tail, wraps from head to tail, and
 * rests on the evicted page's newer neighbour); equal miss counts.
 */
import { grown } from '../grow.js';
import { NIL, PageLists } from '../lists.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const QUEUE = 1;

/** bits of a page's state byte */
const RESIDENT = 1;
const VISITED = 2;
const DIRTY = 4;

export class Sieve implements Policy {
  #lists: PageLists;
  /**
   * Residency, the visited bit and the dirty bit in one byte a page, so that a hit touches only
   * that byte (the list links are written at insertion and eviction only).
   */
  #state: Uint8Array;
  /** next page the hand examines; NIL = start again from the tail */
  #hand = NIL;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#lists = new PageLists(pageCount, 1);
    this.#state = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#lists.growPages(pageCount);
    this.#state = grown(this.#state, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#lists.size[QUEUE]!;
  }

  access(page: number, write: boolean): boolean {
    const state = this.#state;
    const s = state[page]!;
    if ((s & RESIDENT) !== 0) {
      state[page] = s | VISITED | (write ? DIRTY : 0);
      return true;
    }
    if (this.#lists.size[QUEUE]! >= this.capacity) this.#evict();
    this.#lists.pushHead(QUEUE, page);
    state[page] = write ? RESIDENT | DIRTY : RESIDENT;
    return false;
  }

  #evict(): void {
    const lists = this.#lists;
    const prev = lists.prev;
    const state = this.#state;
    let p = this.#hand === NIL ? lists.tail[QUEUE]! : this.#hand;
    while ((state[p]! & VISITED) !== 0) {
      state[p] = state[p]! & ~VISITED;
      p = prev[p] === NIL ? lists.tail[QUEUE]! : prev[p]!;
    }
    this.#hand = prev[p]!;
    lists.remove(p);
    if ((state[p]! & DIRTY) !== 0) this.#writebacks++;
    state[p] = 0;
  }

  checkInvariants(): void {
    this.#lists.check(QUEUE, 'sieve');
    invariant(this.resident <= this.capacity, () => `sieve: ${this.resident} resident > capacity ${this.capacity}`);
    invariant(this.#hand === NIL || this.#lists.listOf[this.#hand] === QUEUE, () => `sieve: hand on evicted page ${this.#hand}`);
    for (let p = 0; p < this.#state.length; p++) {
      const st = this.#state[p]!;
      const listed = this.#lists.listOf[p] === QUEUE;
      invariant(((st & RESIDENT) !== 0) === listed, () => `sieve: page ${p} is ${listed ? '' : 'not '}in the queue but its state says otherwise`);
      invariant(listed || st === 0, () => `sieve: page ${p} is not resident but has state ${st}`);
    }
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
