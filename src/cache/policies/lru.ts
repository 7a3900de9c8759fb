/**
 * LRU: evict the page referenced least recently.
 *
 * One list over typed arrays, written out here rather than through PageLists: LRU is the policy
 * users run on the biggest traces. The list runs over frames, not pages: a page's one per-page
 * entry says which frame holds it, and each frame's entry holds its list links, the page in it and
 * that page's dirty bit, side by side. A hit then touches one entry in the per-page array and
 * three frame entries (its own and its list neighbours') in an array the size of the cache (1.2 MB
 * at 100,000 frames), where links kept per page scatter the neighbours over every page ever seen;
 * a write hit sets the dirty bit in the entry it has in hand, and an eviction finds the victim's
 * page and dirty bit beside its links. Reference: libCacheSim `LRU.c` (a list, hit = move to head,
 * evict the tail); equal miss counts (test/cache/reference.test.ts).
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const NIL = -1;
/** the dirty bit of a frame entry's page word (page ids stay below 2^31) */
const DIRTY = 1 << 31;
const PAGE = ~DIRTY;

export class Lru implements Policy {
  /** frame + 1 of each page, 0 = not resident (so new entries need no fill) */
  #frameOf: Int32Array;
  /**
   * Three ints a frame f: prev and next frame (NIL at the ends) at 3f and 3f + 1, the page it
   * holds with its dirty bit at 3f + 2.
   */
  #frames: Int32Array;
  #head = NIL;
  #tail = NIL;
  /** frames in use; frames are handed out in order until all are, then the victim's is reused */
  #size = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#frameOf = new Int32Array(pageCount);
    this.#frames = new Int32Array(3 * framesFor(capacity, pageCount));
  }

  growPages(pageCount: number): void {
    this.#frameOf = grown(this.#frameOf, pageCount);
    const frames = framesFor(this.capacity, pageCount);
    if (3 * frames > this.#frames.length) this.#frames = grown(this.#frames, 3 * frames);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    const frames = this.#frames;
    const slot = this.#frameOf[page]!;
    if (slot !== 0) {
      const f = slot - 1;
      const at = 3 * f;
      if (write) frames[at + 2]! |= DIRTY;
      const p = frames[at]!;
      if (p === NIL) return true; // already the most recent
      const n = frames[at + 1]!;
      frames[3 * p + 1] = n;
      if (n !== NIL) frames[3 * n] = p;
      else this.#tail = p;
      const h = this.#head;
      frames[at] = NIL;
      frames[at + 1] = h;
      frames[3 * h] = f;
      this.#head = f;
      return true;
    }
    const f = this.#size < this.capacity ? this.#size++ : this.#evict();
    this.#frameOf[page] = f + 1;
    const h = this.#head;
    const at = 3 * f;
    frames[at] = NIL;
    frames[at + 1] = h;
    frames[at + 2] = write ? page | DIRTY : page;
    if (h !== NIL) frames[3 * h] = f;
    else this.#tail = f;
    this.#head = f;
    return false;
  }

  /** Unlink the tail and free its page; its frame, for the caller to fill. */
  #evict(): number {
    const frames = this.#frames;
    const victim = this.#tail;
    const at = 3 * victim;
    const p = frames[at]!;
    this.#tail = p;
    if (p !== NIL) frames[3 * p + 1] = NIL;
    else this.#head = NIL;
    const held = frames[at + 2]!;
    this.#frameOf[held & PAGE] = 0;
    if ((held & DIRTY) !== 0) this.#writebacks++;
    return victim;
  }

  checkInvariants(): void {
    const frames = this.#frames;
    let n = 0;
    let before = NIL;
    for (let f = this.#head; f !== NIL; f = frames[3 * f + 1]!) {
      invariant(frames[3 * f] === before, () => `lru: broken prev link at frame ${f}`);
      const page = frames[3 * f + 2]! & PAGE;
      invariant(this.#frameOf[page] === f + 1, () => `lru: frame ${f} holds page ${page}, which points elsewhere`);
      before = f;
      invariant(++n <= this.capacity, () => `lru: more than ${this.capacity} frames linked`);
    }
    invariant(this.#tail === before, () => `lru: tail ${this.#tail} is not the last frame ${before}`);
    invariant(n === this.#size, () => `lru: ${n} frames linked, ${this.#size} counted`);
    let resident = 0;
    for (const slot of this.#frameOf) if (slot !== 0) resident++;
    invariant(resident === this.#size, () => `lru: ${resident} pages marked resident, ${this.#size} counted`);
  }
}

export const lru: PolicyFactory<Record<string, number>> = {
  name: 'lru',
  description: 'least recently used',
  source: 'libCacheSim LRU.c (equal miss counts)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('lru', [], raw, at),
  create: (capacity, _params, pageCount) => new Lru(capacity, pageCount),
};
