/**
 * CLOCK (second chance): a ring of frames and one hand; a hit sets the page's reference counter,
 * the hand clears set counters (one step per pass) and replaces the first page whose counter is 0.
 *
 * `bits` > 1 gives the n-bit-counter CLOCK of libCacheSim's `Clock.c` (a hit adds one up to
 * 2^bits − 1, the hand subtracts one). As there, a page enters with its counter clear, so a
 * reference must come after the fault to earn a second chance. Equal to `cachesim … clock`.
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

/** bits of a page's state: the counter is the low byte */
const COUNTER = 0xff;
const RESIDENT = 0x100;
const DIRTY = 0x200;

export class Clock implements Policy {
  #slots: Int32Array;
  /**
   * Residency, the dirty bit and the reference counter in 16 bits a page: a hit touches nothing
   * else, and the hot pages' entries (ids go by first reference) share a few cache lines. With
   * three arrays a hit touched three lines, which is what CLOCK's time went on.
   */
  #state: Uint16Array;
  #maxCount: number;
  #used = 0;
  #hand = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number, bits: number) {
    this.#slots = new Int32Array(framesFor(capacity, pageCount)).fill(-1);
    this.#state = new Uint16Array(pageCount);
    this.#maxCount = (1 << bits) - 1;
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
    let s = state[page]!;
    if (write) s |= DIRTY;
    if ((s & RESIDENT) !== 0) {
      if ((s & COUNTER) < this.#maxCount) s++;
      state[page] = s;
      return true;
    }
    let slot: number;
    if (this.#used < this.capacity) slot = this.#used++;
    else slot = this.#sweep();
    this.#slots[slot] = page;
    state[page] = (s & DIRTY) | RESIDENT; // counter clear
    return false;
  }

  /** Advance the hand to a page with a clear counter, evict it, return its slot; the hand moves past it. */
  #sweep(): number {
    const slots = this.#slots;
    const state = this.#state;
    const cap = this.capacity;
    let hand = this.#hand;
    let victim = slots[hand]!;
    while ((state[victim]! & COUNTER) !== 0) {
      state[victim]!--;
      hand = hand + 1 === cap ? 0 : hand + 1;
      victim = slots[hand]!;
    }
    if ((state[victim]! & DIRTY) !== 0) this.#writebacks++;
    state[victim] = 0;
    this.#hand = hand + 1 === cap ? 0 : hand + 1;
    return hand;
  }

  checkInvariants(): void {
    invariant(this.#used <= this.capacity, () => `clock: ${this.#used} resident > capacity ${this.capacity}`);
    for (let s = 0; s < this.#used; s++) {
      const p = this.#slots[s]!;
      invariant((this.#state[p]! & RESIDENT) !== 0, () => `clock: slot ${s} holds page ${p}, which is not marked resident`);
    }
    let resident = 0;
    for (let p = 0; p < this.#state.length; p++) {
      const st = this.#state[p]!;
      if ((st & RESIDENT) === 0) {
        invariant(st === 0, () => `clock: page ${p} is not resident but has state ${st}`);
        continue;
      }
      resident++;
      invariant((st & COUNTER) <= this.#maxCount, () => `clock: counter of ${p} above ${this.#maxCount}`);
    }
    invariant(resident === this.#used, () => `clock: ${resident} pages marked resident, ${this.#used} in slots`);
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
