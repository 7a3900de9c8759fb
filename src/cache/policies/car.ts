/**
 * CAR, Clock with Adaptive Replacement (Bansal & Modha, FAST 2004): ARC's balance between recency
 * and frequency with what virtual-memory hardware gives, a reference bit. Two clocks of resident
 * pages, T1 (seen once since it came in) and T2 (seen again), each with a ghost list of evicted
 * ids (B1, B2, LRU order); a hit only sets the page's reference bit, as a CPU's MMU does. The hand
 * of T1 moves referenced pages to T2; a ghost hit moves the target size p of T1 toward the list
 * that would have hit, as in ARC.
 *
 * The steps follow the paper's Figure 2 line by line (`access` its lines 1–9, `#replace` lines
 * 20–36). As in our ARC, p and its step are real numbers. A clock is a list here: its tail is the
 * page under the hand, its head the page just behind it, where new pages go.
 *
 * libCacheSim's `CAR.c` (added after the version we build) departs from the paper, trimming the
 * ghost lists only after a ghost hit where the paper trims them only after a miss in neither, and
 * dividing the ghost sizes as integers; its counts are not ours, so the tests hold this file to
 * the paper's pseudo-code, modelled slowly, and to staying near ARC on the shared traces.
 */
import { grown } from '../grow.js';
import { PageLists } from '../lists.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const T1 = 1;
const T2 = 2;
const B1 = 3;
const B2 = 4;

export class Car implements Policy {
  #l: PageLists;
  /** the page reference bit of each resident page */
  #referenced: Uint8Array;
  #dirty: Uint8Array;
  /** target size of T1 */
  #p = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#l = new PageLists(pageCount, 4);
    this.#referenced = new Uint8Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#l.growPages(pageCount);
    this.#referenced = grown(this.#referenced, pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#l.size[T1]! + this.#l.size[T2]!;
  }
  /** CAR's adaptive target for T1 (for tests and curiosity) */
  get targetT1(): number {
    return this.#p;
  }
  /** the ghost lists' lengths, [|B1|, |B2|] (for tests) */
  get ghostSizes(): [number, number] {
    return [this.#l.size[B1]!, this.#l.size[B2]!];
  }

  access(page: number, write: boolean): boolean {
    const l = this.#l;
    const size = l.size;
    const c = this.capacity;
    const where = l.listOf[page]!;
    // 1: a hit sets the page's reference bit, and nothing moves
    if (where === T1 || where === T2) {
      this.#referenced[page] = 1;
      if (write) this.#dirty[page] = 1;
      return true;
    }
    const inHistory = where === B1 || where === B2;
    // 3–6: memory full: free a frame, then keep the directory at 2c (only for a page not in it)
    if (size[T1]! + size[T2]! === c) {
      this.#replace();
      if (!inHistory) {
        if (size[T1]! + size[B1]! === c) l.popTail(B1);
        else if (size[T1]! + size[T2]! + size[B1]! + size[B2]! === 2 * c) l.popTail(B2);
      }
    }
    // 7–9: a new page joins T1; a ghost hit adapts p and brings the page back into T2
    if (where === B1) {
      this.#p = Math.min(this.#p + Math.max(1, size[B2]! / size[B1]!), c);
      l.remove(page);
      l.pushHead(T2, page);
    } else if (where === B2) {
      this.#p = Math.max(this.#p - Math.max(1, size[B1]! / size[B2]!), 0);
      l.remove(page);
      l.pushHead(T2, page);
    } else {
      l.pushHead(T1, page);
    }
    this.#referenced[page] = 0;
    this.#dirty[page] = write ? 1 : 0;
    return false;
  }

  /**
   * The paper's replace(): T1's hand while T1 holds at least max(1, p) pages, else T2's; a page
   * with its bit clear is demoted to its ghost list (the victim), one with its bit set has it
   * cleared and goes behind T2's hand (from T1, it has been seen twice).
   */
  #replace(): void {
    const l = this.#l;
    const ref = this.#referenced;
    for (;;) {
      if (l.size[T1]! >= Math.max(1, this.#p)) {
        const hand = l.tail[T1]!;
        l.remove(hand);
        if (ref[hand] === 0) {
          this.#evict(hand, B1);
          return;
        }
        ref[hand] = 0;
        l.pushHead(T2, hand);
      } else {
        const hand = l.tail[T2]!;
        l.remove(hand);
        if (ref[hand] === 0) {
          this.#evict(hand, B2);
          return;
        }
        ref[hand] = 0;
        l.pushHead(T2, hand);
      }
    }
  }

  /** `page`, out of its clock, becomes the most recent ghost of `ghosts`; a dirty one is written back. */
  #evict(page: number, ghosts: number): void {
    if (this.#dirty[page] !== 0) {
      this.#dirty[page] = 0;
      this.#writebacks++;
    }
    this.#l.pushHead(ghosts, page);
  }

  checkInvariants(): void {
    const l = this.#l;
    const c = this.capacity;
    for (const [list, name] of [[T1, 'T1'], [T2, 'T2'], [B1, 'B1'], [B2, 'B2']] as const) l.check(list, `car ${name}`);
    invariant(this.resident <= c, () => `car: ${this.resident} resident > capacity ${c}`);
    invariant(l.size[T1]! + l.size[B1]! <= c, () => `car: |T1|+|B1| = ${l.size[T1]! + l.size[B1]!} > ${c}`);
    invariant(l.size[T1]! + l.size[T2]! + l.size[B1]! + l.size[B2]! <= 2 * c, () => 'car: directory above 2c');
    invariant(this.#p >= 0 && this.#p <= c, () => `car: p = ${this.#p} outside [0, ${c}]`);
    for (let p = 0; p < l.listOf.length; p++) {
      const resident = l.listOf[p] === T1 || l.listOf[p] === T2;
      invariant(resident || (this.#referenced[p] === 0 && this.#dirty[p] === 0), () => `car: page ${p} is out of memory with its reference or dirty bit set`);
    }
  }
}

export const car: PolicyFactory<Record<string, number>> = {
  name: 'car',
  description: "Clock with Adaptive Replacement: ARC's balance over two clocks, a hit only sets a reference bit",
  source: "Bansal & Modha, FAST 2004, Figure 2 (p real as in our ARC); libCacheSim's later CAR.c departs from the paper",
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('car', [], raw, at),
  create: (capacity, _params, pageCount) => new Car(capacity, pageCount),
};
