/**
 * Synthetic page-reference streams: sequential passes, loops, uniform random, a hot set with
 * periodic scans, and phases of the above. Deterministic for a seed; browser-safe (no Node).
 * Each yields page numbers from `startPage` (default 0) upward, with a share of writes.
 */
import { Rng } from '../sim/rng.js';
import { RefBatch, REF_WRITE, type RefSource } from '../kernel/ref-source.js';

export type GeneratorSpec =
  | { kind: 'sequential'; pages: number; passes: number; writeFraction: number; startPage?: number }
  | { kind: 'loop'; pages: number; iterations: number; writeFraction: number; startPage?: number }
  | { kind: 'uniform'; pages: number; references: number; writeFraction: number; startPage?: number }
  | {
      kind: 'hotset';
      hotPages: number;
      coldPages: number;
      references: number;
      /** probability that a reference outside a scan goes to the hot set */
      hotProbability: number;
      /** every this many references a scan of `scanLength` cold pages runs (0 = never) */
      scanEvery: number;
      scanLength: number;
      writeFraction: number;
      startPage?: number;
    }
  | { kind: 'phases'; phases: GeneratorSpec[] };

export type GeneratorKind = GeneratorSpec['kind'];
export const GENERATOR_KINDS: readonly GeneratorKind[] = ['sequential', 'loop', 'uniform', 'hotset', 'phases'];

/** Total references a spec produces. */
export function generatorLength(spec: GeneratorSpec): number {
  switch (spec.kind) {
    case 'sequential': return spec.pages * spec.passes;
    case 'loop': return spec.pages * spec.iterations;
    case 'uniform': return spec.references;
    case 'hotset': return spec.references;
    case 'phases': return spec.phases.reduce((n, p) => n + generatorLength(p), 0);
  }
}

export function describeGenerator(spec: GeneratorSpec): string {
  switch (spec.kind) {
    case 'sequential': return `sequential ${spec.pages} pages × ${spec.passes}`;
    case 'loop': return `loop over ${spec.pages} pages × ${spec.iterations}`;
    case 'uniform': return `uniform over ${spec.pages} pages, ${spec.references} refs`;
    case 'hotset': return `hot set ${spec.hotPages} + cold ${spec.coldPages} pages, scans of ${spec.scanLength} every ${spec.scanEvery}`;
    case 'phases': return `phases: ${spec.phases.map(describeGenerator).join('; ')}`;
  }
}

/** A producer writes the i-th reference of its own phase; returns the page. */
type Producer = (i: number) => number;

function producerFor(spec: Exclude<GeneratorSpec, { kind: 'phases' }>, rng: Rng): Producer {
  const base = spec.startPage ?? 0;
  switch (spec.kind) {
    case 'sequential':
    case 'loop':
      return (i) => base + (i % spec.pages);
    case 'uniform':
      return () => base + rng.below(spec.pages);
    case 'hotset': {
      let scanLeft = 0;
      let scanPos = 0;
      return (i) => {
        if (spec.scanEvery > 0 && i > 0 && i % spec.scanEvery === 0) scanLeft = spec.scanLength;
        if (scanLeft > 0) {
          scanLeft--;
          const page = base + spec.hotPages + (scanPos % Math.max(1, spec.coldPages));
          scanPos++;
          return page;
        }
        if (spec.coldPages === 0 || rng.next() < spec.hotProbability) return base + rng.below(spec.hotPages);
        return base + spec.hotPages + rng.below(spec.coldPages);
      };
    }
  }
}

function flatten(spec: GeneratorSpec): Exclude<GeneratorSpec, { kind: 'phases' }>[] {
  return spec.kind === 'phases' ? spec.phases.flatMap(flatten) : [spec];
}

class GeneratorSource implements RefSource {
  readonly totalRefs: number;
  readonly description: string;
  readonly #phases: Exclude<GeneratorSpec, { kind: 'phases' }>[];
  readonly #rng: Rng;
  #phase = 0;
  #index = 0;
  #produce: Producer | null = null;

  constructor(spec: GeneratorSpec, seed: number) {
    this.#phases = flatten(spec);
    this.#rng = new Rng(seed);
    this.totalRefs = generatorLength(spec);
    this.description = describeGenerator(spec);
  }

  read(batch: RefBatch): number {
    let n = 0;
    while (n < batch.capacity && this.#phase < this.#phases.length) {
      const spec = this.#phases[this.#phase]!;
      if (this.#produce === null) this.#produce = producerFor(spec, this.#rng);
      const length = generatorLength(spec);
      while (n < batch.capacity && this.#index < length) {
        batch.page[n] = this.#produce(this.#index);
        batch.flags[n] = spec.writeFraction > 0 && this.#rng.next() < spec.writeFraction ? REF_WRITE : 0;
        batch.count[n] = 1;
        n++;
        this.#index++;
      }
      if (this.#index >= length) {
        this.#phase++;
        this.#index = 0;
        this.#produce = null;
      }
    }
    return n;
  }

  close(): void {}
}

export function createGenerator(spec: GeneratorSpec, seed: number): RefSource {
  return new GeneratorSource(spec, seed);
}
