/**
 * The worker's side of the visualizer: one kernel run, advanced in slices that each fit a frame
 * (~30 ms), and the compact updates the page draws. Knows no DOM and no Worker API: worker.ts
 * plumbs messages in and out, so the same class can run anywhere.
 */
import type { RunOptions, SimulationHandle } from '../../src/kernel/api.js';
import { narrate, type KernelEvent } from '../../src/kernel/events.js';
import type { Sample } from '../../src/kernel/result.js';
import type { Scenario } from '../../src/kernel/scenario.js';
import type { LogDetail, LogLine, PageToWorker, RunConfig, RunInfo, WorkerToPage } from './protocol.js';

export type CreateSimulation = (scenario: Scenario, opts: RunOptions) => SimulationHandle;
export type BuildScenario = (config: RunConfig) => Scenario;
export type Post = (msg: WorkerToPage, transfer?: ArrayBuffer[]) => void;

/** Simulated time between the kernel's samples: fine enough to see single disk waits (5 ms). */
export const SAMPLE_INTERVAL_NS = 2_000_000;
/** Wall-clock budget of one slice; the page redraws after each. */
const SLICE_MS = 28;
const FRAME_MS = 33;
/** Samples kept between two updates before they thin out (see Session.#queueSample). */
const PENDING_SAMPLES_MAX = 8192;
/** Log lines kept between two updates; when a slice logs more, only the newest reach the page. */
const PENDING_LOG_MAX = 500;
/** How far "step" may walk before giving up on finding a step S1–S16 (the run may have ended). */
const STEP_SEARCH_LIMIT = 100_000;

/** Events a 'daemon' log shows: the daemon's decisions and what they cause, not every fault. */
function shownAt(detail: LogDetail, e: KernelEvent): boolean {
  if (detail === 'all') return true;
  return e.type !== 'fault' && e.type !== 'pagein';
}

function stepOf(e: KernelEvent): string | null {
  switch (e.type) {
    case 'scan': return e.step;
    case 'pause': return 'S4';
    case 'defect': return e.step;
    default: return null;
  }
}

function frameOf(e: KernelEvent): number {
  switch (e.type) {
    case 'scan': return e.page ? e.page.frame : -1;
    case 'pageout':
    case 'pagein': return e.page.frame;
    case 'laundry-done': return e.frame;
    default: return -1;
  }
}

export class Session {
  #config: RunConfig | null = null;
  #sim: SimulationHandle | null = null;
  #info: RunInfo | null = null;
  #generation = 0;
  #running = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #simNsPerSecond = 100_000_000;
  #lastTick = 0;
  /** measured wall ms a reference costs (with its faults and the daemon's work), to size the next call */
  #msPerRef = 0;
  /** the least CPU time a reference takes in this run: a call of N references' worth spans at most N of them */
  #minCpuNs = 1;
  /** references per slice when running as fast as possible */
  #refChunk = 20_000;
  #pendingEvents: KernelEvent[] = [];
  #pendingSamples: Sample[] = [];
  #logTotal = 0;
  /** during a rewind the replayed events are counted but not sent: the page already has them */
  #muted = false;
  #focusFrame = -1;
  #lastEvent: KernelEvent | null = null;
  #busyMs = 0;
  #tasksChanged = false;
  /** silences the callbacks of the run being replaced */
  #retire: (() => void) | null = null;
  /** an update is on its way to the page and not yet drawn: while playing, the next one waits */
  #unacked = false;
  /** playing to the end at full speed (To end), whatever the speed setting */
  #toEnd = false;
  /** pending samples keep one in `#sampleStride` (doubled when they reach PENDING_SAMPLES_MAX) */
  #sampleStride = 1;
  #samplesSeen = 0;

  constructor(
    private readonly post: Post,
    private readonly create: CreateSimulation,
    private readonly build: BuildScenario,
  ) {}

  /** the last step, rewind, play or pause command handled, echoed in updates */
  #answered = 0;

  handle(msg: PageToWorker): void {
    try {
      switch (msg.type) {
        case 'load': this.#load(msg.config); break;
        case 'play': {
          this.#answered = msg.command;
          // a run already over (a step just ended it) does not start: say so, or the page, which
          // shows Pause the moment Play is pressed, would wait for an answer that never comes
          if (this.#sim?.done) this.#flush();
          else this.#play();
          break;
        }
        case 'pause': {
          this.#answered = msg.command;
          // the page may have seen `running: true` in updates sent before this message
          const was = this.#running;
          this.#pause();
          if (was) this.#flush();
          break;
        }
        case 'speed': this.#simNsPerSecond = msg.simNsPerSecond; break;
        case 'step-daemon': this.#answered = msg.command; this.#stepDaemon(); break;
        case 'step-refs': this.#answered = msg.command; this.#advance(() => this.#sim!.stepReferences(msg.n)); break;
        case 'run-to-end': this.#runToEnd(); break;
        case 'rewind': this.#answered = msg.command; this.#rewind(msg.t); break;
        case 'ack': if (msg.generation === this.#generation) this.#unacked = false; break;
        case 'frame-info': {
          const sim = this.#sim;
          const ok = sim !== null && msg.frame >= 0 && msg.frame < (this.#info?.memoryPages ?? 0);
          this.post({ type: 'frame-info', requestId: msg.requestId, info: ok ? sim.frameInfo(msg.frame) : null });
          break;
        }
      }
    } catch (e) {
      this.#pause();
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Build the scenario and boot its kernel; nothing changes unless both succeed. */
  #start(config: RunConfig): void {
    const scenario = this.build(config);
    this.#minCpuNs = Math.max(1, Math.min(...scenario.tasks.map((t) => t.cpuNsPerRef ?? scenario.machine.cpuNsPerRef)));
    this.#msPerRef = 0;
    // each stream's length and origin, for the progress bars, noted when the kernel opens it
    const tasks = scenario.tasks.map((t) => ({ name: t.name, description: '', totalRefs: NaN }));
    const watched = scenario.tasks.map((t, i) => ({
      ...t,
      source: () => {
        const s = t.source();
        tasks[i] = { name: t.name, description: s.description, totalRefs: s.totalRefs ?? NaN };
        this.#tasksChanged = true;
        return s;
      },
    }));
    const detail = config.logDetail;
    // events of the kernel being booted wait here until it replaces the current run
    interface Early { events: KernelEvent[]; samples: Sample[]; logged: number }
    const booting: Early = { events: [], samples: [], logged: 0 };
    let boot: Early | null = booting;
    let replaced = false;
    const sim: SimulationHandle = this.create({ ...scenario, tasks: watched }, {
      sampleIntervalNs: SAMPLE_INTERVAL_NS,
      onSample: (s) => {
        if (boot) boot.samples.push(s);
        else if (!replaced && !this.#muted) this.#queueSample(s);
      },
      onEvent: (e) => {
        if (replaced) return;
        this.#lastEvent = e;
        if (!shownAt(detail, e)) return;
        if (boot) {
          boot.logged++;
          boot.events.push(e);
          return;
        }
        this.#logTotal++;
        if (this.#muted) return;
        this.#pendingEvents.push(e);
        if (this.#pendingEvents.length > 2 * PENDING_LOG_MAX) this.#pendingEvents.splice(0, PENDING_LOG_MAX);
      },
    });
    this.#pause();
    this.#retire?.();
    this.#retire = () => { replaced = true; };
    this.#sim = sim;
    this.#config = config;
    this.#pendingEvents = booting.events;
    this.#pendingSamples = booting.samples;
    this.#logTotal = booting.logged;
    boot = null;
    this.#focusFrame = -1;
    this.#lastEvent = null;
    this.#info = {
      scenario: scenario.name,
      description: scenario.description,
      memoryPages: scenario.machine.memoryPages,
      pageSize: scenario.machine.pageSize,
      preset: scenario.preset,
      seed: scenario.seed,
      tunables: scenario.tunables,
      fixes: scenario.fixes,
      tasks,
      generation: this.#generation + 1,
    };
  }

  #load(config: RunConfig): void {
    this.#start(config);
    // a share of the pages touched is counted once (reading every stream): rewinds replay the pages
    if (config.memoryShare !== null) this.#config = { ...config, memoryPages: this.#info!.memoryPages, memoryShare: null };
    this.#generation++;
    this.post({ type: 'loaded', info: this.#info! });
    this.#tasksChanged = false;
    this.#flush();
  }

  /** Replay the same configuration to `t`: the model is deterministic, so this is the past. */
  #rewind(t: number): void {
    if (!this.#config) return;
    this.#start(this.#config);
    this.#info!.generation = this.#generation;
    this.#muted = true;
    try {
      this.#sim!.runUntil(t);
    } finally {
      this.#muted = false;
    }
    this.#flush();
  }

  #play(): void {
    if (!this.#sim || this.#sim.done || this.#running) return;
    this.#running = true;
    this.#lastTick = performance.now();
    this.#tick();
  }

  /**
   * The rest of the run as fast as it goes, in slices like play's: the page shows it running (and
   * can pause it) where one call to runToEnd left it frozen for as long as the run took, and sent
   * every sample in one message at the end.
   */
  #runToEnd(): void {
    if (!this.#sim || this.#sim.done) return;
    this.#pause();
    this.#toEnd = true;
    this.#play();
  }

  #pause(): void {
    this.#running = false;
    this.#toEnd = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #tick = (): void => {
    try {
      this.#slice();
    } catch (e) {
      this.#pause();
      this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  /** One slice of a playing run, then an update (if the page drew the last one) and the next tick. */
  #slice(): void {
    this.#timer = null;
    const sim = this.#sim;
    if (!this.#running || !sim) return;
    const t0 = performance.now();
    const wallMs = Math.min(t0 - this.#lastTick, 100);
    this.#lastTick = t0;
    if (this.#simNsPerSecond === 0 && !this.#toEnd) {
      // as fast as possible: reference chunks sized so one slice fills the frame budget
      do {
        const before = performance.now();
        sim.stepReferences(this.#refChunk);
        const took = performance.now() - before;
        if (took < SLICE_MS / 4) this.#refChunk = Math.min(this.#refChunk * 2, 5_000_000);
        else if (took > SLICE_MS) this.#refChunk = Math.max(1_000, this.#refChunk >> 1);
      } while (!sim.done && performance.now() - t0 < SLICE_MS);
    } else {
      // To end runs by simulated time too, with no target: stepping by references crawled when
      // every reference waited on the disk (20,000 references, 100 s simulated, in 200 µs calls)
      // Each call spans the simulated time of as many references as half a slice can hold, at the
      // least CPU time a reference takes: a call's cost is mostly its references, and no span
      // holds more of them than that. (Sized by the simulated ns the last call covered per wall
      // ms instead, a call after an idle stretch, which covers seconds for nothing, covered
      // seconds of busy work too, and froze the page for over a second.)
      const target = this.#toEnd ? Infinity : sim.now + (this.#simNsPerSecond * wallMs) / 1000;
      while (!sim.done && sim.now < target && performance.now() - t0 < SLICE_MS) {
        const before = performance.now();
        const refsBefore = sim.referencesDone;
        const budget = this.#msPerRef > 0 ? (SLICE_MS / 2) / this.#msPerRef : 10_000;
        sim.runUntil(Math.min(target, sim.now + Math.max(budget * this.#minCpuNs, 1_000)));
        const refs = sim.referencesDone - refsBefore;
        // only calls that made enough references say what one costs (an idle call made none)
        if (refs >= 256) this.#msPerRef = (performance.now() - before) / refs;
      }
    }
    this.#busyMs = performance.now() - t0;
    if (sim.done) {
      this.#running = false;
      this.#toEnd = false;
    }
    // a page that has not drawn the last update gets no new one (events and samples wait for it)
    if (!this.#unacked || !this.#running) this.#flush();
    if (this.#running) this.#timer = setTimeout(this.#tick, Math.max(0, FRAME_MS - this.#busyMs));
  }

  /** Run one bounded piece of work (a step, N references, the rest of the run) while paused. */
  #advance(work: () => void): void {
    if (!this.#sim) return;
    this.#pause();
    const t0 = performance.now();
    work();
    this.#busyMs = performance.now() - t0;
    this.#flush();
  }

  #stepDaemon(): void {
    this.#advance(() => {
      const sim = this.#sim!;
      for (let i = 0; i < STEP_SEARCH_LIMIT; i++) {
        const e = sim.stepDaemonEvent();
        if (e === null) return;
        // the stepped event reaches the log even when onEvent did not deliver it
        if (this.#lastEvent !== e && shownAt(this.#config!.logDetail, e)) {
          this.#logTotal++;
          this.#pendingEvents.push(e);
        }
        if (stepOf(e) !== null) {
          this.#focusFrame = frameOf(e);
          return;
        }
      }
    });
  }

  /**
   * Keep `s` for the next update, in bounded memory: a page that has not drawn the last update gets
   * no new one, and a long stretch between two (a slow page, a long step) once gathered millions
   * of samples, too many to post. Past PENDING_SAMPLES_MAX every other one goes and the stride
   * doubles, as the page's own series thins; the newest sample always stays.
   */
  #queueSample(s: Sample): void {
    const pending = this.#pendingSamples;
    if (this.#samplesSeen++ % this.#sampleStride !== 0 && pending.length > 0) {
      pending[pending.length - 1] = s;
      return;
    }
    pending.push(s);
    if (pending.length >= PENDING_SAMPLES_MAX) {
      this.#pendingSamples = pending.filter((_, i) => i % 2 === 1);
      this.#sampleStride *= 2;
    }
  }

  #flush(): void {
    const sim = this.#sim;
    const info = this.#info;
    if (!sim || !info) return;
    const states = new Uint8Array(info.memoryPages);
    const marks = new Uint8Array(info.memoryPages);
    sim.frameStates(states, marks);
    const events = this.#pendingEvents.slice(-PENDING_LOG_MAX);
    const firstSeq = this.#logTotal - events.length;
    const log: LogLine[] = events.map((e, i) => ({
      seq: firstSeq + i,
      t: e.t,
      kind: e.type,
      step: stepOf(e),
      text: narrate(e),
      frame: frameOf(e),
    }));
    if (!this.#running && this.#focusFrame < 0 && log.length > 0) this.#focusFrame = log[log.length - 1]!.frame;
    this.#pendingEvents = [];
    const samples = this.#pendingSamples;
    this.#pendingSamples = [];
    this.#sampleStride = 1;
    this.#samplesSeen = 0;
    this.post(
      {
        type: 'update',
        generation: this.#generation,
        now: sim.now,
        done: sim.done,
        running: this.#running,
        states,
        marks,
        sample: sim.sample(),
        samples,
        log,
        logTotal: this.#logTotal,
        result: sim.result(),
        focusFrame: this.#focusFrame,
        busyMs: this.#busyMs,
        answered: this.#answered,
        ...(this.#tasksChanged ? { tasks: info.tasks } : {}),
      },
      [states.buffer, marks.buffer],
    );
    this.#focusFrame = -1;
    this.#tasksChanged = false;
    this.#unacked = true;
  }
}
