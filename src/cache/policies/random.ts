/**
 * RANDOM: evict a page chosen uniformly at random among the resident ones; the baseline every
 * policy with a notion of the future or the past should beat.
 *
 * Resident pages sit in an array of frames, so a victim is one draw of a seeded generator (the
 * project's xoshiro128**, src/sim/rng.ts) and the new page takes its frame. The same seed gives the
 * same evictions everywhere; `--param random.seed=N` draws another sequence. libCacheSim's
 * `Random.c` evicts the same way, with its own generator, so counts agree only in distribution.
 */
import { Rng } from '../../sim/rng.js';
import { framesFor, grown } from '../grow.js';
import { invariant, parseParamTable, type ParamInfo, type Policy, type PolicyFactory } from '../policy.js';

const PARAMS: readonly ParamInfo[] = [
  { key: 'seed', defaultValue: 1, min: 0, max: 4294967295, integer: true, description: 'seed of the victim draws' },
];

export class RandomPolicy implements Policy {
  /** frame + 1 of each page, 0 = not resident */
  #frameOf: Int32Array;
  #dirty: Uint8Array;
  /** the page in each frame */
  #pages: Int32Array;
  #used = 0;
  #writebacks = 0;
  readonly #rng: Rng;

  constructor(readonly capacity: number, pageCount: number, seed: number) {
    this.#frameOf = new Int32Array(pageCount);
    this.#dirty = new Uint8Array(pageCount);
    this.#pages = new Int32Array(framesFor(capacity, pageCount));
    this.#rng = new Rng(seed);
  }

  growPages(pageCount: number): void {
    this.#frameOf = grown(this.#frameOf, pageCount);
    this.#dirty = grown(this.#dirty, pageCount);
    const frames = framesFor(this.capacity, pageCount);
    if (frames > this.#pages.length) this.#pages = grown(this.#pages, frames);
  }

  get writebacks(): number {
    return this.#writebacks;
  }
  get resident(): number {
    return this.#used;
  }

  access(page: number, write: boolean): boolean {
    if (this.#frameOf[page] !== 0) {
      if (write) this.#dirty[page] = 1;
      return true;
    }
    let frame: number;
    if (this.#used < this.capacity) frame = this.#used++;
    else {
      frame = this.#rng.below(this.capacity);
      const victim = this.#pages[frame]!;
      if (this.#dirty[victim] === 1) this.#writebacks++;
      this.#dirty[victim] = 0;
      this.#frameOf[victim] = 0;
    }
    this.#pages[frame] = page;
    this.#frameOf[page] = frame + 1;
    this.#dirty[page] = write ? 1 : 0;
    return false;
  }

  checkInvariants(): void {
    invariant(this.#used <= this.capacity, () => `random: ${this.#used} resident > capacity ${this.capacity}`);
    for (let f = 0; f < this.#used; f++) {
      const p = this.#pages[f]!;
      invariant(this.#frameOf[p] === f + 1, () => `random: frame ${f} holds page ${p}, which points at ${this.#frameOf[p]! - 1}`);
    }
    let resident = 0;
    for (let p = 0; p < this.#frameOf.length; p++) {
      if (this.#frameOf[p] !== 0) resident++;
      else invariant(this.#dirty[p] === 0, () => `random: page ${p} is dirty but not resident`);
    }
    invariant(resident === this.#used, () => `random: ${resident} pages marked resident, ${this.#used} in frames`);
  }
}

export const random: PolicyFactory<Record<string, number>> = {
  name: 'random',
  description: 'a uniformly random victim, from a seeded generator (the baseline)',
  source: 'libCacheSim Random.c evicts the same way with its own generator: equal in distribution, not in counts',
  params: PARAMS,
  minCapacity: 1,
  parseParams: (raw, at) => parseParamTable('random', PARAMS, raw, at),
  create: (capacity, params, pageCount) => new RandomPolicy(capacity, pageCount, params['seed']!),
};
