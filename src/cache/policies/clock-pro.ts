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

// a page's flags (#flags): a new page is cold and nothing else
const RESIDENT = 1;
/** cold (the authors' HIR); clear = hot (LIR) */
const COLD = 2;
const IN_CLOCK = 4;
/** a cold page in its test period */
const IN_TEST = 8;
const REF = 16;
const DIRTY = 32;

export class ClockPro implements Policy {
  // the clock: a circular list; "prev" runs from the newest (head) toward the oldest. A page's
  // prev and next sit side by side (links[2p], links[2p + 1]), and its six flags share one byte,
  // so a hit (resident? set the reference bit, maybe the dirty bit) touches one byte of one array.
  #links: Int32Array;
  #flags: Uint8Array;
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
    this.#links = new Int32Array(2 * pageCount).fill(NONE);
    this.#flags = new Uint8Array(pageCount).fill(COLD);
    this.#free = capacity;
    // at least 3 hot frames, or HAND_hot could find no hot page to stop on
    const most = Math.max(1, capacity - 3);
    this.coldMin = Math.min(most, Math.max(lowestCold, Math.floor((coldMinShare / 100) * capacity)));
    this.coldMax =
      coldMaxShare < coldMinShare ? this.coldMin : Math.min(most, Math.max(lowestCold, Math.floor((coldMaxShare / 100) * capacity)));
    this.adaptive = adaptive;
  }

  growPages(pageCount: number): void {
    this.#links = grown(this.#links, 2 * pageCount, NONE);
    this.#flags = grown(this.#flags, pageCount, COLD);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.capacity - this.#free;
  }

  access(page: number, write: boolean): boolean {
    if (write) this.#flags[page]! |= DIRTY;
    if (page === this.#lastPage) return true; // as the authors' simulator: an immediate repeat is a hit, nothing moves
    this.#lastPage = page;
    if ((this.#flags[page]! & RESIDENT) !== 0) {
      this.#flags[page]! |= REF;
      return true;
    }
    this.#fault(page);
    this.#flags[page]! &= ~REF;
    return false;
  }

  #fault(page: number): void {
    if (this.#free > this.coldMin) {
      // filling up: the first frames − coldMin pages are hot
      this.#flags[page] = (this.#flags[page]! | RESIDENT) & ~COLD;
      this.#free--;
      this.#hot++;
      if (this.#handHot === NONE) {
        this.#handHot = this.#handTest = this.#head = page;
        this.#links[2 * page] = this.#links[2 * page + 1] = page;
        this.#flags[page]! |= IN_CLOCK;
        this.#clockSize++;
      } else this.#insertAtHead(page);
      return;
    }
    if (this.#free > 0) {
      // then cold pages, in test
      this.#flags[page]! |= RESIDENT | IN_TEST;
      this.#free--;
      if (this.#handCold === NONE) this.#handCold = page;
      this.#insertAtHead(page);
      return;
    }
    for (;;) {
      if ((this.#flags[page]! & IN_CLOCK) === 0) {
        if (this.#free === 0) this.#runHandCold();
        this.#flags[page]! |= RESIDENT;
        this.#free--;
        this.#insertAtHead(page);
        this.#flags[page]! |= IN_TEST;
        return;
      }
      // a non-resident cold page still in its test period: its reuse distance beats the hot pages'
      this.#runHandCold();
      if ((this.#flags[page]! & IN_CLOCK) === 0) continue;
      const matched = this.#runHandHot(page);
      if (matched === 1) continue;
      this.#flags[page]! |= RESIDENT;
      this.#free--;
      this.#flags[page]! &= ~COLD;
      this.#hot++;
      if (this.adaptive) this.#credits++;
      if (matched !== 2) {
        if (page === this.#handTest) this.#handTest = this.#links[2 * page]!;
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
    while (!done || (this.#flags[this.#handHot]! & COLD) !== 0) {
      const h = this.#handHot;
      if ((this.#flags[h]! & COLD) === 0) {
        if ((this.#flags[h]! & REF) !== 0) this.#flags[h]! &= ~REF;
        else {
          this.#flags[h]! |= COLD;
          this.#hot--;
          done = true;
          demoted = true;
        }
        if (this.#handTest === h) this.#handTest = this.#links[2 * h]!;
        this.#handHot = this.#links[2 * h]!;
        this.#removeFromClock(h, false);
        this.#insertAtHead(h);
      } else {
        if (h === coldPage) {
          done = true;
          matched = true;
        }
        this.#handHot = this.#links[2 * h]!;
      }
      if (this.#links[2 * this.#handHot + 1] === this.#handTest) this.#runHandTest(true);
    }
    return matched && demoted ? 2 : matched ? 1 : 0;
  }

  /** HAND_test: one step (ending a cold page's test period), then keep non-resident pages ≤ frames. */
  #runHandTest(step: boolean): void {
    if (step) {
      const t = this.#handTest;
      if ((this.#flags[t]! & COLD) !== 0) {
        if ((this.#flags[t]! & RESIDENT) === 0 && this.adaptive) this.#credits--;
        this.#flags[t]! &= ~(IN_TEST | REF);
        this.#handTest = this.#links[2 * t]!;
        if ((this.#flags[t]! & RESIDENT) === 0) {
          this.#removeFromClock(t, true);
          this.#nonResident--;
        }
      } else this.#handTest = this.#links[2 * t]!;
    }
    if (this.#nonResident > this.capacity) {
      while ((this.#flags[this.#handTest]! & RESIDENT) !== 0) {
        const t = this.#handTest;
        if ((this.#flags[t]! & COLD) !== 0) {
          this.#flags[t]! &= ~(IN_TEST | REF);
        }
        this.#handTest = this.#links[2 * t]!;
      }
      if (this.adaptive) this.#credits--;
      const t = this.#handTest;
      this.#handTest = this.#links[2 * t]!;
      this.#removeFromClock(t, true);
      this.#nonResident--;
    }
  }

  /** HAND_cold: free one frame. */
  #runHandCold(): void {
    for (;;) {
      const c = this.#handCold;
      if ((this.#flags[c]! & REF) === 0 || (this.#flags[c]! & IN_TEST) === 0) {
        this.#flags[c]! &= ~RESIDENT;
        this.#free++;
        if ((this.#flags[c]! & DIRTY) !== 0) {
          this.#flags[c]! &= ~DIRTY;
          this.#writebacks++;
        }
        this.#handCold = this.#links[2 * c]!;
        if ((this.#flags[c]! & IN_TEST) !== 0) this.#nonResident++;
        else this.#removeFromClock(c, true);
        while ((this.#flags[this.#handCold]! & COLD) === 0) this.#handCold = this.#links[2 * this.#handCold]!;
        this.#runHandTest(false);
        return;
      }
      if (this.adaptive) this.#checkAdaptiveBound();
      if (this.#credits < 0) {
        // promote without HAND_hot: the hot set is allowed to grow
        this.#handCold = this.#links[2 * c]!;
        this.#removeFromClock(c, false);
        this.#flags[c]! &= ~COLD;
        this.#hot++;
        this.#insertAtHead(c);
        this.#credits++;
      } else if (this.#credits > 0) {
        // demote a hot page without promoting this one: the cold set is allowed to grow
        const matched = this.#runHandHot(c);
        if (matched === 0) {
          this.#handCold = this.#links[2 * c]!;
          this.#removeFromClock(c, false);
          this.#flags[c]! |= REF | IN_TEST; // keep the reference the removal cleared (the authors' line sets it on the new hand)
          this.#insertAtHead(c);
          this.#credits--;
        } else {
          this.#flags[c]! &= ~REF;
          if (matched === 2) this.#credits--;
          continue;
        }
      } else {
        // the usual exchange: this cold page becomes hot, HAND_hot demotes one
        const matched = this.#runHandHot(c);
        if (matched === 0 || matched === 2) {
          this.#handCold = this.#links[2 * c]!;
          this.#removeFromClock(c, false);
          this.#insertAtHead(c);
          this.#flags[c]! &= ~COLD;
          this.#hot++;
        }
      }
      while ((this.#flags[this.#handCold]! & COLD) === 0) this.#handCold = this.#links[2 * this.#handCold]!;
    }
  }

  #checkAdaptiveBound(): void {
    const coldPages = this.capacity - this.#hot;
    if (this.#credits > 0 && coldPages >= this.coldMax) this.#credits = 0;
    if (this.#credits < 0 && coldPages <= this.coldMin) this.#credits = 0;
  }

  #removeFromClock(page: number, permanent: boolean): void {
    invariant(page !== this.#handCold && page !== this.#handHot && page !== this.#handTest, () => `clock-pro: removing page ${page} under a hand`);
    const p = this.#links[2 * page]!;
    const n = this.#links[2 * page + 1]!;
    this.#links[2 * p + 1] = n;
    this.#links[2 * n] = p;
    if (page === this.#head) this.#head = n;
    this.#links[2 * page] = this.#links[2 * page + 1] = NONE;
    this.#clockSize--;
    this.#flags[page]! &= ~(IN_CLOCK | IN_TEST | REF);
    if (permanent) this.#flags[page] = (this.#flags[page]! & ~RESIDENT) | COLD;
  }

  #insertAtHead(page: number): void {
    const h = this.#head;
    const last = this.#links[2 * h]!;
    this.#links[2 * page + 1] = h;
    this.#links[2 * page] = last;
    this.#links[2 * last + 1] = page;
    this.#links[2 * h] = page;
    this.#head = page;
    this.#flags[page]! |= IN_CLOCK;
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
      invariant(size <= this.#flags.length, () => 'clock-pro: the clock does not close');
      invariant((this.#flags[p]! & IN_CLOCK) !== 0 && this.#links[2 * this.#links[2 * p + 1]!] === p, () => `clock-pro: broken link at ${p}`);
      if ((this.#flags[p]! & COLD) === 0) hot++;
      if ((this.#flags[p]! & RESIDENT) !== 0) residents++;
      else {
        invariant((this.#flags[p]! & COLD) !== 0 && (this.#flags[p]! & IN_TEST) !== 0, () => `clock-pro: non-resident page ${p} is hot or out of test`);
        nonResident++;
      }
      p = this.#links[2 * p + 1]!;
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
