/**
 * The seed's asserts (assertions are on in GNU Mach builds: a failed assert is a panic) and our
 * own invariants. The lazy message keeps the hot path free of string building.
 */
import type { ScanStep } from './events.js';

/** A kernel panic: an outcome of the run, reported with the simulated time and the step. */
export class KernelPanic extends Error {
  override name = 'KernelPanic';
  constructor(
    message: string,
    readonly t: number,
    readonly step: ScanStep | null,
  ) {
    super(message);
  }
}

/** The daemon spins in zero time with the page-queues lock held (spec §4.3 B2). */
export class KernelLivelock extends Error {
  override name = 'KernelLivelock';
  constructor(
    message: string,
    readonly t: number,
    readonly step: ScanStep | null,
  ) {
    super(message);
  }
}

interface HasClockAndStep {
  readonly sched: { readonly clock: { readonly now: number } };
  currentStep: ScanStep | null;
}

export function kassert(k: HasClockAndStep, cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new KernelPanic(`assertion failed: ${message()}`, k.sched.clock.now, k.currentStep);
}

export function panic(k: HasClockAndStep, message: string): never {
  throw new KernelPanic(`panic: ${message}`, k.sched.clock.now, k.currentStep);
}
