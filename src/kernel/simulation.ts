/**
 * Boots a machine from a resolved Scenario and runs it: the kernel, the pageout daemon, the
 * default and file pagers, and one user thread per task. The run loop turns kernel panics,
 * livelocks and deadlocks into outcomes of the run — never crashes of the program.
 */
import { Rng } from '../sim/rng.js';
import { Thread } from '../sim/scheduler.js';
import { DefaultPager } from '../pagers/default-pager.js';
import { FilePager } from '../pagers/file-pager.js';
import type { FrameInfo, Progress, RunOptions, SimulationHandle } from './api.js';
import { FrameState, FRAME_DIRTY, FRAME_EXTERNAL, FRAME_REFERENCED } from './api.js';
import { KernelLivelock, KernelPanic } from './assert.js';
import type { KernelEvent } from './events.js';
import { checkInvariants } from './invariants.js';
import { Kernel } from './kernel.js';
import type { VMObject } from './object.js';
import type { Page } from './page.js';
import { checkScenarioMemory, deriveThresholds, PRESETS } from './params.js';
import { vmPageout, type DaemonRecord } from './pageout.js';
import { pageGrab, pageWire } from './resident.js';
import type { Outcome, RunResult, Sample } from './result.js';
import type { Scenario } from './scenario.js';
import { Task, Vpages, type ObjectDirectory } from './task.js';

/** No task progressed for this long: the run is stuck even though timers still fire. */
/**
 * Simulated time is whole nanoseconds in a double: exact up to 2^53 (about 104 days). A run that
 * would pass it stops there, truncated, as at a time limit; past it the clock would round, and
 * a run could look finished or deadlocked when it is neither.
 */
const MAX_SIM_NS = Number.MAX_SAFE_INTEGER;
const STALL_NS = 120e9;
/** After the last task ends, let the pagers drain for at most this long. */
const DRAIN_NS = 30e9;

export class Simulation implements SimulationHandle, ObjectDirectory {
  readonly k: Kernel;
  readonly tasks: Task[] = [];
  readonly defaultPager: DefaultPager;
  readonly filePager: FilePager;
  readonly daemon: DaemonRecord;
  #outcome: Outcome | null = null;
  #detail = '';
  #truncated = false;
  readonly #files = new Map<string, VMObject>();
  readonly #vpages = new Vpages();
  readonly #threads: Thread[] = [];
  readonly #taskOf = new Map<Thread, Task>();
  readonly #sampleIntervalNs: number;
  #nextSampleAt = 0;
  #lastProgressRefs = 0;
  #lastProgressAt = 0;
  #lastRefs = 0;
  #stopRequested = false;
  #allDoneAt: number | null = null;

  constructor(
    readonly scenario: Scenario,
    private readonly opts: RunOptions = {},
  ) {
    const s = scenario;
    const preset = PRESETS[s.preset];
    checkScenarioMemory(s);
    const provisional = deriveThresholds(preset, s.tunables, s.machine.memoryPages);
    const k = (this.k = new Kernel(s.machine.memoryPages, s.machine.hz, s.machine.quantumNs, s.options, s.fixes, provisional.thresholds, provisional.daemon));
    if (opts.onEvent) k.emit = opts.onEvent;
    this.#sampleIntervalNs = opts.sampleIntervalNs ?? 10_000_000;
    const rng = new Rng(s.seed);
    this.defaultPager = new DefaultPager(k, s.pagers.default, rng.fork(1));
    this.filePager = new FilePager(k, s.pagers.file, rng.fork(2));
    k.defaultPager = this.defaultPager;
    k.filePager = this.filePager;

    // boot: the kernel's own memory is wired before the daemon starts
    for (let i = 0; i < s.machine.bootWiredPages; i++) {
      const m = pageGrab(k, false)!;
      m.busy = false;
      pageWire(k, m);
    }
    // vm_pageout(): thresholds from the free count when the daemon starts (spec §12.15)
    const derived = deriveThresholds(preset, s.tunables, k.freeCount);
    k.th = derived.thresholds;
    k.daemon = { ...derived.daemon, pauseCount: 0 };
    const daemonThread = new Thread('pageout daemon', 'kernel', true);
    this.daemon = {
      thread: daemonThread, burstCount: 0, iterations: 0, selectionPauses: 0, pauses: 0, wakeups: 0, doublePaged: 0,
      observeStop: false, lastCollectSecond: 0,
    };
    k.daemonRecord = this.daemon;
    k.pmapCollectAll = () => {
      for (const t of this.tasks) if (t.finishedNs === null) t.collectMappings();
    };
    this.#threads.push(daemonThread, this.defaultPager.thread, this.filePager.thread);
    k.sched.start(daemonThread, () => vmPageout(k, this.daemon));
    this.defaultPager.start();
    this.filePager.start();

    s.tasks.forEach((spec, i) => {
      const thread = new Thread(`task ${spec.name}`, 'user', false);
      const task = new Task(i, spec, thread, k, this.#vpages, this, spec.cpuNsPerRef ?? s.machine.cpuNsPerRef, s.machine.faultNs);
      this.tasks.push(task);
      this.#threads.push(thread);
      this.#taskOf.set(thread, task);
      k.sched.clock.at(spec.startNs, () => {
        task.started = true;
        if (k.emit) k.emit({ type: 'task', t: k.now, task: i, what: 'start' });
        k.sched.start(thread, () => {});
      });
    });
  }

  // ObjectDirectory
  fileObject(name: string): VMObject {
    let o = this.#files.get(name);
    if (o !== undefined && o.alive) {
      o.refCount++;
      return o;
    }
    // vm_object_enter for a pager's port: an external object, memory_object_init to its pager
    o = this.k.newObject(false, Infinity, `file ${name}`);
    o.pager = this.filePager;
    o.pagerCreated = true;
    o.pagerInitialized = true;
    o.useOldPageout = true;
    this.#files.set(name, o);
    this.filePager.init(o);
    const size = this.scenario.files?.find((f) => f.name === name)?.sizePages;
    if (size !== undefined) this.filePager.setFileSize(o, size);
    return o;
  }

  anonymousObject(_task: Task, name: string, sizePages: number): VMObject {
    return this.k.newObject(true, sizePages, name);
  }

  get now(): number {
    return this.k.now;
  }

  get done(): boolean {
    return this.#outcome !== null;
  }

  #refsDone(): number {
    let n = 0;
    for (const t of this.tasks) n += t.refsDone;
    return n;
  }

  #refsTotal(): number {
    let n = 0;
    for (const t of this.tasks) n += t.totalRefs;
    return n;
  }

  #finish(outcome: Outcome, detail: string): void {
    this.#outcome = outcome;
    this.#detail = detail;
    if (this.k.emit) this.k.emit({ type: 'outcome', t: this.k.now, outcome, detail });
    this.opts.onSample?.(this.sample());
    this.opts.onProgress?.(this.#progress());
  }

  #progress(): Progress {
    return { refsDone: this.#refsDone(), refsTotal: this.#refsTotal(), simNs: this.k.now };
  }

  /** One scheduling step, with outcome detection. Returns false when the run is over or `until` reached. */
  #step(until: number): boolean {
    if (this.#outcome !== null) return false;
    const k = this.k;
    const cap = this.scenario.maxSimNs > 0 ? Math.min(this.scenario.maxSimNs, MAX_SIM_NS) : MAX_SIM_NS;
    // a stall is found when it has lasted STALL_NS, not at the next event after it (a pause of
    // minutes), nor at whatever moment a caller's slice happened to end
    const stallAt = this.#lastProgressAt + STALL_NS;
    const limit = Math.min(until, cap, stallAt, this.#allDoneAt !== null ? this.#allDoneAt + DRAIN_NS : Infinity);
    // An idle machine jumps to its next timer in one step, and its state holds meanwhile: the
    // samples due in the jump are taken now, each at its own time (the series had gaps of hundreds
    // of ms while every thread waited on a pager). Not once every task has ended (the pagers'
    // drain is not part of the run's time), nor with no timer pending (a deadlock, not a wait).
    if (this.opts.onSample !== undefined && k.sched.idle && this.#allDoneAt === null) {
      const next = k.sched.clock.nextTime();
      if (next !== Infinity) this.#sampleIdleUntil(Math.min(limit, next));
    }
    let progressed: boolean;
    try {
      progressed = k.sched.runOnce(limit, (t, lim) => this.#taskOf.get(t)!.run(lim));
      if (k.options.checks === 'full') checkInvariants(k);
    } catch (e) {
      if (e instanceof KernelPanic) {
        this.#finish('panic', `${e.message}${e.step ? ` (at ${e.step})` : ''} at t=${formatNs(e.t)}`);
        return false;
      }
      if (e instanceof KernelLivelock) {
        this.#finish('livelock', `${e.message} (at ${e.step}) at t=${formatNs(e.t)}`);
        return false;
      }
      throw e;
    }
    this.#afterStep();
    if (this.#outcome !== null) return false;
    if (progressed) return true;
    // nothing can happen before `limit`
    const allDone = this.tasks.every((t) => t.finishedNs !== null);
    if (allDone) {
      this.#finish('completed', '');
      return false;
    }
    if (k.now >= cap) {
      this.#truncated = true;
      this.#finish('completed', cap === MAX_SIM_NS
        ? `stopped at ${formatNs(cap)} (2^53 ns), the most simulated time counts exactly, before every task finished`
        : `stopped at the time limit (maxTime) ${formatNs(cap)} before every task finished`);
      return false;
    }
    if (k.now < until && k.sched.idle && k.sched.clock.nextTime() === Infinity) {
      const waiting = this.#threads.filter((t) => t.state === 'waiting' && t.kind === 'user').map((t) => `${t.name} (${t.waitReason})`);
      this.#finish('deadlock', `every thread waits and no timer is pending: ${waiting.join('; ')}`);
    }
    return false;
  }

  /** Samples at every sample time before `end`, of the state now (nothing runs until `end`). */
  #sampleIdleUntil(end: number): void {
    if (this.#nextSampleAt >= end || this.#nextSampleAt <= this.k.now) return;
    const state = this.sample();
    for (; this.#nextSampleAt < end; this.#nextSampleAt += this.#sampleIntervalNs) this.opts.onSample!({ ...state, t: this.#nextSampleAt });
  }

  #afterStep(): void {
    const k = this.k;
    const now = k.now;
    if (this.#allDoneAt === null && this.tasks.length > 0 && this.tasks.every((t) => t.finishedNs !== null)) this.#allDoneAt = now;
    if (this.opts.onSample && now >= this.#nextSampleAt) {
      this.opts.onSample(this.sample());
      this.#nextSampleAt = now - (now % this.#sampleIntervalNs) + this.#sampleIntervalNs;
    }
    const refs = this.#refsDone();
    if (this.opts.onProgress && refs - this.#lastProgressRefs >= 65536) {
      this.#lastProgressRefs = refs;
      this.opts.onProgress(this.#progress());
    }
    if (refs !== this.#lastRefs || this.#allDoneAt !== null || this.tasks.every((t) => !t.started || t.finishedNs !== null)) {
      this.#lastRefs = refs;
      this.#lastProgressAt = now;
    } else if (now - this.#lastProgressAt >= STALL_NS) {
      const waiting = this.#threads.filter((t) => t.state === 'waiting').map((t) => `${t.name} (${t.waitReason})`);
      this.#finish('deadlock', `no task made progress for ${formatNs(STALL_NS)} of simulated time; waiting: ${waiting.join('; ')}`);
    }
  }

  get referencesDone(): number {
    return this.#refsDone();
  }

  runUntil(t: number): void {
    // simulated time is whole nanoseconds: a caller's slice (the visualizer's, sized by wall-clock
    // throughput) must not leave the clock, or an outcome's time, between two
    const until = Math.floor(t);
    while (this.#step(until));
  }

  stepDaemonEvent(): KernelEvent | null {
    if (this.#outcome !== null) return null;
    let last: KernelEvent | null = null;
    const k = this.k;
    const prev = k.emit;
    k.emit = (e) => {
      prev?.(e);
      if (e.type === 'scan' || e.type === 'pause' || e.type === 'daemon-sleep' || e.type === 'daemon-wakeup' || e.type === 'daemon-start') {
        last = e;
        this.#stopRequested = true;
        this.daemon.observeStop = true;
      }
    };
    this.#stopRequested = false;
    try {
      while (!this.#stopRequested && this.#step(Infinity));
    } finally {
      k.emit = prev;
      this.daemon.observeStop = false;
    }
    return last;
  }

  stepReferences(n: number): void {
    // advance by the CPU time the references need, so a step stops near them, not at a slice's end
    const cpu = Math.max(1, Math.min(...this.tasks.map((t) => t.cpuNs)));
    const target = this.#refsDone() + n;
    for (let left = n; left > 0 && !this.done; left = target - this.#refsDone()) {
      const before = this.k.now;
      this.runUntil(this.k.now + left * cpu);
      if (this.k.now === before && !this.#step(Infinity)) break;
    }
  }

  runToEnd(): RunResult {
    this.runUntil(Infinity);
    return this.result();
  }

  sample(): Sample {
    const k = this.k;
    return {
      t: k.now,
      free: k.freeCount,
      active: k.activeCount,
      inactive: k.inactiveCount,
      inactiveTarget: k.inactiveTarget,
      wired: k.wireCount,
      laundry: k.laundryCount,
      external: k.externalCount,
      burstWait: k.daemon.burstWaitMs,
      faults: k.vmStat.faults,
      pageins: k.vmStat.pageins,
      pageouts: k.vmStat.pageouts,
      reactivations: k.vmStat.reactivations,
      taskRefs: this.tasks.map((t) => t.refsDone),
    };
  }

  result(): RunResult {
    const k = this.k;
    const s = this.scenario;
    let readsChecked = 0;
    let lostWrites = 0;
    for (const t of this.tasks) {
      readsChecked += t.readsChecked;
      lostWrites += t.lostWrites;
    }
    return {
      scenario: s.name,
      preset: s.preset,
      seed: s.seed,
      outcome: this.#outcome ?? 'completed',
      outcomeDetail: this.#outcome === null ? 'run still in progress' : this.#detail,
      truncated: this.#truncated,
      simulatedTimeNs: k.now,
      misses: this.tasks.reduce((n, t) => n + t.misses, 0),
      totalPages: s.machine.memoryPages,
      pageSize: s.machine.pageSize,
      vmStat: { ...k.vmStat },
      pageoutCounters: k.stats.toJson(),
      thresholds: { ...k.th },
      inactiveTarget: k.inactiveTarget,
      maxLaundryCount: k.maxLaundryCount,
      minFreeCount: k.minFreeCount,
      finalBurstWait: k.daemon.burstWaitMs,
      selectionPauses: this.daemon.selectionPauses,
      pauses: this.daemon.pauses,
      daemonWakeups: this.daemon.wakeups,
      doublePaged: this.daemon.doublePaged,
      defects: k.defects.map((d) => ({ ...d })),
      integrity: { readsChecked, lostWrites, lostWritesFromInjectedErrors: k.lostWritesFromInjectedErrors },
      final: { free: k.freeCount, active: k.activeCount, inactive: k.inactiveCount, wired: k.wireCount, laundry: k.laundryCount, external: k.externalCount },
      tasks: this.tasks.map((t) => ({
        name: t.spec.name,
        references: t.refsDone,
        faults: t.faults,
        misses: t.misses,
        finishedNs: t.finishedNs,
        readsChecked: t.readsChecked,
        lostWrites: t.lostWrites,
        ...(t.error !== null ? { error: t.error } : {}),
      })),
    };
  }

  frameStates(states: Uint8Array, marks: Uint8Array): void {
    for (const m of this.k.pages) {
      states[m.frame] = this.#state(m);
      marks[m.frame] = this.#marks(m);
    }
  }

  #state(m: Page): FrameState {
    return m.free ? FrameState.Free : m.laundry ? FrameState.Laundry : m.wireCount > 0 ? FrameState.Wired : m.busy ? FrameState.Busy : m.active ? FrameState.Active : m.inactive ? FrameState.Inactive : FrameState.Loose;
  }

  #marks(m: Page): number {
    if (m.free) return 0;
    const k = this.k;
    const o = m.object;
    const external = o !== null && (!o.internal || (o.carriesFrom !== null && !o.carriesFrom.object.internal));
    return (m.dirty || k.pmap.isModified(m.frame) ? FRAME_DIRTY : 0) | (m.reference || k.pmap.isReferenced(m.frame) ? FRAME_REFERENCED : 0) | (external ? FRAME_EXTERNAL : 0);
  }

  frameInfo(frame: number): FrameInfo {
    const m = this.k.pages[frame]!;
    const marks = this.#marks(m);
    return {
      frame,
      state: this.#state(m),
      object: m.free || m.object === null ? -1 : m.object.id,
      offset: m.offset,
      internal: m.object?.internal ?? true,
      dirty: (marks & FRAME_DIRTY) !== 0,
      referenced: (marks & FRAME_REFERENCED) !== 0,
      busy: m.busy && !m.free,
      wireCount: m.wireCount,
    };
  }
}

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${ns} ns`;
}

export function createSimulation(scenario: Scenario, opts?: RunOptions): Simulation {
  return new Simulation(scenario, opts);
}

export function runScenario(scenario: Scenario, opts?: RunOptions): RunResult {
  return new Simulation(scenario, opts).runToEnd();
}
