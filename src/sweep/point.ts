/**
 * Running one sweep point: load its scenario, apply its values, run the kernel. The same code runs
 * in a worker thread and in the main thread, which is what makes a sweep's rows equal the points
 * run one by one.
 */
import { isInputError, type InputLocation } from '../errors.js';
import type { Progress } from '../kernel/api.js';
import type { RunResult } from '../kernel/result.js';
import { loadScenario } from '../workload/index.js';
import { applyOverrides } from '../workload/overrides.js';
import { collectRun } from '../report/collect.js';
import type { SeriesColumns } from '../report/sampler.js';
import type { LocateOverride, ScenarioOverrides } from '../workload/overrides.js';
import type { CachePointValues } from './spec.js';
import { runCachePoint, type CachePointResult } from './cache-point.js';

/** What a worker receives: plain data. */
export interface PointTask {
  index: number;
  /** cache mode: the trace, policy and size of the point (overrides configure a mach point's kernel; scenario unused) */
  cache: CachePointValues | null;
  scenario: string | undefined;
  overrides: ScenarioOverrides;
  /** for error messages: the sweep file, the lines of the values, the keys that were `fixed` */
  file: string;
  lines: Record<string, number | undefined>;
  fixedKeys: string[];
  /** record a time series (for the combined report) with at most this many points; 0 = none */
  seriesPoints: number;
  sampleIntervalNs: number;
}

export type PointOutcome =
  | { index: number; ok: true; result: RunResult; series: SeriesColumns | null; wallMs: number }
  | { index: number; ok: true; cache: CachePointResult; wallMs: number }
  | { index: number; ok: false; error: string; inputError: boolean; wallMs: number };

/** Where the point's value of `key` (as written in the sweep file) sits: `sweep.yaml:9 vary.memory`. */
export function locateKey(task: Pick<PointTask, 'file' | 'lines' | 'fixedKeys'>, key: string): InputLocation {
  const line = task.lines[key];
  const section = task.fixedKeys.includes(key) ? 'fixed' : 'vary';
  return { file: task.file, ...(line !== undefined ? { line } : {}), field: `${section}.${key}` };
}

export function locateTask(task: Pick<PointTask, 'file' | 'lines' | 'fixedKeys'>): LocateOverride {
  const keyOf: Record<keyof ScenarioOverrides, string> = {
    memory: 'memory', preset: 'preset', set: '', fixes: 'fixes', seed: 'seed', maxTime: 'maxTime',
  };
  return (key, setName) => {
    let fileKey = keyOf[key];
    if (key === 'set' && setName !== undefined) {
      fileKey = [`tunables.${setName}`, `options.${setName}`, setName].find((k) => k in task.lines) ?? setName;
    }
    return locateKey(task, fileKey);
  };
}

/** Messages from a worker: progress inside a point (share of its references done), then its outcome. */
export type WorkerMessage =
  | { kind: 'progress'; index: number; fraction: number }
  | { kind: 'outcome'; outcome: PointOutcome };

/** `onFraction` receives the share of the point's references done (when the total is known). */
export async function runPoint(task: PointTask, onFraction?: (fraction: number) => void): Promise<PointOutcome> {
  const started = performance.now();
  try {
    if (task.cache) {
      return { index: task.index, ok: true, cache: runCachePoint(task.cache, task.overrides, (key) => locateKey(task, key), locateTask(task)), wallMs: performance.now() - started };
    }
    const scenario = applyOverrides(loadScenario(task.scenario), task.overrides, locateTask(task));
    const run = await collectRun(scenario, {
      sampleIntervalNs: task.sampleIntervalNs,
      series: task.seriesPoints > 0,
      maxPoints: Math.max(16, task.seriesPoints),
      ...(onFraction ? { onProgress: (p: Progress) => { if (p.refsTotal > 0) onFraction(Math.min(1, p.refsDone / p.refsTotal)); } } : {}),
    });
    return { index: task.index, ok: true, result: run.result, series: run.series, wallMs: performance.now() - started };
  } catch (e) {
    const message = e instanceof Error ? (isInputError(e) ? e.message : (e.stack ?? e.message)) : String(e);
    return { index: task.index, ok: false, error: message, inputError: isInputError(e), wallMs: performance.now() - started };
  }
}
