/**
 * LFU: evict the resident page referenced least often since it was loaded; among pages of equal
 * count, the one that reached that count first.
 *
 * Counts are in-cache counts (an evicted page starts again at 1), as in libCacheSim's `LFU.c`, the
 * reference whose miss counts we equal (test/cache/reference.test.ts). The structure is the O(1)
 * LFU of Shah, Mitra and Matani (2010), over typed arrays: a list of count buckets in ascending
 * order, each holding its pages in a list, oldest arrival first. A hit moves its page to the tail
 * of the bucket for count + 1 (made just after its own when missing), an eviction takes the head
 * of the lowest bucket, and an empty bucket leaves the list. At most one bucket a resident page is
 * in use, plus the one a hit is making, so the buckets are a pool of capacity + 1.
 */
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type Policy, type PolicyFactory } from '../policy.js';

const NIL = -1;

export class Lfu implements Policy {
  // --- per page
  /** bucket + 1 of each page, 0 = not resident (so new entries need no fill) */
  #bucketOf: Int32Array;
  /** prev and next page in the page's bucket, at 2p and 2p + 1 */
  #links: Int32Array;
  #dirty: Uint8Array;
  // --- per bucket (a pool; free buckets chained through #bucketNext)
  #count: Float64Array;
  #bucketPrev: Int32Array;
  #bucketNext: Int32Array;
  #first: Int32Array;
  #last: Int32Array;
  #freeBucket = NIL;
  /** the bucket with the lowest count, NIL when nothing is resident */
  #lowest = NIL;
  #size = 0;
  #writebacks = 0;

  constructor(readonly capacity: number, pageCount: number) {
    this.#bucketOf = new Int32Array(pageCount);
    this.#links = new Int32Array(2 * pageCount);
    this.#dirty = new Uint8Array(pageCount);
    const buckets = framesFor(capacity, pageCount) + 1;
    this.#count = new Float64Array(buckets);
    this.#bucketPrev = new Int32Array(buckets);
    this.#bucketNext = new Int32Array(buckets);
    this.#first = new Int32Array(buckets);
    this.#last = new Int32Array(buckets);
    this.#pool(0, buckets);
  }

  /** Chain buckets [from, to) onto the free list. */
  #pool(from: number, to: number): void {
    for (let b = to - 1; b >= from; b--) {
      this.#bucketNext[b] = this.#freeBucket;
      this.#freeBucket = b;
    }
  }

  growPages(pageCount: number): void {
    this.#bucketOf = grown(this.#bucketOf, pageCount);
    this.#links = grown(this.#links, 2 * pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
    const buckets = framesFor(this.capacity, pageCount) + 1;
    const had = this.#count.length;
    if (buckets > had) {
      this.#count = grown(this.#count, buckets);
      this.#bucketPrev = grown(this.#bucketPrev, buckets);
      this.#bucketNext = grown(this.#bucketNext, buckets);
      this.#first = grown(this.#first, buckets);
      this.#last = grown(this.#last, buckets);
      this.#pool(had, buckets);
    }
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#size;
  }

  access(page: number, write: boolean): boolean {
    const slot = this.#bucketOf[page]!;
    if (slot !== 0) {
      if (write) this.#dirty[page] = 1;
      const from = slot - 1;
      let to = this.#bucketNext[from]!;
      const count = this.#count[from]! + 1;
      if (to === NIL || this.#count[to] !== count) to = this.#newBucketAfter(from, count);
      this.#unlinkPage(page, from);
      this.#appendPage(page, to);
      return true;
    }
    if (this.#size === this.capacity) this.#evict();
    else this.#size++;
    let ones = this.#lowest;
    if (ones === NIL || this.#count[ones] !== 1) ones = this.#newBucketAfter(NIL, 1);
    this.#appendPage(page, ones);
    this.#dirty[page] = write ? 1 : 0;
    return false;
  }

  /** A bucket for `count` linked after `before` (NIL: at the front, as the lowest). */
  #newBucketAfter(before: number, count: number): number {
    const b = this.#freeBucket;
    this.#freeBucket = this.#bucketNext[b]!;
    const after = before === NIL ? this.#lowest : this.#bucketNext[before]!;
    this.#count[b] = count;
    this.#first[b] = NIL;
    this.#last[b] = NIL;
    this.#bucketPrev[b] = before;
    this.#bucketNext[b] = after;
    if (after !== NIL) this.#bucketPrev[after] = b;
    if (before === NIL) this.#lowest = b;
    else this.#bucketNext[before] = b;
    return b;
  }

  #appendPage(page: number, bucket: number): void {
    const links = this.#links;
    const tail = this.#last[bucket]!;
    links[2 * page] = tail;
    links[2 * page + 1] = NIL;
    if (tail === NIL) this.#first[bucket] = page;
    else links[2 * tail + 1] = page;
    this.#last[bucket] = page;
    this.#bucketOf[page] = bucket + 1;
  }

  /** Take `page` out of `bucket`; an emptied bucket leaves the list for the pool. */
  #unlinkPage(page: number, bucket: number): void {
    const links = this.#links;
    const prev = links[2 * page]!;
    const next = links[2 * page + 1]!;
    if (prev === NIL) this.#first[bucket] = next;
    else links[2 * prev + 1] = next;
    if (next === NIL) this.#last[bucket] = prev;
    else links[2 * next] = prev;
    this.#bucketOf[page] = 0;
    if (this.#first[bucket] !== NIL) return;
    const before = this.#bucketPrev[bucket]!;
    const after = this.#bucketNext[bucket]!;
    if (before === NIL) this.#lowest = after;
    else this.#bucketNext[before] = after;
    if (after !== NIL) this.#bucketPrev[after] = before;
    this.#bucketNext[bucket] = this.#freeBucket;
    this.#freeBucket = bucket;
  }

  /** Evict the first page of the lowest bucket. */
  #evict(): void {
    const bucket = this.#lowest;
    const victim = this.#first[bucket]!;
    if (this.#dirty[victim] === 1) this.#writebacks++;
    this.#dirty[victim] = 0;
    this.#unlinkPage(victim, bucket);
  }

  checkInvariants(): void {
    let pages = 0;
    let buckets = 0;
    let below = 0;
    let before = NIL;
    for (let b = this.#lowest; b !== NIL; b = this.#bucketNext[b]!) {
      invariant(this.#bucketPrev[b] === before, () => `lfu: bucket ${b} has a broken prev link`);
      invariant(this.#count[b]! > below, () => `lfu: bucket counts not ascending at ${this.#count[b]}`);
      invariant(this.#first[b] !== NIL, () => `lfu: bucket ${b} (count ${this.#count[b]}) is empty but listed`);
      below = this.#count[b]!;
      let prev = NIL;
      for (let p = this.#first[b]!; p !== NIL; p = this.#links[2 * p + 1]!) {
        invariant(this.#links[2 * p] === prev, () => `lfu: page ${p} has a broken prev link`);
        invariant(this.#bucketOf[p] === b + 1, () => `lfu: page ${p} is listed in bucket ${b} but points at ${this.#bucketOf[p]! - 1}`);
        prev = p;
        invariant(++pages <= this.capacity, () => `lfu: more than ${this.capacity} pages listed`);
      }
      invariant(this.#last[b] === prev, () => `lfu: bucket ${b}'s last page is not its list's last`);
      before = b;
      invariant(++buckets <= this.#count.length, () => 'lfu: the bucket list loops');
    }
    invariant(pages === this.#size, () => `lfu: ${pages} pages listed, ${this.#size} counted`);
    let resident = 0;
    for (const slot of this.#bucketOf) if (slot !== 0) resident++;
    invariant(resident === this.#size, () => `lfu: ${resident} pages marked resident, ${this.#size} counted`);
    let free = 0;
    for (let b = this.#freeBucket; b !== NIL; b = this.#bucketNext[b]!) invariant(++free <= this.#count.length, () => 'lfu: the free list loops');
    invariant(free + buckets === this.#count.length, () => `lfu: ${buckets} buckets listed and ${free} free of ${this.#count.length}`);
  }
}

export const lfu: PolicyFactory<Record<string, number>> = {
  name: 'lfu',
  description: 'least frequently used since loaded; ties go to the page that reached the count first',
  source: 'libCacheSim LFU.c (equal miss counts); O(1) buckets after Shah, Mitra & Matani 2010',
  params: [],
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('lfu', [], raw, at),
  create: (capacity, _params, pageCount) => new Lfu(capacity, pageCount),
};
