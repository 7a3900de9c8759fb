/**
 * A set of page numbers (integers in [0, 2^53)) in one open-addressing Float64Array, for
 * counting distinct pages over traces of any length: 8 bytes a slot at ≤ 50 % load, no object
 * per page (a Map of every page costs ~10× the memory and time).
 */
const EMPTY = -1;

export class PageSet {
  #slots: Float64Array;
  #mask: number;
  /** distinct pages added */
  size = 0;

  constructor(initialCapacity = 1 << 12) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.#slots = new Float64Array(capacity).fill(EMPTY);
    this.#mask = capacity - 1;
  }

  /** Add `page`; true if it was not there before. */
  add(page: number): boolean {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = hash(page) & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === page) return false;
      if (s === EMPTY) break;
      i = (i + 1) & mask;
    }
    slots[i] = page;
    this.size++;
    if (this.size * 2 > slots.length) this.#grow();
    return true;
  }

  has(page: number): boolean {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = hash(page) & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === page) return true;
      if (s === EMPTY) return false;
      i = (i + 1) & mask;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Float64Array(old.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let k = 0; k < old.length; k++) {
      const page = old[k]!;
      if (page === EMPTY) continue;
      let i = hash(page) & mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = page;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}

/** Mix both 32-bit halves (ids above 2^32 exist) into well-spread low bits. */
function hash(page: number): number {
  const low = page >>> 0;
  const high = (page / 4294967296) >>> 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
