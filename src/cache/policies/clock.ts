/**
 * CLOCK (second chance): a ring of frames and one hand; a hit sets the page's reference counter,
 * the hand clears set counters (one step per pass) and replaces the first page whose counter is 0.
 *
 * `bits` > 1 gives the n-bit-counter CLOCK of libCacheSim's `Clock.c` (a hit adds one up to
 * 2^bits − 1, the hand subtracts one). As there, a page enters with its counter clear, so a
 * reference must come after the fault to earn a second chance. Equal to `cachesim … clock`.
 */
import { grownInt32, grownUint8 } from '../grow.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

export class Clock implements Policy {
  #slots: Int32Array;
  #slotOf: Int32Array;
  #counter: Uint8Array;
  #dirty: Uint8Array;
  #maxCount: number;
  #used = 0;
  #hand = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number, bits: number) {
    this.#slots = new Int32Array(capacity).fill(-1);
    this.#slotOf = new Int32Array(pageCount).fill(-1);
    this.#counter = new Uint8Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
    this.#maxCount = (1 << bits) - 1;
  }

  growPages(pageCount: number): void {
    this.#slotOf = grownInt32(this.#slotOf, pageCount, -1);
    this.#counter = grownUint8(this.#counter, pageCount);
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
    if (this.#slotOf[page] !== -1) {
      if (this.#counter[page]! < this.#maxCount) this.#counter[page]!++;
      return true;
    }
    let slot: number;
    if (this.#used < this.capacity) slot = this.#used++;
    else slot = this.#sweep();
    this.#slots[slot] = page;
    this.#slotOf[page] = slot;
    this.#counter[page] = 0;
    return false;
  }

  /** Advance the hand to a page with a clear counter, evict it, return its slot; the hand moves past it. */
  #sweep(): number {
    const slots = this.#slots;
    const counter = this.#counter;
    const cap = this.capacity;
    let hand = this.#hand;
    let victim = slots[hand]!;
    while (counter[victim] !== 0) {
      counter[victim]!--;
      hand = hand + 1 === cap ? 0 : hand + 1;
      victim = slots[hand]!;
    }
    this.#slotOf[victim] = -1;
    if (this.#dirty[victim] !== 0) {
      this.#dirty[victim] = 0;
      this.#writebacks++;
    }
    this.#hand = hand + 1 === cap ? 0 : hand + 1;
    return hand;
  }

  checkInvariants(): void {
    invariant(this.#used <= this.capacity, () => `clock: ${this.#used} resident > capacity ${this.capacity}`);
    let mapped = 0;
    for (let p = 0; p < this.#slotOf.length; p++) {
      const s = this.#slotOf[p]!;
      if (s === -1) continue;
      mapped++;
      invariant(this.#slots[s] === p, () => `clock: page ${p} says slot ${s}, slot holds ${this.#slots[s]}`);
      invariant(this.#counter[p]! <= this.#maxCount, () => `clock: counter of ${p} above ${this.#maxCount}`);
    }
    invariant(mapped === this.#used, () => `clock: ${mapped} pages mapped, ${this.#used} counted`);
  }
}

const PARAMS: readonly ParamInfo[] = [
  { key: 'bits', defaultValue: 1, min: 1, max: 8, integer: true, description: 'reference counter bits (1 = second chance)' },
];

export const clock: PolicyFactory<Record<string, number>> = {
  name: 'clock',
  description: 'CLOCK / second chance, optional n-bit counter',
  source: 'libCacheSim Clock.c (equal miss counts, its n-bit-counter = our bits)',
  params: PARAMS,
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('clock', PARAMS, raw, at),
  create: (capacity, params, pageCount) => new Clock(capacity, pageCount, params['bits']!),
};
