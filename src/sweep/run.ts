/**
 * Running a sweep: check every point's values against its scenario first (so a typo on line 12
 * fails before an hour of work, naming line 12), then run the points on worker threads and hand
 * back each outcome in point order.
 */
import { availableParallelism } from 'node:os';
import { InputError, InputErrors } from '../errors.js';
import type { Scenario } from '../kernel/scenario.js';
import { loadScenario } from '../workload/index.js';
import { runCsvRow, RUN_COLUMNS, type FlatRow } from '../report/rows.js';
import { expandSweep, type SweepPoint, type SweepSpec } from './spec.js';
import { locateTask, runPoint, type PointOutcome, type PointTask } from './point.js';
import { runOnWorkers } from './pool.js';
import { CACHE_COLUMNS } from './cache-point.js';

export interface SweepOptions {
  /** worker threads; 0 runs the points one by one in this thread. Default: the machine's cores */
  workers?: number;
  /** ids of points already done (--resume) */
  skip?: ReadonlySet<string>;
  /** validateSweep has already been called on this spec */
  validated?: boolean;
  /** record a time series of at most this many points per run (for the combined report); 0 = none */
  seriesPoints?: number;
  /** each outcome, in point order */
  onOutcome?: (point: SweepPoint, outcome: PointOutcome) => void;
  /** points finished (in any order) of those to run; `done` counts running points by their share of references done */
  onProgress?: (done: number, total: number) => void;
}

export function taskOf(spec: SweepSpec, point: SweepPoint, seriesPoints: number): PointTask {
  return {
    index: point.index,
    cache: point.cache,
    scenario: point.scenario,
    overrides: point.overrides,
    file: spec.file,
    lines: point.lines,
    fixedKeys: [...spec.fixed.keys()],
    seriesPoints,
    sampleIntervalNs: spec.report.sampleIntervalNs,
  };
}

/** Apply every point's values to its scenario; throw every problem at once. */
export async function validateSweep(spec: SweepSpec, points: readonly SweepPoint[]): Promise<void> {
  const errors: InputError[] = [];
  const seen = new Set<string>();
  if (spec.mode === 'cache') {
    // the policy names and the traces' readability; sizes that need the trace are checked per point
    const { cachePolicy, cacheFrames } = await import('./cache-point.js');
    const { openTrace } = await import('../workload/trace/index.js');
    const checkedTraces = new Set<string>();
    for (const point of points) {
      const task = taskOf(spec, point, 0);
      const at = (key: string) => ({ file: spec.file, ...(task.lines[key] !== undefined ? { line: task.lines[key] } : {}), field: `${task.fixedKeys.includes(key) ? 'fixed' : 'vary'}.${key}` });
      try {
        cachePolicy(point.cache!.policy, at('policy'));
        cacheFrames(point.cache!.size, 1, at('size')); // the spelling; a share is resolved against the trace later
        if (!checkedTraces.has(point.cache!.trace)) {
          checkedTraces.add(point.cache!.trace);
          openTrace(point.cache!.trace).close();
        }
      } catch (e) {
        const list = e instanceof InputErrors ? e.errors : e instanceof InputError ? [e] : null;
        if (!list) throw e;
        for (const err of list) if (!seen.has(err.message)) { seen.add(err.message); errors.push(err); }
      }
    }
    if (errors.length > 0) throw new InputErrors(errors);
    return;
  }
  const scenarios = new Map<string, Scenario>();
  const { applyOverrides } = await import('../workload/overrides.js');
  for (const point of points) {
    const key = point.scenario ?? '';
    try {
      let base = scenarios.get(key);
      if (!base) {
        base = loadScenario(point.scenario);
        scenarios.set(key, base);
      }
      applyOverrides(base, point.overrides, locateTask(taskOf(spec, point, 0)));
    } catch (e) {
      const list = e instanceof InputErrors ? e.errors : e instanceof InputError ? [e] : null;
      if (!list) throw e;
      // the same bad value shows up in many points: report it once
      for (const err of list) if (!seen.has(err.message)) { seen.add(err.message); errors.push(err); }
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
}

export interface SweepRun {
  points: SweepPoint[];
  /** the points run now (not skipped), in point order */
  ran: SweepPoint[];
}

export async function runSweep(spec: SweepSpec, opts: SweepOptions = {}): Promise<SweepRun> {
  const points = expandSweep(spec);
  if (!opts.validated) await validateSweep(spec, points);
  const todo = points.filter((p) => !opts.skip?.has(p.id));
  const seriesPoints = opts.seriesPoints ?? 0;
  const workers = opts.workers ?? availableParallelism();
  let done = 0;
  const running = new Map<number, number>();
  const report = (): void => {
    let partial = 0;
    for (const f of running.values()) partial += f;
    opts.onProgress?.(done + partial, todo.length);
  };
  const onFraction = (index: number, fraction: number): void => {
    running.set(index, fraction);
    report();
  };
  // outcomes arrive in any order; hand them on in point order
  const waiting = new Map<number, PointOutcome>();
  let nextPos = 0;
  const deliver = (o: PointOutcome): void => {
    waiting.set(o.index, o);
    running.delete(o.index);
    done++;
    report();
    while (nextPos < todo.length && waiting.has(todo[nextPos]!.index)) {
      const point = todo[nextPos]!;
      const outcome = waiting.get(point.index)!;
      waiting.delete(point.index);
      nextPos++;
      opts.onOutcome?.(point, outcome);
    }
  };
  opts.onProgress?.(0, todo.length);
  if (workers <= 0) {
    for (const p of todo) deliver(await runPoint(taskOf(spec, p, seriesPoints), (f) => onFraction(p.index, f)));
  } else {
    await runOnWorkers(todo.map((p) => taskOf(spec, p, seriesPoints)), workers, deliver, opts.onProgress ? onFraction : undefined);
  }
  return { points, ran: todo };
}

/** The columns of a sweep's rows: the point, its varying values, its status, then the run's result. */
export function sweepColumns(spec: SweepSpec): string[] {
  return ['point', 'id', ...spec.axes.map((a) => a.key), 'status', 'error', ...(spec.mode === 'cache' ? CACHE_COLUMNS : RUN_COLUMNS)];
}

export function sweepRow(point: SweepPoint, outcome: PointOutcome): FlatRow {
  const row: FlatRow = { point: point.index, id: point.id };
  for (const [k, v] of Object.entries(point.params)) row[k] = v;
  if (outcome.ok) {
    row.status = 'ok';
    row.error = '';
    Object.assign(row, 'cache' in outcome ? outcome.cache : runCsvRow(outcome.result));
  } else {
    row.status = outcome.inputError ? 'bad-input' : 'error';
    row.error = outcome.error.split('\n')[0]!;
  }
  return row;
}
