/**
 * CLOCK-Pro (Jiang, Chen & Zhang, USENIX 2005): LIRS's idea on a CLOCK. All resident pages and
 * recently evicted cold pages (ids only, "in their test period") sit on one circular list. Hot
 * pages are LIRS's LIR pages, resident cold pages its resident HIR pages. A hit only sets a
 * reference bit; all work happens on a fault, by three hands moving from the oldest end:
 *  - HAND_cold evicts the first resident cold page that was not referenced during its test period
 *    (it stays on the clock as a non-resident page while still in test); a referenced cold page in
 *    test is promoted to hot, and HAND_hot must then demote a hot page;
 *  - HAND_hot clears hot pages' bits and demotes the first unreferenced one;
 *  - HAND_test ends test periods and drops non-resident pages, keeping at most `frames` of them.
 * A fault on a non-resident page still in test promotes it to hot directly.
 *
 * Reference: the authors' simulator `clock-pro.c` (Song Jiang, 2005) as distributed: cold
 * allocation fixed at 5 % of the frames, at least 2, not adaptive; a reference to the page just
 * referenced is skipped as a hit that changes nothing. We follow its steps (and its minimum of 5
 * frames); `adaptive=1` turns on its ColdIncreaseCredits adaptation within [coldMin, coldMax].
 */
import { grown } from '../grow.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

const NONE = -1;

export class ClockPro implements Policy {
  // the clock: a circular list; "prev" runs from the newest (head) toward the oldest
  #next: Int32Array;
  #prev: Int32Array;
  #resident: Uint8Array;
  #cold: Uint8Array;
  #inClock: Uint8Array;
  #inTest: Uint8Array;
  #ref: Uint8Array;
  #dirty: Uint8Array;
  #head = NONE;
  #handHot = NONE;
  #handCold = NONE;
  #handTest = NONE;
  #free: number;
  #hot = 0;
  #nonResident = 0;
  #clockSize = 0;
  #credits = 0;
  #lastPage = -1;
  #writebacks = 0;
  readonly coldMin: number;
  readonly coldMax: number;
  readonly adaptive: boolean;

  constructor(readonly capacity: number, pageCount: number, coldMinShare: number, coldMaxShare: number, lowestCold: number, adaptive: boolean) {
    this.#next = new Int32Array(pageCount).fill(NONE);
    this.#prev = new Int32Array(pageCount).fill(NONE);
    this.#resident = new Uint8Array(pageCount);
    this.#cold = new Uint8Array(pageCount).fill(1);
    this.#inClock = new Uint8Array(pageCount);
    this.#inTest = new Uint8Array(pageCount);
    this.#ref = new Uint8Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
    this.#free = capacity;
    // at least 3 hot frames, or HAND_hot could find no hot page to stop on
    const most = Math.max(1, capacity - 3);
    this.coldMin = Math.min(most, Math.max(lowestCold, Math.floor((coldMinShare / 100) * capacity)));
    this.coldMax =
      coldMaxShare < coldMinShare ? this.coldMin : Math.min(most, Math.max(lowestCold, Math.floor((coldMaxShare / 100) * capacity)));
    this.adaptive = adaptive;
  }

  growPages(pageCount: number): void {
    this.#next = grown(this.#next, pageCount, NONE);
    this.#prev = grown(this.#prev, pageCount, NONE);
    this.#resident = grown(this.#resident, pageCount);
    this.#cold = grown(this.#cold, pageCount, 1);
    this.#inClock = grown(this.#inClock, pageCount);
    this.#inTest = grown(this.#inTest, pageCount);
    this.#ref = grown(this.#ref, pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.capacity - this.#free;
  }

  access(page: number, write: boolean): boolean {
    if (write) this.#dirty[page] = 1;
    if (page === this.#lastPage) return true; // as the authors' simulator: an immediate repeat is a hit, nothing moves
    this.#lastPage = page;
    if (this.#resident[page] !== 0) {
      this.#ref[page] = 1;
      return true;
    }
    this.#fault(page);
    this.#ref[page] = 0;
    return false;
  }

  #fault(page: number): void {
    if (this.#free > this.coldMin) {
      // filling up: the first frames − coldMin pages are hot
      this.#resident[page] = 1;
      this.#free--;
      this.#cold[page] = 0;
      this.#hot++;
      if (this.#handHot === NONE) {
        this.#handHot = this.#handTest = this.#head = page;
        this.#next[page] = this.#prev[page] = page;
        this.#inClock[page] = 1;
        this.#clockSize++;
      } else this.#insertAtHead(page);
      return;
    }
    if (this.#free > 0) {
      // then cold pages, in test
      this.#resident[page] = 1;
      this.#free--;
      this.#inTest[page] = 1;
      if (this.#handCold === NONE) this.#handCold = page;
      this.#insertAtHead(page);
      return;
    }
    for (;;) {
      if (this.#inClock[page] === 0) {
        if (this.#free === 0) this.#runHandCold();
        this.#resident[page] = 1;
        this.#free--;
        this.#insertAtHead(page);
        this.#inTest[page] = 1;
        return;
      }
      // a non-resident cold page still in its test period: its reuse distance beats the hot pages'
      this.#runHandCold();
      if (this.#inClock[page] === 0) continue;
      const matched = this.#runHandHot(page);
      if (matched === 1) continue;
      this.#resident[page] = 1;
      this.#free--;
      this.#cold[page] = 0;
      this.#hot++;
      if (this.adaptive) this.#credits++;
      if (matched !== 2) {
        if (page === this.#handTest) this.#handTest = this.#prev[page]!;
        this.#removeFromClock(page, false);
        this.#nonResident--;
      }
      this.#insertAtHead(page);
      return;
    }
  }

  /**
   * Move HAND_hot until it demotes a hot page, stopping on a hot page. Returns 2 when it passed
   * `coldPage` and demoted, 1 when it passed `coldPage` only, 0 otherwise (the authors' codes).
   */
  #runHandHot(coldPage: number): number {
    let done = false;
    let matched = false;
    let demoted = false;
    while (!done || this.#cold[this.#handHot] !== 0) {
      const h = this.#handHot;
      if (this.#cold[h] === 0) {
        if (this.#ref[h] !== 0) this.#ref[h] = 0;
        else {
          this.#cold[h] = 1;
          this.#hot--;
          done = true;
          demoted = true;
        }
        if (this.#handTest === h) this.#handTest = this.#prev[h]!;
        this.#handHot = this.#prev[h]!;
        this.#removeFromClock(h, false);
        this.#insertAtHead(h);
      } else {
        if (h === coldPage) {
          done = true;
          matched = true;
        }
        this.#handHot = this.#prev[h]!;
      }
      if (this.#next[this.#handHot] === this.#handTest) this.#runHandTest(true);
    }
    return matched && demoted ? 2 : matched ? 1 : 0;
  }

  /** HAND_test: one step (ending a cold page's test period), then keep non-resident pages ≤ frames. */
  #runHandTest(step: boolean): void {
    if (step) {
      const t = this.#handTest;
      if (this.#cold[t] !== 0) {
        if (this.#resident[t] === 0 && this.adaptive) this.#credits--;
        this.#inTest[t] = 0;
        this.#ref[t] = 0;
        this.#handTest = this.#prev[t]!;
        if (this.#resident[t] === 0) {
          this.#removeFromClock(t, true);
          this.#nonResident--;
        }
      } else this.#handTest = this.#prev[t]!;
    }
    if (this.#nonResident > this.capacity) {
      while (this.#resident[this.#handTest] !== 0) {
        const t = this.#handTest;
        if (this.#cold[t] !== 0) {
          this.#inTest[t] = 0;
          this.#ref[t] = 0;
        }
        this.#handTest = this.#prev[t]!;
      }
      if (this.adaptive) this.#credits--;
      const t = this.#handTest;
      this.#handTest = this.#prev[t]!;
      this.#removeFromClock(t, true);
      this.#nonResident--;
    }
  }

  /** HAND_cold: free one frame. */
  #runHandCold(): void {
    for (;;) {
      const c = this.#handCold;
      if (this.#ref[c] === 0 || this.#inTest[c] === 0) {
        this.#resident[c] = 0;
        this.#free++;
        if (this.#dirty[c] !== 0) {
          this.#dirty[c] = 0;
          this.#writebacks++;
        }
        this.#handCold = this.#prev[c]!;
        if (this.#inTest[c] !== 0) this.#nonResident++;
        else this.#removeFromClock(c, true);
        while (this.#cold[this.#handCold] === 0) this.#handCold = this.#prev[this.#handCold]!;
        this.#runHandTest(false);
        return;
      }
      if (this.adaptive) this.#checkAdaptiveBound();
      if (this.#credits < 0) {
        // promote without HAND_hot: the hot set is allowed to grow
        this.#handCold = this.#prev[c]!;
        this.#removeFromClock(c, false);
        this.#cold[c] = 0;
        this.#hot++;
        this.#insertAtHead(c);
        this.#credits++;
      } else if (this.#credits > 0) {
        // demote a hot page without promoting this one: the cold set is allowed to grow
        const matched = this.#runHandHot(c);
        if (matched === 0) {
          this.#handCold = this.#prev[c]!;
          this.#removeFromClock(c, false);
          this.#ref[c] = 1; // keep the reference the removal cleared (the authors' line sets it on the new hand)
          this.#inTest[c] = 1;
          this.#insertAtHead(c);
          this.#credits--;
        } else {
          this.#ref[c] = 0;
          if (matched === 2) this.#credits--;
          continue;
        }
      } else {
        // the usual exchange: this cold page becomes hot, HAND_hot demotes one
        const matched = this.#runHandHot(c);
        if (matched === 0 || matched === 2) {
          this.#handCold = this.#prev[c]!;
          this.#removeFromClock(c, false);
          this.#insertAtHead(c);
          this.#cold[c] = 0;
          this.#hot++;
        }
      }
      while (this.#cold[this.#handCold] === 0) this.#handCold = this.#prev[this.#handCold]!;
    }
  }

  #checkAdaptiveBound(): void {
    const coldPages = this.capacity - this.#hot;
    if (this.#credits > 0 && coldPages >= this.coldMax) this.#credits = 0;
    if (this.#credits < 0 && coldPages <= this.coldMin) this.#credits = 0;
  }

  #removeFromClock(page: number, permanent: boolean): void {
    invariant(page !== this.#handCold && page !== this.#handHot && page !== this.#handTest, () => `clock-pro: removing page ${page} under a hand`);
    const p = this.#prev[page]!;
    const n = this.#next[page]!;
    this.#next[p] = n;
    this.#prev[n] = p;
    if (page === this.#head) this.#head = n;
    this.#next[page] = this.#prev[page] = NONE;
    this.#inClock[page] = 0;
    this.#clockSize--;
    this.#inTest[page] = 0;
    this.#ref[page] = 0;
    if (permanent) {
      this.#resident[page] = 0;
      this.#cold[page] = 1;
    }
  }

  #insertAtHead(page: number): void {
    const h = this.#head;
    const last = this.#prev[h]!;
    this.#next[page] = h;
    this.#prev[page] = last;
    this.#next[last] = page;
    this.#prev[h] = page;
    this.#head = page;
    this.#inClock[page] = 1;
    this.#clockSize++;
  }

  checkInvariants(): void {
    const cap = this.capacity;
    invariant(this.#free >= 0 && this.#free <= cap, () => `clock-pro: ${this.#free} free frames`);
    if (this.#head === NONE) return;
    let size = 0;
    let hot = 0;
    let residents = 0;
    let nonResident = 0;
    let p = this.#head;
    do {
      size++;
      invariant(size <= this.#next.length, () => 'clock-pro: the clock does not close');
      invariant(this.#inClock[p] === 1 && this.#prev[this.#next[p]!] === p, () => `clock-pro: broken link at ${p}`);
      if (this.#cold[p] === 0) hot++;
      if (this.#resident[p] !== 0) residents++;
      else {
        invariant(this.#cold[p] !== 0 && this.#inTest[p] !== 0, () => `clock-pro: non-resident page ${p} is hot or out of test`);
        nonResident++;
      }
      p = this.#next[p]!;
    } while (p !== this.#head);
    invariant(size === this.#clockSize, () => `clock-pro: clock holds ${size}, counted ${this.#clockSize}`);
    invariant(hot === this.#hot, () => `clock-pro: ${hot} hot pages, counted ${this.#hot}`);
    invariant(residents + this.#free === cap, () => `clock-pro: ${residents} resident + ${this.#free} free ≠ ${cap}`);
    invariant(nonResident === this.#nonResident && nonResident <= cap, () => `clock-pro: ${nonResident} non-resident, counted ${this.#nonResident}`);
  }
}

const PARAMS: readonly ParamInfo[] = [
  { key: 'coldMin', defaultValue: 5, min: 0, max: 100, integer: false, description: 'least cold (resident HIR) allocation, % of frames' },
  { key: 'coldMax', defaultValue: 5, min: 0, max: 100, integer: false, description: 'most cold allocation, % of frames (below coldMin: fixed at coldMin)' },
  { key: 'lowestCold', defaultValue: 2, min: 1, max: 1e9, integer: true, description: 'the cold allocation is at least this many frames' },
  { key: 'adaptive', defaultValue: 0, min: 0, max: 1, integer: true, description: '1 = adapt the cold allocation within [coldMin, coldMax]' },
];

export const clockPro: PolicyFactory<Record<string, number>> = {
  name: 'clock-pro',
  description: 'CLOCK-Pro: LIRS on a clock with hot, cold and test hands',
  source: "Jiang, Chen & Zhang, USENIX 2005; the authors' clock-pro.c (5 % cold, at least 2, not adaptive; 5 frames minimum)",
  params: PARAMS,
  minCapacity: 5,
  parseParams: (raw, at) => parseParamTable('clock-pro', PARAMS, raw, at),
  create: (capacity, params, pageCount) =>
    new ClockPro(capacity, pageCount, params['coldMin']!, params['coldMax']!, params['lowestCold']!, params['adaptive'] === 1),
};
