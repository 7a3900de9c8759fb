/**
 * The page's model: talks to the worker, keeps the latest update and the recorded history, and
 * tells the views when to redraw. Preact renders from it; the canvas and the charts read it directly.
 */
import type { FrameInfo } from '../../src/kernel/api.js';
import { LogBook, SampleSeries, SnapshotHistory, type Snapshot } from './history.js';
import type { CatalogEntry, PageToWorker, RunConfig, RunInfo, Update, WorkerToPage } from './protocol.js';

export const SPEEDS: readonly { label: string; simNsPerSecond: number }[] = [
  { label: '1 ms / s', simNsPerSecond: 1e6 },
  { label: '10 ms / s', simNsPerSecond: 1e7 },
  { label: '100 ms / s', simNsPerSecond: 1e8 },
  { label: '1 s / s', simNsPerSecond: 1e9 },
  { label: '10 s / s', simNsPerSecond: 1e10 },
  { label: 'as fast as possible', simNsPerSecond: 0 },
];
export const DEFAULT_SPEED = 3;

type Busy = 'stepping' | 'rewinding';

export class Store {
  readonly #worker: Worker;
  readonly #listeners = new Set<() => void>();
  catalog: CatalogEntry[] = [];
  config: RunConfig | null = null;
  info: RunInfo | null = null;
  live: Update | null = null;
  history: SnapshotHistory = new SnapshotHistory(1);
  series = new SampleSeries();
  log = new LogBook();
  /** index into history.items while scrubbing; null follows the live run */
  scrub: number | null = null;
  running = false;
  speed = DEFAULT_SPEED;
  error: string | null = null;
  /** a load is on its way to the worker (traces being fetched, the scenario parsed) */
  loading = false;
  /** the last line a manual step produced, for the screen-reader announcement */
  announcement = '';
  /**
   * A step or rewind the worker has not answered yet ('stepping', 'rewinding'): each runs the kernel
   * in one go, seconds on a long run, and the page should say it is working, not look stuck.
   */
  get busy(): Busy | null {
    return this.#busy[0]?.what ?? null;
  }
  /** steps and rewinds sent and not yet answered, oldest first (updates echo the last one done) */
  #busy: { what: Busy; command: number }[] = [];
  #command = 0;
  /** the last command that set the running state (play, pause, a step) */
  #runCommand = 0;
  /** the newest rewind sent: updates the worker sent before it met that rewind are stale */
  #latestRewind = 0;
  /** the moment a rewind replays to, shown until the worker has replayed it */
  #rewindingTo: Snapshot | null = null;
  /** bumps on every change; views compare it */
  version = 0;
  #manualStep = false;
  /**
   * loads sent and not yet answered, oldest first, each with the last step or rewind sent before
   * it (those the load ends); and the configuration of the run shown
   */
  #pendingLoads: { config: RunConfig; after: number }[] = [];
  #loadedConfig: RunConfig | null = null;
  #frameInfoRequest = 0;
  #frameInfoWaiters = new Map<number, (info: FrameInfo | null) => void>();

  constructor() {
    this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'pageout-kernel' });
    this.#worker.onmessage = (ev: MessageEvent<WorkerToPage>) => this.#receive(ev.data);
    this.#worker.onerror = (ev) => {
      this.error = `simulation worker failed: ${ev.message}`;
      this.#changed();
    };
  }

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(): void {
    this.version++;
    for (const fn of this.#listeners) fn();
  }

  #frameRequested = false;

  /**
   * Updates arrive up to ~30 a second: redraw once per animation frame, then tell the worker the
   * page is ready for the next one, so a slow machine never queues updates it cannot draw.
   */
  #changedOnNextFrame(generation: number): void {
    if (this.#frameRequested) return;
    this.#frameRequested = true;
    requestAnimationFrame(() => {
      this.#frameRequested = false;
      this.#changed();
      setTimeout(() => this.#send({ type: 'ack', generation }), 0);
    });
  }

  #send(msg: PageToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(msg, transfer);
  }

  #receive(msg: WorkerToPage): void {
    switch (msg.type) {
      case 'catalog': {
        this.catalog = msg.entries;
        this.load({ workload: { kind: 'catalog', id: msg.defaultId }, memoryPages: null, memoryShare: null, preset: null, tunables: {}, fixes: {}, logDetail: 'daemon' });
        break;
      }
      case 'loaded': {
        const load = this.#pendingLoads.shift();
        // steps sent after the load run on the new run: they stay under way
        this.#settleCommands(load?.after ?? this.#command);
        this.#loadedConfig = load?.config ?? this.config;
        this.loading = this.#pendingLoads.length > 0;
        this.info = msg.info;
        this.history = new SnapshotHistory(msg.info.memoryPages);
        this.series = new SampleSeries();
        this.log = new LogBook();
        this.scrub = null;
        this.live = null;
        this.error = null;
        this.#changed();
        break;
      }
      case 'update': {
        if (!this.info || msg.generation !== this.info.generation) return;
        if (msg.answered < this.#latestRewind) {
          // sent before the worker met the newest rewind (a play tick, an older step's answer): its
          // moment is in the future the rewind cut from history, and must not come back into it
          setTimeout(() => this.#send({ type: 'ack', generation: msg.generation }), 0);
          return;
        }
        this.#settleCommands(msg.answered);
        this.live = msg;
        // the worker's running state, once it has met the last Play, Pause or step the page sent
        if (msg.answered >= this.#runCommand) this.running = msg.running;
        if (msg.tasks) this.info = { ...this.info, tasks: msg.tasks };
        for (const s of msg.samples) this.series.push(s);
        this.series.push(msg.sample);
        this.log.append(msg.log);
        if (this.#manualStep && msg.log.length > 0) this.announcement = msg.log[msg.log.length - 1]!.text;
        this.history.add(
          { t: msg.now, states: msg.states, marks: msg.marks, sample: msg.sample, result: msg.result, logTotal: msg.logTotal, focusFrame: msg.focusFrame },
          this.#manualStep,
        );
        this.#manualStep = false;
        this.#changedOnNextFrame(msg.generation);
        break;
      }
      case 'frame-info': {
        const waiter = this.#frameInfoWaiters.get(msg.requestId);
        this.#frameInfoWaiters.delete(msg.requestId);
        waiter?.(msg.info);
        break;
      }
      case 'error': {
        let message = msg.message;
        const load = this.#pendingLoads.shift();
        if (load !== undefined) {
          // a load that failed (a bad trace, memory the kernel refuses) changes nothing: the
          // controls go back to the run still shown, and the message says so
          this.config = this.#pendingLoads.at(-1)?.config ?? this.#loadedConfig ?? this.config;
          if (this.#loadedConfig !== null) message += ' (the run shown is the previous one)';
        }
        this.loading = this.#pendingLoads.length > 0;
        // a failed step or rewind ends every command before it; a failed load, those before it
        this.#settleCommands(load?.after ?? this.#command);
        this.error = message;
        this.running = false;
        this.#changed();
        break;
      }
    }
  }

  /** What the views draw: the scrubbed snapshot, or the live edge. */
  get shown(): Snapshot | null {
    if (this.scrub !== null) return this.history.items[this.scrub] ?? null;
    // not the discarded future while the past is replayed
    if (this.#rewindingTo !== null) return this.#rewindingTo;
    const u = this.live;
    if (!u) return null;
    return { t: u.now, states: u.states, marks: u.marks, sample: u.sample, result: u.result, logTotal: u.logTotal, focusFrame: u.focusFrame };
  }

  get done(): boolean {
    return this.live?.done ?? false;
  }

  load(config: RunConfig): void {
    this.config = config;
    this.#pendingLoads.push({ config, after: this.#command });
    this.running = false;
    this.loading = true;
    this.error = null;
    // a dropped trace's bytes are copied, not transferred: reset and rewind load them again
    this.#send({ type: 'load', config });
    this.#send({ type: 'speed', simNsPerSecond: SPEEDS[this.speed]!.simNsPerSecond });
    this.#changed();
  }

  /** Change part of the configuration and restart the run with it. */
  reconfigure(patch: Partial<RunConfig>): void {
    if (!this.config) return;
    this.load({ ...this.config, ...patch });
  }

  reset(): void {
    if (this.config) this.load(this.config);
  }

  /** Note a step or rewind as under way; returns its number for the worker to echo. */
  #busyWith(what: Busy): number {
    this.#busy.push({ what, command: ++this.#command });
    if (what === 'rewinding') this.#latestRewind = this.#command;
    return this.#command;
  }

  /** Commands up to `command` are done; the clock follows the run again once no rewind is left. */
  #settleCommands(command: number): void {
    while (this.#busy.length > 0 && this.#busy[0]!.command <= command) this.#busy.shift();
    if (!this.#busy.some((b) => b.what === 'rewinding')) this.#rewindingTo = null;
  }

  #leaveHistory(): boolean {
    if (this.scrub === null) return true;
    const i = this.scrub;
    const last = this.history.items.length - 1;
    this.scrub = null;
    if (i >= last) return true;
    // continue from the scrubbed moment: drop the later history and replay the past to it
    const s = this.history.items[i]!;
    this.history.truncateAfter(i);
    this.series.truncateAfter(s.t / 1e9);
    this.log.truncateAfter(s.logTotal);
    this.#rewindingTo = s;
    this.#send({ type: 'rewind', t: s.t, command: this.#busyWith('rewinding') });
    return true;
  }

  play(): void {
    if (this.done && this.scrub === null) return;
    this.#leaveHistory();
    this.running = true;
    this.#send({ type: 'play', command: this.#runStateChange() });
    this.#changed();
  }

  pause(): void {
    this.running = false;
    this.#send({ type: 'pause', command: this.#runStateChange() });
    this.#changed();
  }

  /** A command that sets the running state; updates sent before the worker met it keep theirs to themselves. */
  #runStateChange(command = ++this.#command): number {
    this.#runCommand = command;
    return command;
  }

  togglePlay(): void {
    if (this.running) this.pause();
    else this.play();
  }

  stepDaemon(): void {
    this.#leaveHistory();
    this.#manualStep = true;
    this.running = false;
    this.#send({ type: 'step-daemon', command: this.#runStateChange(this.#busyWith('stepping')) });
    this.#changed();
  }

  stepReferences(n: number): void {
    this.#leaveHistory();
    this.#manualStep = true;
    this.running = false;
    this.#send({ type: 'step-refs', n, command: this.#runStateChange(this.#busyWith('stepping')) });
    this.#changed();
  }

  runToEnd(): void {
    this.#leaveHistory();
    this.running = false;
    this.#send({ type: 'run-to-end' });
  }

  setSpeed(index: number): void {
    this.speed = Math.max(0, Math.min(SPEEDS.length - 1, index));
    this.#send({ type: 'speed', simNsPerSecond: SPEEDS[this.speed]!.simNsPerSecond });
    this.#changed();
  }

  /** Show history snapshot `index` (clamped); the last index is the live edge. */
  scrubTo(index: number): void {
    const n = this.history.items.length;
    if (n === 0) return;
    if (this.running) this.pause();
    const i = Math.max(0, Math.min(n - 1, index));
    this.scrub = i === n - 1 ? null : i;
    this.#changed();
  }

  goLive(): void {
    this.scrub = null;
    this.#changed();
  }

  frameInfo(frame: number): Promise<FrameInfo | null> {
    const requestId = ++this.#frameInfoRequest;
    return new Promise((resolve) => {
      this.#frameInfoWaiters.set(requestId, resolve);
      this.#send({ type: 'frame-info', frame, requestId });
    });
  }
}
