/**
 * What the page remembers of a run: snapshots of what was drawn (for scrubbing back), the sample
 * series (for the charts) and the narrated log. Each is bounded: snapshots thin out to every other
 * one when full, series halve their resolution, the log keeps its newest lines.
 */
import type { RunResult, Sample } from '../../src/kernel/result.js';
import type { LogLine } from './protocol.js';

export interface Snapshot {
  t: number;
  states: Uint8Array;
  marks: Uint8Array;
  sample: Sample;
  result: RunResult;
  /** log lines written up to this moment (lines with seq < logTotal were before it) */
  logTotal: number;
  focusFrame: number;
}

/** Memory for frame-state snapshots: 48 MiB, at most 600 snapshots. */
const SNAPSHOT_BYTES = 48 * 1024 * 1024;
const SNAPSHOT_MAX = 600;

export class SnapshotHistory {
  readonly items: Snapshot[] = [];
  readonly #capacity: number;
  /** minimum simulated time between two kept snapshots; doubles at each thinning */
  #minGapNs = 0;

  constructor(frames: number) {
    this.#capacity = Math.max(16, Math.min(SNAPSHOT_MAX, Math.floor(SNAPSHOT_BYTES / Math.max(1, 2 * frames))));
  }

  /** Record `s` unless it is too close to the previous one; a manual step is always kept. */
  add(s: Snapshot, force: boolean): void {
    const last = this.items[this.items.length - 1];
    if (last && s.t === last.t && s.logTotal === last.logTotal) return;
    if (last && !force && s.t - last.t < this.#minGapNs) {
      // keep the newest state at the end so the live edge is never lost
      if (this.items.length > 1 && last.t - this.items[this.items.length - 2]!.t < this.#minGapNs) this.items.pop();
    }
    this.items.push(s);
    if (this.items.length > this.#capacity) this.#thin();
  }

  /** Drop every other snapshot (never the first or the newest). */
  #thin(): void {
    const kept: Snapshot[] = [];
    for (let i = 0; i < this.items.length; i++) {
      if (i % 2 === 0 || i === this.items.length - 1) kept.push(this.items[i]!);
    }
    const span = kept[kept.length - 1]!.t - kept[0]!.t;
    this.#minGapNs = Math.max(this.#minGapNs * 2, span / this.#capacity);
    this.items.splice(0, this.items.length, ...kept);
  }

  /** Forget everything after simulated time `t` (a rewind replays from there). */
  truncateAfter(index: number): void {
    this.items.splice(index + 1);
  }
}

export const SERIES_KEYS = ['free', 'active', 'inactive', 'inactiveTarget', 'wired', 'laundry', 'external', 'burstWait'] as const;
export type SeriesKey = (typeof SERIES_KEYS)[number];

const SERIES_MAX = 40_000;

/** Samples as columns (uPlot's data shape); x in simulated seconds. */
export class SampleSeries {
  t: number[] = [];
  cols: Record<SeriesKey, number[]> = Object.fromEntries(SERIES_KEYS.map((k) => [k, [] as number[]])) as Record<SeriesKey, number[]>;
  /** keep one sample in `stride` (doubles when the series is full) */
  #stride = 1;
  #seen = 0;

  push(s: Sample): void {
    const last = this.t[this.t.length - 1];
    const x = s.t / 1e9;
    if (last !== undefined && x <= last) return;
    if (this.#seen++ % this.#stride !== 0) return;
    this.t.push(x);
    for (const k of SERIES_KEYS) this.cols[k].push(s[k]);
    if (this.t.length > SERIES_MAX) {
      this.#stride *= 2;
      const keep = (a: number[]): number[] => a.filter((_, i) => i % 2 === 0);
      this.t = keep(this.t);
      for (const k of SERIES_KEYS) this.cols[k] = keep(this.cols[k]);
    }
  }

  /** Number of points at or before simulated second `x`. */
  countUntil(x: number): number {
    let lo = 0;
    let hi = this.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.t[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  truncateAfter(x: number): void {
    const n = this.countUntil(x);
    this.t.length = n;
    for (const k of SERIES_KEYS) this.cols[k].length = n;
  }
}

const LOG_MAX = 5_000;

/** The newest narrated lines, in seq order. */
export class LogBook {
  lines: LogLine[] = [];

  append(lines: LogLine[]): void {
    for (const l of lines) this.lines.push(l);
    if (this.lines.length > LOG_MAX + 1_000) this.lines.splice(0, this.lines.length - LOG_MAX);
  }

  /** The last `n` lines written before log position `total`. */
  tail(n: number, total: number): LogLine[] {
    let end = this.lines.length;
    while (end > 0 && this.lines[end - 1]!.seq >= total) end--;
    return this.lines.slice(Math.max(0, end - n), end);
  }

  truncateAfter(total: number): void {
    let end = this.lines.length;
    while (end > 0 && this.lines[end - 1]!.seq >= total) end--;
    this.lines.length = end;
  }
}
