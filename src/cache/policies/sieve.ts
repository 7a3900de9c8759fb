/**
 * SIEVE (Zhang et al., NSDI 2024): a FIFO queue with a visited bit and a hand that moves from the
 * oldest page toward the newest, clearing visited bits and evicting the first unvisited page;
 * unlike CLOCK, survivors stay where they are and new pages enter at the head.
 *
 * Reference: libCacheSim `Sieve.c` (the hand starts at the tail, wraps from head to tail, and
 * rests on the evicted page's newer neighbour); equal miss counts.
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const NIL = -1;

/** bits of a page's state byte */
const RESIDENT = 1;
const VISITED = 2;
const DIRTY = 4;

export class Sieve implements Policy {
  /**
   * Residency, the visited bit and the dirty bit in one byte a page, the only per-page entry: a
   * hit touches that byte and nothing else.
   */
  #state: Uint8Array;
  /**
   * The queue runs over frames, as LRU's list does: newer and older neighbour side by side
   * (links[2f], links[2f + 1]), so the hand walks arrays the size of the cache rather than links
   * scattered over every page seen. A frame keeps its place until its page is evicted, and the
   * new page takes that frame at the head.
   */
  #links: Int32Array;
  /** the page each frame holds */
  #pageOf: Int32Array;
  #head = NIL;
  #tail = NIL;
  #size = 0;
  /** next frame the hand examines; NIL = start again from the tail */
  #hand = NIL;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#state = new Uint8Array(pageCount);
    const frames = framesFor(capacity, pageCount);
    this.#links = new Int32Array(2 * frames);
    this.#pageOf = new Int32Array(frames);
  }

  growPages(pageCount: number): void {
    this.#state = grown(this.#state, pageCount);
    const frames = framesFor(this.capacity, pageCount);
    if (frames > this.#pageOf.length) {
      this.#links = grown(this.#links, 2 * frames);
      this.#pageOf = grown(this.#pageOf, frames);
    }
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    const state = this.#state;
    const s = state[page]!;
    if ((s & RESIDENT) !== 0) {
      state[page] = s | VISITED | (write ? DIRTY : 0);
      return true;
    }
    const f = this.#size < this.capacity ? this.#size++ : this.#evict();
    this.#pageOf[f] = page;
    state[page] = write ? RESIDENT | DIRTY : RESIDENT;
    const links = this.#links;
    const h = this.#head;
    links[2 * f] = NIL;
    links[2 * f + 1] = h;
    if (h !== NIL) links[2 * h] = f;
    else this.#tail = f;
    this.#head = f;
    return false;
  }

  /** Move the hand to the first unvisited page, evict it and unlink its frame; the frame. */
  #evict(): number {
    const links = this.#links;
    const pageOf = this.#pageOf;
    const state = this.#state;
    let f = this.#hand === NIL ? this.#tail : this.#hand;
    let page = pageOf[f]!;
    while ((state[page]! & VISITED) !== 0) {
      state[page] = state[page]! & ~VISITED;
      const newer = links[2 * f]!;
      f = newer === NIL ? this.#tail : newer;
      page = pageOf[f]!;
    }
    const newer = links[2 * f]!;
    const older = links[2 * f + 1]!;
    this.#hand = newer;
    if (newer !== NIL) links[2 * newer + 1] = older;
    else this.#head = older;
    if (older !== NIL) links[2 * older] = newer;
    else this.#tail = newer;
    if ((state[page]! & DIRTY) !== 0) this.#writebacks++;
    state[page] = 0;
    return f;
  }

  checkInvariants(): void {
    const links = this.#links;
    let n = 0;
    let newer = NIL;
    let handLinked = this.#hand === NIL;
    for (let f = this.#head; f !== NIL; f = links[2 * f + 1]!) {
      invariant(links[2 * f] === newer, () => `sieve: broken link at frame ${f}`);
      invariant((this.#state[this.#pageOf[f]!]! & RESIDENT) !== 0, () => `sieve: frame ${f} holds page ${this.#pageOf[f]}, which is not resident`);
      if (f === this.#hand) handLinked = true;
      newer = f;
      invariant(++n <= this.capacity, () => `sieve: more than ${this.capacity} frames queued`);
    }
    invariant(this.#tail === newer, () => `sieve: tail ${this.#tail} is not the oldest frame ${newer}`);
    invariant(n === this.#size, () => `sieve: ${n} frames queued, ${this.#size} counted`);
    invariant(handLinked, () => `sieve: hand on a frame not in the queue ${this.#hand}`);
    let resident = 0;
    for (const s of this.#state) {
      if ((s & RESIDENT) !== 0) resident++;
      else invariant(s === 0, () => `sieve: a page not resident has state ${s}`);
    }
    invariant(resident === this.#size, () => `sieve: ${resident} pages resident, ${this.#size} queued`);
  }
}

export const sieve: PolicyFactory<Record<string, number>> = {
  name: 'sieve',
  description: 'SIEVE: FIFO with a visited bit and a lazily moving hand',
  source: 'Zhang et al., NSDI 2024; libCacheSim Sieve.c (equal miss counts)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('sieve', [], raw, at),
  create: (capacity, _params, pageCount) => new Sieve(capacity, pageCount),
};
