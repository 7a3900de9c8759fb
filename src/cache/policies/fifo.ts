/**
 * FIFO: evict the page loaded longest ago; hits change nothing.
 *
 * A ring of `capacity` slots with one hand at the oldest page. Reference: libCacheSim `FIFO.c`
 * (equal miss counts); Belady's anomaly (1 2 3 4 1 2 5 1 2 3 4 5: 9 faults at 3 frames, 10 at 4)
 * is pinned in test/cache/policies.test.ts.
 */
import { grownInt32, grownUint8 } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

export class Fifo implements Policy {
  #slots: Int32Array;
  #slotOf: Int32Array;
  #dirty: Uint8Array;
  #used = 0;
  #hand = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#slots = new Int32Array(capacity).fill(-1);
    this.#slotOf = new Int32Array(pageCount).fill(-1);
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#slotOf = grownInt32(this.#slotOf, pageCount, -1);
    this.#dirty = grownUint8(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#used;
  }

  access(page: number, write: boolean): boolean {
    if (write) this.#dirty[page] = 1;
    if (this.#slotOf[page] !== -1) return true;
    let slot: number;
    if (this.#used < this.capacity) slot = this.#used++;
    else {
      slot = this.#hand;
      const victim = this.#slots[slot]!;
      this.#slotOf[victim] = -1;
      if (this.#dirty[victim] !== 0) {
        this.#dirty[victim] = 0;
        this.#writebacks++;
      }
      this.#hand = slot + 1 === this.capacity ? 0 : slot + 1;
    }
    this.#slots[slot] = page;
    this.#slotOf[page] = slot;
    return false;
  }

  checkInvariants(): void {
    invariant(this.#used <= this.capacity, () => `fifo: ${this.#used} resident > capacity ${this.capacity}`);
    let mapped = 0;
    for (let p = 0; p < this.#slotOf.length; p++) {
      const s = this.#slotOf[p]!;
      if (s === -1) continue;
      mapped++;
      invariant(this.#slots[s] === p, () => `fifo: page ${p} says slot ${s}, slot holds ${this.#slots[s]}`);
    }
    invariant(mapped === this.#used, () => `fifo: ${mapped} pages mapped, ${this.#used} counted`);
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
