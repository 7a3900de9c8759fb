/**
 * Intrusive doubly linked lists over dense page ids, in typed arrays: libCacheSim's
 * `prepend_obj_to_head` / `remove_obj_from_list` / `move_obj_to_head` without a pointer per object.
 *
 * One `PageLists` holds up to 255 disjoint lists (ARC's T1, T2, B1, B2; 2Q's A1in, A1out, Am):
 * a page is in at most one of them, and `listOf[page]` says which (0 = none). Head = most recently
 * inserted, tail = oldest. Every operation is O(1) and allocates nothing.
 */
import { grown } from './grow.js';
import { invariant } from './policy.js';

export const NIL = -1;

export class PageLists {
  /**
   * prev and next of each page side by side (links[2p], links[2p + 1]), NIL at the ends: a move
   * reads and writes one cache line for the page, where two arrays cost two.
   */
  #links: Int32Array;
  /** 0 = in no list, else list number 1..lists */
  listOf: Uint8Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly size: Int32Array;

  constructor(pageCount: number, lists: number) {
    invariant(lists >= 1 && lists <= 255, () => `PageLists: bad list count ${lists}`);
    this.#links = new Int32Array(2 * pageCount).fill(NIL);
    this.listOf = new Uint8Array(pageCount);
    this.head = new Int32Array(lists + 1).fill(NIL);
    this.tail = new Int32Array(lists + 1).fill(NIL);
    this.size = new Int32Array(lists + 1);
  }

  /** Room for page ids 0..pageCount−1; the new pages are in no list. */
  growPages(pageCount: number): void {
    this.#links = grown(this.#links, 2 * pageCount, NIL);
    this.listOf = grown(this.listOf, pageCount);
  }

  /** Put `page` (in no list) at the head of `list`. */
  pushHead(list: number, page: number): void {
    const links = this.#links;
    const h = this.head[list]!;
    links[2 * page] = NIL;
    links[2 * page + 1] = h;
    if (h !== NIL) links[2 * h] = page;
    else this.tail[list] = page;
    this.head[list] = page;
    this.listOf[page] = list;
    this.size[list]!++;
  }

  /** Take `page` out of whatever list holds it (it must be in one). */
  remove(page: number): void {
    const links = this.#links;
    const list = this.listOf[page]!;
    const p = links[2 * page]!;
    const n = links[2 * page + 1]!;
    if (p !== NIL) links[2 * p + 1] = n;
    else this.head[list] = n;
    if (n !== NIL) links[2 * n] = p;
    else this.tail[list] = p;
    this.listOf[page] = 0;
    this.size[list]!--;
  }

  /** Move `page` to the head of `list` (from any list, or the same one). */
  moveToHead(list: number, page: number): void {
    if (this.listOf[page] === list && this.head[list] === page) return;
    this.remove(page);
    this.pushHead(list, page);
  }

  /** Remove and return the tail (oldest) of `list`, or NIL when it is empty. */
  popTail(list: number): number {
    const t = this.tail[list]!;
    if (t !== NIL) this.remove(t);
    return t;
  }

  /** Walk `list` head to tail and check links, membership and size (tests only: O(size)). */
  check(list: number, name: string): void {
    let n = 0;
    let prev = NIL;
    for (let p = this.head[list]!; p !== NIL; p = this.#links[2 * p + 1]!) {
      invariant(this.listOf[p] === list, () => `${name}: page ${p} tagged ${this.listOf[p]}, found in list ${list}`);
      invariant(this.#links[2 * p] === prev, () => `${name}: broken prev link at page ${p}`);
      prev = p;
      n++;
      invariant(n <= this.listOf.length, () => `${name}: cycle in list ${list}`);
    }
    invariant(this.tail[list] === prev, () => `${name}: tail ${this.tail[list]} is not the last page ${prev}`);
    invariant(this.size[list] === n, () => `${name}: size ${this.size[list]} but ${n} pages linked`);
  }
}
