/**
 * LRU: evict the page referenced least recently.
 *
 * One list over typed arrays, written out here rather than through PageLists: LRU is the policy
 * users run on the biggest traces. The list runs over frames, not pages: a page's one per-page
 * entry says which frame holds it, and the links, the page a frame holds and its dirty bit are
 * indexed by frame. A hit then touches one entry in the per-page array and its list neighbours in
 * arrays the size of the cache (about 1 MB at 100,000 frames), where links kept per page scatter
 * the neighbours over every page ever seen; end to end on a Zipf trace over a million pages this
 * measured 1.1× faster (README, Speed). Reference: libCacheSim `LRU.c` (a list, hit = move to
 * head, evict the tail); equal miss counts (test/cache/reference.test.ts).
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const NIL = -1;

export class Lru implements Policy {
  /** frame + 1 of each page, 0 = not resident (so new entries need no fill) */
  #frameOf: Int32Array;
  /** prev and next frame side by side (links[2f], links[2f + 1]), NIL at the ends */
  #links: Int32Array;
  /** the page each frame holds */
  #pageOf: Int32Array;
  #dirty: Uint8Array;
  #head = NIL;
  #tail = NIL;
  /** frames in use; frames are handed out in order until all are, then the victim's is reused */
  #size = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#frameOf = new Int32Array(pageCount);
    const frames = framesFor(capacity, pageCount);
    this.#links = new Int32Array(2 * frames);
    this.#pageOf = new Int32Array(frames);
    this.#dirty = new Uint8Array(frames);
  }

  growPages(pageCount: number): void {
    this.#frameOf = grown(this.#frameOf, pageCount);
    const frames = framesFor(this.capacity, pageCount);
    if (frames > this.#pageOf.length) {
      this.#links = grown(this.#links, 2 * frames);
      this.#pageOf = grown(this.#pageOf, frames);
      this.#dirty = grown(this.#dirty, frames);
    }
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    const links = this.#links;
    const slot = this.#frameOf[page]!;
    if (slot !== 0) {
      const f = slot - 1;
      if (write) this.#dirty[f] = 1;
      const at = 2 * f;
      const p = links[at]!;
      if (p === NIL) return true; // already the most recent
      const n = links[at + 1]!;
      links[2 * p + 1] = n;
      if (n !== NIL) links[2 * n] = p;
      else this.#tail = p;
      const h = this.#head;
      links[at] = NIL;
      links[at + 1] = h;
      links[2 * h] = f;
      this.#head = f;
      return true;
    }
    const f = this.#size < this.capacity ? this.#size++ : this.#evict();
    this.#frameOf[page] = f + 1;
    this.#pageOf[f] = page;
    this.#dirty[f] = write ? 1 : 0;
    const h = this.#head;
    const at = 2 * f;
    links[at] = NIL;
    links[at + 1] = h;
    if (h !== NIL) links[2 * h] = f;
    else this.#tail = f;
    this.#head = f;
    return false;
  }

  /** Unlink the tail and free its page; its frame, for the caller to fill. */
  #evict(): number {
    const links = this.#links;
    const victim = this.#tail;
    const p = links[2 * victim]!;
    this.#tail = p;
    if (p !== NIL) links[2 * p + 1] = NIL;
    else this.#head = NIL;
    this.#frameOf[this.#pageOf[victim]!] = 0;
    if (this.#dirty[victim] !== 0) this.#writebacks++;
    return victim;
  }

  checkInvariants(): void {
    const links = this.#links;
    let n = 0;
    let before = NIL;
    for (let f = this.#head; f !== NIL; f = links[2 * f + 1]!) {
      invariant(links[2 * f] === before, () => `lru: broken prev link at frame ${f}`);
      invariant(this.#frameOf[this.#pageOf[f]!] === f + 1, () => `lru: frame ${f} holds page ${this.#pageOf[f]}, which points elsewhere`);
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
