/**
 * The kernel model's public surface for the layers above (report, cli, web). Contract first:
 * `Simulation` is resumable (the visualizer steps it), `runScenario` runs one to the end.
 */
import type { KernelEvent } from './events.js';
import type { RunResult, Sample } from './result.js';
import type { Ns } from './scenario.js';

export interface Progress {
  refsDone: number;
  /** NaN when a task's stream length is unknown */
  refsTotal: number;
  simNs: Ns;
}

export interface RunOptions {
  /** simulated time between samples given to onSample; default 10 ms */
  sampleIntervalNs?: Ns;
  onSample?: (s: Sample) => void;
  /** called about every 2^16 references and at the end */
  onProgress?: (p: Progress) => void;
  /** every kernel event; slows the run, meant for the visualizer, narration and tests */
  onEvent?: (e: KernelEvent) => void;
}

/** Frame states for the memory grid (one byte per physical page). */
export enum FrameState {
  Free = 0,
  Active = 1,
  Inactive = 2,
  Laundry = 3,
  Wired = 4,
  Busy = 5,
  Loose = 6,
}
/** Marks for the memory grid, OR-ed in a second byte per frame. */
export const FRAME_DIRTY = 1; // dirty bit or pmap modify bit set
export const FRAME_REFERENCED = 2; // software reference or pmap reference bit set
export const FRAME_EXTERNAL = 4; // page of an external (file) object
export const FRAME_HOLDING = 8; // a busy fictitious holding page sits at this page's old place

export interface FrameInfo {
  frame: number;
  state: FrameState;
  object: number; // -1 when free
  offset: number; // in pages
  internal: boolean;
  dirty: boolean;
  referenced: boolean;
  busy: boolean;
  wireCount: number;
}

/**
 * A resumable kernel run. `createSimulation` boots the machine (thresholds are computed when the
 * daemon starts, as vm_pageout() does); nothing runs until a method asks for it.
 */
export interface SimulationHandle {
  readonly now: Ns;
  /** every task finished, or the run ended in panic / livelock / deadlock, or maxSimNs was reached */
  readonly done: boolean;
  /** user references made so far, summed over the tasks */
  readonly referencesDone: number;
  /** Advance until simulated time `t` (or the end). */
  runUntil(t: Ns): void;
  /** Advance until the next daemon event (scan step, pause, wakeup, sleep); return it, or null at the end. */
  stepDaemonEvent(): import('./events.js').KernelEvent | null;
  /** Advance by `n` user references (summed over all tasks), or to the end. */
  stepReferences(n: number): void;
  /** Run to the end and return the result. */
  runToEnd(): RunResult;
  /** The result so far (final once `done`). */
  result(): RunResult;
  /** The current sample (queue lengths, thresholds-relevant counts, counters). */
  sample(): Sample;
  /** Fill one FrameState byte and one marks byte (FRAME_*) per physical page. */
  frameStates(states: Uint8Array, marks: Uint8Array): void;
  frameInfo(frame: number): FrameInfo;
}
