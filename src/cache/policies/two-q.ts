/**
 * 2Q (Johnson & Shasha, VLDB 1994, the full version): new pages enter a FIFO A1in of Kin frames;
 * pages pushed out of A1in are remembered (ids only) in a FIFO A1out of Kout entries; a miss on a
 * page remembered in A1out loads it into Am, an LRU list, as does nothing else. Hits in A1in
 * change nothing (a correlated second reference is not evidence of reuse).
 *
 * Reference: libCacheSim `TwoQ.c` (Kin 25 %, Kout 50 % of the frames, as the paper suggests);
 * equal miss counts. Deliberate difference at tiny sizes: Kin and Kout are at least 1, where
 * libCacheSim rounds 25 % of fewer than 4 frames down to 0 and then caches nothing.
 */
import { grown } from '../grow.js';
import { PageLists } from '../lists.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

const A1IN = 1;
const A1OUT = 2;
const AM = 3;

export class TwoQ implements Policy {
  #l: PageLists;
  #dirty: Uint8Array;
  readonly kin: number;
  readonly kout: number;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number, kinShare: number, koutShare: number) {
    this.#l = new PageLists(pageCount, 3);
    this.#dirty = new Uint8Array(pageCount);
    this.kin = Math.max(1, Math.floor(capacity * kinShare));
    this.kout = Math.max(1, Math.floor(capacity * koutShare));
  }

  growPages(pageCount: number): void {
    this.#l.growPages(pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#l.size[A1IN]! + this.#l.size[AM]!;
  }

  access(page: number, write: boolean): boolean {
    const l = this.#l;
    if (write) this.#dirty[page] = 1;
    const where = l.listOf[page]!;
    if (where === AM) {
      l.moveToHead(AM, page);
      return true;
    }
    if (where === A1IN) return true;
    if (where === A1OUT) l.remove(page); // before reclaiming, which may push A1out's oldest out
    if (this.resident >= this.capacity) this.#reclaim();
    l.pushHead(where === A1OUT ? AM : A1IN, page);
    return false;
  }

  /** The paper's reclaimfor: A1in gives up its oldest page while above Kin, else Am its LRU page. */
  #reclaim(): void {
    const l = this.#l;
    if (l.size[A1IN]! > this.kin || l.size[AM] === 0) {
      const victim = l.popTail(A1IN);
      this.#evicted(victim);
      if (l.size[A1OUT]! >= this.kout) l.popTail(A1OUT);
      l.pushHead(A1OUT, victim);
    } else {
      this.#evicted(l.popTail(AM));
    }
  }

  #evicted(page: number): void {
    if (this.#dirty[page] !== 0) {
      this.#dirty[page] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    const l = this.#l;
    l.check(A1IN, '2q A1in');
    l.check(A1OUT, '2q A1out');
    l.check(AM, '2q Am');
    invariant(this.resident <= this.capacity, () => `2q: ${this.resident} resident > capacity ${this.capacity}`);
    invariant(l.size[A1OUT]! <= this.kout, () => `2q: A1out holds ${l.size[A1OUT]} > Kout ${this.kout}`);
  }
}

const PARAMS: readonly ParamInfo[] = [
  { key: 'kin', defaultValue: 0.25, min: 0, max: 1, integer: false, description: 'A1in (FIFO of new pages) as a share of the frames, at least 1 frame' },
  { key: 'kout', defaultValue: 0.5, min: 0, max: 10, integer: false, description: 'A1out (ghost ids) as a share of the frames, at least 1 entry' },
];

export const twoQ: PolicyFactory<Record<string, number>> = {
  name: '2q',
  description: '2Q: FIFO probation, ghost queue, LRU main',
  source: 'Johnson & Shasha, VLDB 1994; libCacheSim TwoQ.c (equal miss counts from 4 frames)',
  params: PARAMS,
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('2q', PARAMS, raw, at),
  create: (capacity, params, pageCount) => new TwoQ(capacity, pageCount, params['kin']!, params['kout']!),
};
