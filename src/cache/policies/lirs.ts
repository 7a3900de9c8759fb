/**
 * LIRS (Jiang & Zhang, SIGMETRICS 2002): pages with a low inter-reference recency (LIR) hold
 * most frames; the rest (HIR_s, 1 % of the frames, at least 2) hold resident HIR pages in a queue
 * Q. Stack S orders pages by recency and keeps HIR pages (resident or not) that are newer than the
 * oldest LIR page; a HIR page referenced again while still in S has a smaller recency than that
 * LIR page, so it becomes LIR and the bottom LIR page is demoted to Q.
 *
 * As its authors define it: HIR share 1 %, at least 2 blocks (their simulator's LOWEST_HG_NUM),
 * S unbounded (it holds at most every distinct page; lirs.c's bound is 2500 × frames), misses
 * while memory is not yet full load LIR pages until the LIR share is reached, and a reference to
 * the page referenced just before is a hit that changes nothing. Equal to the authors' `lirs.c`
 * (lirs-sim, 2002) on the LIRS trace set at every size it accepts (≥ 10 frames). Differences from libCacheSim `LIRS.c`: that one
 * has a HIR share of at least 1 block and prunes S at twice the frames, so its counts differ
 * (the comparison is in the README). One frame: no LIR page fits, the frame is a 1-page Q.
 */
import { grown } from '../grow.js';
import { PageLists } from '../lists.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

const LIR = 1;
const HIR_RESIDENT = 2;
const HIR_NONRESIDENT = 3;
const S = 1;
const Q = 1;

export class Lirs implements Policy {
  #stack: PageLists;
  #queue: PageLists;
  /** 0 = unknown (no metadata), else LIR / HIR_RESIDENT / HIR_NONRESIDENT */
  #status: Uint8Array;
  #dirty: Uint8Array;
  readonly lirCapacity: number;
  readonly hirCapacity: number;
  #lirCount = 0;
  #writebacks = 0;
  #lastPage = -1;
  readonly #skipRepeats: boolean;

  constructor(readonly capacity: number, pageCount: number, hirShare: number, minHir: number, skipRepeats: boolean) {
    this.#skipRepeats = skipRepeats;
    this.#stack = new PageLists(pageCount, 1);
    this.#queue = new PageLists(pageCount, 1);
    this.#status = new Uint8Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
    this.hirCapacity = capacity === 1 ? 1 : Math.min(capacity - 1, Math.max(minHir, Math.floor(hirShare * capacity)));
    this.lirCapacity = capacity - this.hirCapacity;
  }

  growPages(pageCount: number): void {
    this.#stack.growPages(pageCount);
    this.#queue.growPages(pageCount);
    this.#status = grown(this.#status, pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#lirCount + this.#queue.size[Q]!;
  }

  access(page: number, write: boolean): boolean {
    const s = this.#stack;
    const q = this.#queue;
    const status = this.#status;
    if (write) this.#dirty[page] = 1;
    if (page === this.#lastPage && this.#skipRepeats) return true; // the authors' lirs.c: an immediate repeat is a hit that moves nothing
    this.#lastPage = page;
    const st = status[page]!;
    if (st === LIR) {
      s.moveToHead(S, page);
      this.#prune();
      return true;
    }
    if (st === HIR_RESIDENT) {
      if (s.listOf[page] === S) {
        s.moveToHead(S, page);
        q.remove(page);
        this.#makeLir(page);
      } else {
        s.pushHead(S, page);
        q.moveToHead(Q, page);
      }
      return true;
    }
    if (this.resident >= this.capacity) this.#evictHir();
    if (this.#lirCount < this.lirCapacity) {
      // filling up: the first pages become LIR
      if (s.listOf[page] === S) s.moveToHead(S, page);
      else s.pushHead(S, page);
      status[page] = LIR;
      this.#lirCount++;
    } else if (st === HIR_NONRESIDENT) {
      s.moveToHead(S, page);
      this.#makeLir(page);
    } else {
      status[page] = HIR_RESIDENT;
      s.pushHead(S, page);
      q.pushHead(Q, page);
    }
    return false;
  }

  /** `page` (at the top of S, not in Q) becomes LIR; the bottom LIR pages go to Q while too many. */
  #makeLir(page: number): void {
    this.#status[page] = LIR;
    this.#lirCount++;
    while (this.#lirCount > this.lirCapacity) {
      this.#prune();
      const bottom = this.#stack.popTail(S);
      this.#status[bottom] = HIR_RESIDENT;
      this.#queue.pushHead(Q, bottom);
      this.#lirCount--;
    }
    this.#prune();
  }

  /** Drop HIR pages from the bottom of S until a LIR page is there; non-resident ones are forgotten. */
  #prune(): void {
    const s = this.#stack;
    const status = this.#status;
    for (let b = s.tail[S]!; b !== -1 && status[b] !== LIR; b = s.tail[S]!) {
      s.remove(b);
      if (status[b] === HIR_NONRESIDENT) status[b] = 0;
    }
  }

  /** Free a frame: the resident HIR page at the front of Q leaves memory (S may remember it). */
  #evictHir(): void {
    const victim = this.#queue.popTail(Q);
    this.#status[victim] = this.#stack.listOf[victim] === S ? HIR_NONRESIDENT : 0;
    if (this.#dirty[victim] !== 0) {
      this.#dirty[victim] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    const s = this.#stack;
    const q = this.#queue;
    s.check(S, 'lirs S');
    q.check(Q, 'lirs Q');
    invariant(this.resident <= this.capacity, () => `lirs: ${this.resident} resident > capacity ${this.capacity}`);
    invariant(this.#lirCount <= this.lirCapacity, () => `lirs: ${this.#lirCount} LIR pages > ${this.lirCapacity}`);
    let lir = 0;
    for (let p = 0; p < this.#status.length; p++) {
      const st = this.#status[p]!;
      if (st === LIR) {
        lir++;
        invariant(s.listOf[p] === S && q.listOf[p] === 0, () => `lirs: LIR page ${p} must be in S only`);
      } else if (st === HIR_RESIDENT) invariant(q.listOf[p] === Q, () => `lirs: resident HIR page ${p} not in Q`);
      else if (st === HIR_NONRESIDENT) invariant(s.listOf[p] === S && q.listOf[p] === 0, () => `lirs: non-resident page ${p} outside S`);
      else invariant(s.listOf[p] === 0 && q.listOf[p] === 0, () => `lirs: unknown page ${p} in a list`);
    }
    invariant(lir === this.#lirCount, () => `lirs: ${lir} LIR pages, counted ${this.#lirCount}`);
    const bottom = s.tail[S]!;
    invariant(bottom === -1 || lir === 0 || this.#status[bottom] === LIR, () => `lirs: bottom of S (${bottom}) is not LIR`);
  }
}

const PARAMS: readonly ParamInfo[] = [
  { key: 'hir', defaultValue: 0.01, min: 0, max: 1, integer: false, description: 'frames for resident HIR pages, as a share' },
  { key: 'minHir', defaultValue: 2, min: 1, max: 1e9, integer: true, description: 'at least this many HIR frames (below 2 frames: 1)' },
  { key: 'skipRepeats', defaultValue: 1, min: 0, max: 1, integer: true, description: '1 = an immediate repeat is a hit that changes nothing, as in lirs.c' },
];

export const lirs: PolicyFactory<Record<string, number>> = {
  name: 'lirs',
  description: 'LIRS: low inter-reference recency set, HIR queue, recency stack',
  source: 'Jiang & Zhang, SIGMETRICS 2002 (HIR 1 %, at least 2 blocks, unbounded stack as its authors define it)',
  params: PARAMS,
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('lirs', PARAMS, raw, at),
  create: (capacity, params, pageCount) => new Lirs(capacity, pageCount, params['hir']!, params['minHir']!, params['skipRepeats'] === 1),
};
