/**
 * The one message union between the page and the simulation worker (Vite's HMR payload: plain
 * data, a `type` on each). Typed arrays of frame states are transferred, never copied; everything
 * else is structured-clone friendly. The worker owns the kernel; the page owns what is drawn and
 * the recorded history.
 */
import type { FrameInfo } from '../../src/kernel/api.js';
import type { KernelEventType } from '../../src/kernel/events.js';
import type { RunResult, Sample } from '../../src/kernel/result.js';
import type { Fixes, Ns, PresetName, Tunables } from '../../src/kernel/scenario.js';

/** Where the run's workload comes from. */
export type WorkloadChoice =
  /** a scenario of the catalog (a shipped YAML file or a built-in synthetic preset), by id */
  | { kind: 'catalog'; id: string }
  /** a trace file the user dropped: one task, the scenario's other settings from the defaults */
  | { kind: 'trace'; name: string; bytes: ArrayBuffer };

/** Everything that defines a run. `null` fields keep the scenario's own value. */
export interface RunConfig {
  workload: WorkloadChoice;
  memoryPages: number | null;
  /**
   * Memory as a share of the distinct pages the workload touches (the Memory field's `25%`), as
   * `pageout run --memory 25%` takes it; when set, it decides the memory and memoryPages is null.
   */
  memoryShare: number | null;
  preset: PresetName | null;
  /** only the tunables the user set; merged over the scenario's */
  tunables: Tunables;
  /** only the defects the user switched; the others keep the scenario's setting */
  fixes: Partial<Fixes>;
  /** which events reach the log: the daemon's (and pagers', tasks') or also every fault and page-in */
  logDetail: LogDetail;
}

export type LogDetail = 'daemon' | 'all';

export interface CatalogEntry {
  id: string;
  title: string;
  description: string;
  /** 'shipped' = a YAML file under scenarios/ (the same one `pageout run` reads); 'preset' = built in */
  origin: 'shipped' | 'preset';
}

/** What the page learns when a run is (re)loaded. */
export interface RunInfo {
  scenario: string;
  description: string;
  memoryPages: number;
  pageSize: number;
  preset: PresetName;
  seed: number;
  /** the scenario's tunables after the user's overrides (only those set) */
  tunables: Tunables;
  fixes: Fixes;
  tasks: { name: string; description: string; totalRefs: number }[];
  /** bumps with each load, so late updates of a previous run are dropped */
  generation: number;
}

/** One narrated line of the event log. */
export interface LogLine {
  /** position in the whole run's log (0-based), also what history snapshots remember */
  seq: number;
  t: Ns;
  kind: KernelEventType;
  /** S1…S16 when the event names a step of the seed */
  step: string | null;
  text: string;
  /** the physical page the event is about, -1 if none */
  frame: number;
}

/** A redraw's worth of state, at most ~30 a second. */
export interface Update {
  type: 'update';
  generation: number;
  now: Ns;
  done: boolean;
  running: boolean;
  /** one FrameState byte per physical page (transferred) */
  states: Uint8Array;
  /** one FRAME_* marks byte per physical page (transferred) */
  marks: Uint8Array;
  sample: Sample;
  /** samples taken since the previous update, in time order */
  samples: Sample[];
  /** new log lines since the previous update (the newest ones if there were too many) */
  log: LogLine[];
  /** lines logged since the run began, including those not sent */
  logTotal: number;
  result: RunResult;
  /** the frame the last daemon step touched, -1 if none */
  focusFrame: number;
  /** wall-clock ms the worker spent simulating for this update */
  busyMs: number;
  /** the tasks again, when the kernel opened a stream since the last update (its length is known then) */
  tasks?: RunInfo['tasks'];
  /** the `command` number of the last step, rewind, play or pause done before this update (0: none yet) */
  answered: number;
}

export type PageToWorker =
  | { type: 'load'; config: RunConfig }
  /**
   * play and pause carry a `command` number too, echoed as `answered`: an update sent before the
   * worker met them still says the old running state, and the page must not take it (the Play
   * button flickered back for a frame when pressed during a step)
   */
  | { type: 'play'; command: number }
  | { type: 'pause'; command: number }
  /** simulated ns per wall-clock second; 0 = as fast as the machine allows */
  | { type: 'speed'; simNsPerSecond: number }
  /**
   * advance to the next decision of the daemon that names a step S1–S16. Steps and rewinds carry
   * a rising `command` number, which updates echo as `answered`, so the page knows when each is done.
   */
  | { type: 'step-daemon'; command: number }
  | { type: 'step-refs'; n: number; command: number }
  | { type: 'run-to-end' }
  /** rerun the same configuration from the start, up to simulated time t (deterministic replay) */
  | { type: 'rewind'; t: Ns; command: number }
  | { type: 'frame-info'; frame: number; requestId: number }
  /** the page drew the last update: the worker may send the next (at most one in flight) */
  | { type: 'ack'; generation: number };

export type WorkerToPage =
  | { type: 'catalog'; entries: CatalogEntry[]; defaultId: string }
  | { type: 'loaded'; info: RunInfo }
  | Update
  | { type: 'frame-info'; requestId: number; info: FrameInfo | null }
  /** bad input (a trace that does not parse, a tunable out of range) or a kernel failure */
  | { type: 'error'; message: string };
