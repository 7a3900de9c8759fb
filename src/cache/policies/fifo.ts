/**
 * FIFO: evict the page loaded longest ago; hits change nothing.
 *
 * A ring of `capacity` slots with one hand at the oldest page. Reference: libCacheSim `FIFO.c`
 * (equal miss counts); Belady's anomaly (1 2 3 4 1 2 5 1 2 3 4 5: 9 faults at 3 frames, 10 at 4)
 * is pinned in test/cache/policies.test.ts.
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

/** bits of a page's state byte */
const RESIDENT = 1;
const DIRTY = 2;

export class Fifo implements Policy {
  #slots: Int32Array;
  /**
   * Residency and the dirty bit in one byte a page: a reference touches nothing else, and the
   * hot pages' bytes (ids go by first reference) share a few cache lines.
   */
  #state: Uint8Array;
  #used = 0;
  #hand = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#slots = new Int32Array(framesFor(capacity, pageCount)).fill(-1);
    this.#state = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#state = grown(this.#state, pageCount);
    const frames = framesFor(this.capacity, pageCount);
    if (frames > this.#slots.length) this.#slots = grown(this.#slots, frames, -1);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#used;
  }

  access(page: number, write: boolean): boolean {
    const state = this.#state;
    const s = state[page]!;
    if ((s & RESIDENT) !== 0) {
      if (write) state[page] = s | DIRTY;
      return true;
    }
    let slot: number;
    if (this.#used < this.capacity) slot = this.#used++;
    else {
      slot = this.#hand;
      const victim = this.#slots[slot]!;
      if ((state[victim]! & DIRTY) !== 0) this.#writebacks++;
      state[victim] = 0;
      this.#hand = slot + 1 === this.capacity ? 0 : slot + 1;
    }
    this.#slots[slot] = page;
    state[page] = write ? RESIDENT | DIRTY : RESIDENT;
    return false;
  }

  checkInvariants(): void {
    invariant(this.#used <= this.capacity, () => `fifo: ${this.#used} resident > capacity ${this.capacity}`);
    for (let s = 0; s < this.#used; s++) {
      const p = this.#slots[s]!;
      invariant((this.#state[p]! & RESIDENT) !== 0, () => `fifo: slot ${s} holds page ${p}, which is not marked resident`);
    }
    let resident = 0;
    for (let p = 0; p < this.#state.length; p++) {
      const st = this.#state[p]!;
      if ((st & RESIDENT) !== 0) resident++;
      else invariant(st === 0, () => `fifo: page ${p} is not resident but has state ${st}`);
    }
    invariant(resident === this.#used, () => `fifo: ${resident} pages marked resident, ${this.#used} in slots`);
  }
}

export const fifo: PolicyFactory<Record<string, number>> = {
  name: 'fifo',
  description: 'first in, first out',
  source: 'libCacheSim FIFO.c (equal miss counts)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('fifo', [], raw, at),
  create: (capacity, _params, pageCount) => new Fifo(capacity, pageCount),
};
