/**
 * S3-FIFO (Yang et al., SOSP 2023): a small FIFO S (10 % of the frames) filters one-hit wonders;
 * a page leaving S that was referenced at least `threshold` times moves to the main FIFO M,
 * otherwise it is evicted and its id remembered in a ghost FIFO G; a miss on a ghost goes straight
 * to M. M is a CLOCK with a 2-bit counter (a page with counter > 0 is reinserted, one less).
 *
 * Reference: libCacheSim `S3FIFO.c`, defaults fifo-size-ratio 0.10, ghost-size-ratio 0.90,
 * move-to-main-threshold 2, with its rule for which queue gives up a page (M when M is above its
 * share or S is empty, else S) and its moved pages starting at counter 0; equal miss counts from
 * 20 frames. Deliberate difference below 20 frames: S has at least one frame, where libCacheSim's
 * S of ⌊0.1·frames⌋ < 2 admits nothing and every reference misses.
 */
import { grown } from '../grow.js';
import { PageLists } from '../lists.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

const SMALL = 1;
const MAIN = 2;
const GHOST = 3;
const MAX_FREQ = 3;

export class S3Fifo implements Policy {
  #l: PageLists;
  #freq: Uint8Array;
  #dirty: Uint8Array;
  readonly smallCapacity: number;
  readonly mainCapacity: number;
  readonly ghostCapacity: number;
  #threshold: number;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number, smallShare: number, ghostShare: number, threshold: number) {
    this.#l = new PageLists(pageCount, 3);
    this.#freq = new Uint8Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
    this.smallCapacity = Math.min(capacity, Math.max(1, Math.floor(capacity * smallShare)));
    this.mainCapacity = capacity - this.smallCapacity;
    this.ghostCapacity = Math.floor(capacity * ghostShare);
    this.#threshold = threshold;
  }

  growPages(pageCount: number): void {
    this.#l.growPages(pageCount);
    this.#freq = grown(this.#freq, pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#l.size[SMALL]! + this.#l.size[MAIN]!;
  }

  access(page: number, write: boolean): boolean {
    const l = this.#l;
    if (write) this.#dirty[page] = 1;
    const where = l.listOf[page]!;
    if (where === SMALL || where === MAIN) {
      if (this.#freq[page]! < MAX_FREQ) this.#freq[page]!++;
      return true;
    }
    if (where === GHOST) l.remove(page);
    while (this.resident >= this.capacity) {
      if (l.size[MAIN]! > this.mainCapacity || l.size[SMALL] === 0) this.#evictMain();
      else this.#evictSmall();
    }
    l.pushHead(where === GHOST ? MAIN : SMALL, page);
    this.#freq[page] = 0;
    return false;
  }

  /** Take pages off S's tail until one is evicted or S is empty; reused ones move to M. */
  #evictSmall(): void {
    const l = this.#l;
    while (l.size[SMALL]! > 0) {
      const p = l.popTail(SMALL);
      if (this.#freq[p]! >= this.#threshold) {
        this.#freq[p] = 0;
        l.pushHead(MAIN, p);
        continue;
      }
      this.#evicted(p);
      if (this.ghostCapacity > 0) {
        if (l.size[GHOST]! >= this.ghostCapacity) l.popTail(GHOST);
        l.pushHead(GHOST, p);
      }
      return;
    }
  }

  /** M as a CLOCK: reinsert pages with a positive counter (one less), evict the first at 0. */
  #evictMain(): void {
    const l = this.#l;
    for (;;) {
      const p = l.popTail(MAIN);
      const f = this.#freq[p]!;
      if (f === 0) {
        this.#evicted(p);
        return;
      }
      this.#freq[p] = f - 1;
      l.pushHead(MAIN, p);
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
    l.check(SMALL, 's3fifo S');
    l.check(MAIN, 's3fifo M');
    l.check(GHOST, 's3fifo G');
    invariant(this.resident <= this.capacity, () => `s3fifo: ${this.resident} resident > capacity ${this.capacity}`);
    invariant(l.size[GHOST]! <= this.ghostCapacity, () => `s3fifo: ghost holds ${l.size[GHOST]} > ${this.ghostCapacity}`);
  }
}

const PARAMS: readonly ParamInfo[] = [
  { key: 'small', defaultValue: 0.1, min: 0, max: 1, integer: false, description: 'small FIFO as a share of the frames (at least 1 frame)' },
  { key: 'ghost', defaultValue: 0.9, min: 0, max: 10, integer: false, description: 'ghost FIFO entries as a share of the frames' },
  { key: 'threshold', defaultValue: 2, min: 1, max: 3, integer: true, description: 'references in S needed to move to M' },
];

export const s3Fifo: PolicyFactory<Record<string, number>> = {
  name: 's3fifo',
  description: 'S3-FIFO: small FIFO filter, main FIFO with reinsertion, ghost FIFO',
  source: 'Yang et al., SOSP 2023; libCacheSim S3FIFO.c (equal miss counts from 20 frames)',
  params: PARAMS,
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('s3fifo', PARAMS, raw, at),
  create: (capacity, params, pageCount) =>
    new S3Fifo(capacity, pageCount, params['small']!, params['ghost']!, params['threshold']!),
};
