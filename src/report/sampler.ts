/**
 * A time series of kernel samples in bounded memory. It keeps at most `maxPoints` points: when
 * full, neighbouring pairs merge into one and from then on every point stands for twice as many
 * samples (the stride doubles). A merged point keeps the last value of each gauge, the minimum and
 * maximum of the free count (so a dip below a threshold never disappears from the chart) and the
 * maximum laundry count. Counters are cumulative, so their last value is exact; rates come from
 * differences at the end.
 */
import type { Sample } from '../kernel/result.js';

/** Columnar, JSON-ready: one array per field, all of the same length. */
export interface SeriesColumns {
  /** simulated time of each point, ns (the last sample the point covers) */
  t: number[];
  free: number[];
  freeMin: number[];
  freeMax: number[];
  active: number[];
  inactive: number[];
  inactiveTarget: number[];
  wired: number[];
  laundry: number[];
  laundryMax: number[];
  external: number[];
  burstWait: number[];
  /** per second of simulated time, over the interval since the previous point */
  faultsPerSec: number[];
  pageinsPerSec: number[];
  pageoutsPerSec: number[];
  reactivationsPerSec: number[];
  /** references done, per task (outer index = task in scenario order) */
  taskRefs: number[][];
  /** samples each point stands for at the end */
  samplesPerPoint: number;
}

const GAUGES = ['active', 'inactive', 'inactiveTarget', 'wired', 'external', 'burstWait'] as const;
const COUNTERS = ['faults', 'pageins', 'pageouts', 'reactivations'] as const;

export class BoundedSeries {
  readonly #cap: number;
  #n = 0;
  /** samples per stored point */
  #stride = 1;
  /** samples gathered in the open bucket */
  #pending = 0;
  readonly #t: Float64Array;
  readonly #free: Float64Array;
  readonly #freeMin: Float64Array;
  readonly #freeMax: Float64Array;
  readonly #laundry: Float64Array;
  readonly #laundryMax: Float64Array;
  readonly #gauges: Record<(typeof GAUGES)[number], Float64Array>;
  readonly #counters: Record<(typeof COUNTERS)[number], Float64Array>;
  #tasks: Float64Array[] = [];
  // the open bucket
  #bucketFreeMin = Infinity;
  #bucketFreeMax = -Infinity;
  #bucketLaundryMax = -Infinity;

  constructor(maxPoints = 2048) {
    // an even capacity so halving is exact
    this.#cap = Math.max(4, maxPoints + (maxPoints % 2));
    const f = (): Float64Array => new Float64Array(this.#cap);
    this.#t = f(); this.#free = f(); this.#freeMin = f(); this.#freeMax = f(); this.#laundry = f(); this.#laundryMax = f();
    this.#gauges = { active: f(), inactive: f(), inactiveTarget: f(), wired: f(), external: f(), burstWait: f() };
    this.#counters = { faults: f(), pageins: f(), pageouts: f(), reactivations: f() };
  }

  get length(): number { return this.#n; }

  add(s: Sample): void {
    if (this.#pending === 0 && this.#n > 0 && this.#t[this.#n - 1] === s.t) {
      // a second sample at the same instant (the run's last, taken when it ends) is the newer
      // state of that instant, not a point of its own: reopen the closed bucket to write it there
      this.#n--;
      this.#pending = this.#stride - 1;
      this.#bucketFreeMin = this.#freeMin[this.#n]!;
      this.#bucketFreeMax = this.#freeMax[this.#n]!;
      this.#bucketLaundryMax = this.#laundryMax[this.#n]!;
    }
    if (this.#tasks.length < s.taskRefs.length) {
      while (this.#tasks.length < s.taskRefs.length) this.#tasks.push(new Float64Array(this.#cap));
    }
    if (s.free < this.#bucketFreeMin) this.#bucketFreeMin = s.free;
    if (s.free > this.#bucketFreeMax) this.#bucketFreeMax = s.free;
    if (s.laundry > this.#bucketLaundryMax) this.#bucketLaundryMax = s.laundry;
    this.#pending++;
    // the open bucket's last sample is written in place, so the newest state is always visible;
    // fields one by one (not a loop over names): this runs for every sample of a long run
    const i = this.#n;
    const g = this.#gauges;
    const c = this.#counters;
    this.#t[i] = s.t;
    this.#free[i] = s.free;
    this.#freeMin[i] = this.#bucketFreeMin;
    this.#freeMax[i] = this.#bucketFreeMax;
    this.#laundry[i] = s.laundry;
    this.#laundryMax[i] = this.#bucketLaundryMax;
    g.active[i] = s.active;
    g.inactive[i] = s.inactive;
    g.inactiveTarget[i] = s.inactiveTarget;
    g.wired[i] = s.wired;
    g.external[i] = s.external;
    g.burstWait[i] = s.burstWait;
    c.faults[i] = s.faults;
    c.pageins[i] = s.pageins;
    c.pageouts[i] = s.pageouts;
    c.reactivations[i] = s.reactivations;
    const refs = s.taskRefs;
    for (let k = 0; k < refs.length; k++) this.#tasks[k]![i] = refs[k]!;
    if (this.#pending < this.#stride) return;
    // close the bucket
    this.#n++;
    this.#pending = 0;
    this.#bucketFreeMin = Infinity;
    this.#bucketFreeMax = -Infinity;
    this.#bucketLaundryMax = -Infinity;
    if (this.#n === this.#cap) this.#halve();
  }

  #halve(): void {
    const half = this.#n >> 1;
    const keepLast = (a: Float64Array): void => { for (let j = 0; j < half; j++) a[j] = a[2 * j + 1]!; };
    const keepMin = (a: Float64Array): void => { for (let j = 0; j < half; j++) a[j] = Math.min(a[2 * j]!, a[2 * j + 1]!); };
    const keepMax = (a: Float64Array): void => { for (let j = 0; j < half; j++) a[j] = Math.max(a[2 * j]!, a[2 * j + 1]!); };
    keepLast(this.#t); keepLast(this.#free); keepLast(this.#laundry);
    keepMin(this.#freeMin); keepMax(this.#freeMax); keepMax(this.#laundryMax);
    for (const g of GAUGES) keepLast(this.#gauges[g]);
    for (const c of COUNTERS) keepLast(this.#counters[c]);
    for (const a of this.#tasks) keepLast(a);
    this.#n = half;
    this.#stride *= 2;
  }

  /** The series as plain arrays (includes a partly filled last bucket). */
  columns(): SeriesColumns {
    const n = this.#n + (this.#pending > 0 ? 1 : 0);
    const arr = (a: Float64Array): number[] => Array.from(a.subarray(0, n));
    const rate = (c: (typeof COUNTERS)[number]): number[] => {
      const out: number[] = new Array(n);
      let prevT = 0;
      let prevV = 0;
      for (let i = 0; i < n; i++) {
        const t = this.#t[i]!;
        const v = this.#counters[c][i]!;
        const dt = (t - prevT) / 1e9;
        out[i] = dt > 0 ? Math.round(((v - prevV) / dt) * 1000) / 1000 : 0;
        prevT = t;
        prevV = v;
      }
      return out;
    };
    return {
      t: arr(this.#t),
      free: arr(this.#free),
      freeMin: arr(this.#freeMin),
      freeMax: arr(this.#freeMax),
      active: arr(this.#gauges.active),
      inactive: arr(this.#gauges.inactive),
      inactiveTarget: arr(this.#gauges.inactiveTarget),
      wired: arr(this.#gauges.wired),
      laundry: arr(this.#laundry),
      laundryMax: arr(this.#laundryMax),
      external: arr(this.#gauges.external),
      burstWait: arr(this.#gauges.burstWait),
      faultsPerSec: rate('faults'),
      pageinsPerSec: rate('pageins'),
      pageoutsPerSec: rate('pageouts'),
      reactivationsPerSec: rate('reactivations'),
      taskRefs: this.#tasks.map(arr),
      samplesPerPoint: this.#stride,
    };
  }
}
