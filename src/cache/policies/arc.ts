/**
 * ARC (Megiddo & Modha, FAST 2003): two LRU lists of resident pages, T1 (seen once recently) and
 * T2 (seen at least twice), each with a ghost list of recently evicted ids (B1, B2); a hit in a
 * ghost list moves the target size p of T1 toward the list that would have hit.
 *
 * Reference: libCacheSim `ARC.c`, whose miss counts we equal. As there (and in the Python ARC it
 * was checked against), p and its step are real numbers, not the paper's integers; and eviction
 * runs only when memory is full (the paper's case IV without its not-full branch, which never
 * fires once memory has filled).
 */
import { grown } from '../grow.js';
import { PageLists } from '../lists.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const T1 = 1;
const T2 = 2;
const B1 = 3;
const B2 = 4;

export class Arc implements Policy {
  #l: PageLists;
  #dirty: Uint8Array;
  /** target size of T1 */
  #p = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#l = new PageLists(pageCount, 4);
    this.#dirty = new Uint8Array(pageCount);
  }

  growPages(pageCount: number): void {
    this.#l.growPages(pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#l.size[T1]! + this.#l.size[T2]!;
  }
  /** ARC's adaptive target for T1 (for tests and curiosity) */
  get targetT1(): number {
    return this.#p;
  }

  access(page: number, write: boolean): boolean {
    const l = this.#l;
    const size = l.size;
    const c = this.capacity;
    if (write) this.#dirty[page] = 1;
    const where = l.listOf[page]!;
    if (where === T1 || where === T2) {
      l.moveToHead(T2, page);
      return true;
    }
    if (where === B1) {
      this.#p = Math.min(this.#p + Math.max(size[B2]! / size[B1]!, 1), c);
      l.remove(page);
      if (this.resident >= c) this.#replace(false);
      l.pushHead(T2, page);
      return false;
    }
    if (where === B2) {
      this.#p = Math.max(this.#p - Math.max(size[B1]! / size[B2]!, 1), 0);
      l.remove(page);
      if (this.resident >= c) this.#replace(true);
      l.pushHead(T2, page);
      return false;
    }
    if (this.resident >= c) {
      if (size[T1]! + size[B1]! >= c) {
        if (size[B1]! > 0) {
          l.popTail(B1);
          this.#replace(false);
        } else {
          this.#evictResident(l.popTail(T1)); // T1 alone fills the cache: drop its LRU, no ghost
        }
      } else {
        if (size[T1]! + size[T2]! + size[B1]! + size[B2]! >= 2 * c && size[B2]! > 0) l.popTail(B2);
        this.#replace(false);
      }
    }
    l.pushHead(T1, page);
    return false;
  }

  /** The paper's REPLACE: move the LRU page of T1 or T2 to its ghost list. */
  #replace(requestInB2: boolean): void {
    const l = this.#l;
    const t1 = l.size[T1]!;
    if ((t1 > 0 && (t1 > this.#p || (requestInB2 && t1 === this.#p))) || l.size[T2] === 0) {
      const victim = l.popTail(T1);
      this.#evictResident(victim);
      l.pushHead(B1, victim);
    } else {
      const victim = l.popTail(T2);
      this.#evictResident(victim);
      l.pushHead(B2, victim);
    }
  }

  #evictResident(page: number): void {
    if (this.#dirty[page] !== 0) {
      this.#dirty[page] = 0;
      this.#writebacks++;
    }
  }

  checkInvariants(): void {
    const l = this.#l;
    const c = this.capacity;
    for (const [list, name] of [[T1, 'T1'], [T2, 'T2'], [B1, 'B1'], [B2, 'B2']] as const) l.check(list, `arc ${name}`);
    invariant(this.resident <= c, () => `arc: ${this.resident} resident > capacity ${c}`);
    invariant(l.size[T1]! + l.size[B1]! <= c, () => `arc: |T1|+|B1| = ${l.size[T1]! + l.size[B1]!} > ${c}`);
    invariant(l.size[T1]! + l.size[T2]! + l.size[B1]! + l.size[B2]! <= 2 * c, () => 'arc: directory above 2c');
    invariant(this.#p >= 0 && this.#p <= c, () => `arc: p = ${this.#p} outside [0, ${c}]`);
  }
}

export const arc: PolicyFactory<Record<string, number>> = {
  name: 'arc',
  description: 'Adaptive Replacement Cache: recency and frequency lists with ghost-driven balance',
  source: 'Megiddo & Modha, FAST 2003; libCacheSim ARC.c (equal miss counts; p is a real number as there)',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('arc', [], raw, at),
  create: (capacity, _params, pageCount) => new Arc(capacity, pageCount),
};
