/**
 * One kernel run with what the reports need gathered on the side: the RunResult and a bounded
 * time series of its samples. Used by `pageout run`, by sweep workers and by the library API.
 */
import type { Progress, RunOptions } from '../kernel/api.js';
import { runScenario } from '../kernel/index.js';
import type { RunResult } from '../kernel/result.js';
import type { Ns, Scenario } from '../kernel/scenario.js';
import { BoundedSeries, type SeriesColumns } from './sampler.js';

export interface CollectOptions {
  /** simulated time between samples; default 10 ms */
  sampleIntervalNs?: Ns;
  /** at most this many points in the series (older points merge in pairs); default 2048 */
  maxPoints?: number;
  /** false = no time series (the run then costs nothing extra) */
  series?: boolean;
  onProgress?: (p: Progress) => void;
}

export interface CollectedRun {
  result: RunResult;
  /** null when `series: false` */
  series: SeriesColumns | null;
  sampleIntervalNs: Ns;
}

export const DEFAULT_SAMPLE_INTERVAL_NS = 10_000_000;

type RunScenario = (scenario: Scenario, opts?: RunOptions) => RunResult;

export function collectWith(run: RunScenario, scenario: Scenario, opts: CollectOptions = {}): CollectedRun {
  const sampleIntervalNs = opts.sampleIntervalNs ?? DEFAULT_SAMPLE_INTERVAL_NS;
  const series = opts.series === false ? null : new BoundedSeries(opts.maxPoints ?? 2048);
  const runOpts: RunOptions = { sampleIntervalNs };
  if (series) runOpts.onSample = (s) => series.add(s);
  if (opts.onProgress) runOpts.onProgress = opts.onProgress;
  const result = run(scenario, runOpts);
  return { result, series: series ? series.columns() : null, sampleIntervalNs };
}

/** Run `scenario` to the end, keeping a bounded time series of its samples. */
export function collectRun(scenario: Scenario, opts: CollectOptions = {}): CollectedRun {
  return collectWith(runScenario, scenario, opts);
}
