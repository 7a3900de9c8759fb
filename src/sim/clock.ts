/**
 * Simulated time in integer nanoseconds and the one event heap (SimPy's core.py). Equal times
 * fire in scheduling order: the sequence number, not luck, makes reruns identical.
 */
import { MinHeap } from './heap.js';

export type Ns = number; // integer nanoseconds; 2^53 ns is 104 days of simulated time

export interface Timer {
  readonly at: Ns;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

export class Clock {
  #now: Ns = 0;
  #seq = 0;
  readonly #timers = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));

  get now(): Ns {
    return this.#now;
  }

  /** Advance time without firing anything (a running user thread consumes CPU). Never past a pending timer. */
  advanceTo(t: Ns): void {
    if (t < this.#now) throw new Error(`Clock.advanceTo: time runs backwards (${t} < ${this.#now})`);
    this.#now = t;
  }

  schedule(delay: Ns, fire: () => void): Timer {
    if (!Number.isInteger(delay) || delay < 0) throw new Error(`Clock.schedule: bad delay ${delay}`);
    return this.at(this.#now + delay, fire);
  }

  at(time: Ns, fire: () => void): Timer {
    if (!Number.isInteger(time) || time < this.#now) throw new Error(`Clock.at: bad time ${time} (now ${this.#now})`);
    const timer: Timer = { at: time, seq: this.#seq++, fire, cancelled: false };
    this.#timers.push(timer);
    return timer;
  }

  cancel(timer: Timer): void {
    timer.cancelled = true;
  }

  /** Time of the next live timer, or Infinity. */
  nextTime(): Ns {
    let top = this.#timers.peek();
    while (top !== undefined && top.cancelled) {
      this.#timers.pop();
      top = this.#timers.peek();
    }
    return top === undefined ? Infinity : top.at;
  }

  /** Fire every timer due at or before now, in order. Returns how many fired. */
  fireDue(): number {
    let n = 0;
    for (;;) {
      const next = this.nextTime();
      if (next > this.#now) return n;
      const t = this.#timers.pop()!;
      t.fire();
      n++;
    }
  }
}
