/**
 * Running a sweep: check every point's values against its scenario first (so a typo on line 12
 * fails before an hour of work, naming line 12), then run the points on worker threads and hand
 * back each outcome in point order.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { InputError, InputErrors, isInputError, quote, type InputLocation } from '../errors.js';
import { checkScenarioMemory } from '../kernel/params.js';
import type { Scenario } from '../kernel/scenario.js';
import { loadScenario, type RawValue } from '../workload/index.js';
import { runCsvRow, RUN_COLUMNS, type FlatRow } from '../report/rows.js';
import { expandSweep, inFileOrder, isMachKey, policyParamOf, type SweepFile, type SweepPoint, type SweepSpec } from './spec.js';
import { findPolicy, POLICIES } from '../cache/index.js';
import { locateKey, locateTask, runPoint, type PointOutcome, type PointTask } from './point.js';
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

/**
 * Every problem of a sweep file at once, those of its structure and those of its values, in line
 * order; the points when there is none. This is what `pageout sweep` runs before touching an
 * output file.
 */
export async function checkSweep(sweep: SweepFile): Promise<SweepPoint[]> {
  const points = expandSweep(sweep.spec);
  const problems = [...sweep.problems];
  if (sweep.valuesCheckable) problems.push(...await valueProblems(sweep.spec, points));
  if (problems.length > 0) throw new InputErrors(inFileOrder(problems, sweep.spec.file));
  return points;
}

/** Apply every point's values to its scenario as its run will; throw every problem at once, in line order. */
export async function validateSweep(spec: SweepSpec, points: readonly SweepPoint[]): Promise<void> {
  const problems = await valueProblems(spec, points);
  if (problems.length > 0) throw new InputErrors(inFileOrder(problems, spec.file));
}

/** The problems a point's values would meet at run time (the same bad value in many points is repeated; inFileOrder keeps one). */
async function valueProblems(spec: SweepSpec, points: readonly SweepPoint[]): Promise<InputError[]> {
  return spec.mode === 'cache' ? cacheValueProblems(spec, points) : kernelValueProblems(spec, points);
}

async function kernelValueProblems(spec: SweepSpec, points: readonly SweepPoint[]): Promise<InputError[]> {
  const problems: InputError[] = [];
  const { applyOverrides } = await import('../workload/overrides.js');
  // each scenario is read once; null when it could not be (its problems are already listed)
  const bases = new Map<string, Scenario | null>();
  for (const point of points) {
    const task = taskOf(spec, point, 0);
    const key = point.scenario ?? '';
    if (!bases.has(key)) {
      try {
        bases.set(key, loadScenario(point.scenario));
      } catch (e) {
        const named = scenarioNamedAt(spec, point, task);
        problems.push(...inputErrorsOf(e).map((err) => (named ? blameNamingLine(err, point.scenario!, named) : err)));
        bases.set(key, null);
      }
    }
    const base = bases.get(key);
    if (!base) continue;
    let scenario: Scenario | undefined;
    try {
      scenario = applyOverrides(base, point.overrides, locateTask(task));
    } catch (e) {
      problems.push(...inputErrorsOf(e));
      // a bad value elsewhere (`fixes: [B7]` fails every point) must not hide too little memory:
      // apply only what the memory check reads (the seed too, as `25%` counts the reseeded
      // pages; the reserve, as it raises the minimum). Its complaints are among those just listed.
      const { memory, preset, seed, set } = point.overrides;
      const reserve = set?.vm_page_free_reserved;
      try {
        scenario = applyOverrides(base, { memory, preset, seed, set: reserve === undefined ? undefined : { vm_page_free_reserved: reserve } }, locateTask(task));
      } catch (again) {
        if (!isInputError(again)) throw again;
      }
    }
    if (!scenario) continue;
    try {
      // the machine boots only with enough memory for its preset and reserve; checked here exactly
      // as Simulation's constructor checks it, so `memory: [10, 4MiB]` fails on its line before
      // the 4MiB points have run for an hour
      checkScenarioMemory(scenario);
    } catch (e) {
      problems.push(...inputErrorsOf(e));
    }
  }
  return problems;
}

async function cacheValueProblems(spec: SweepSpec, points: readonly SweepPoint[]): Promise<InputError[]> {
  // the policy names and parameters, how the traces are read and whether they can be, each size
  // in its trace's pages (a share is counted against the trace's distinct pages when the point
  // runs), and the mach points' kernel settings
  const problems: InputError[] = [];
  const { cachePolicy, cachePolicyParams, cacheFrames, cacheWarmup, checkWarmupFits, machPointOptions } = await import('./cache-point.js');
  const { traceReadOptions, traceFacts } = await import('./cache-trace.js');
  // each trace opened once per way of reading it: what the opening tells, or null when it cannot be read (said once, at its line)
  const facts = new Map<string, ReturnType<typeof traceFacts> | null>();
  const policies = new Set<string>();
  const attempt = (check: () => void): boolean => {
    try {
      check();
      return true;
    } catch (e) {
      problems.push(...inputErrorsOf(e));
      return false;
    }
  };
  for (const point of points) {
    const task = taskOf(spec, point, 0);
    const at = (key: string): InputLocation => locateKey(task, key);
    const { trace, policy, size, warmup, read, params } = point.cache!;
    let factory: ReturnType<typeof cachePolicy> | undefined;
    attempt(() => { factory = cachePolicy(policy, at('policy')); });
    if (factory !== undefined) policies.add(factory === 'mach' ? 'mach' : factory.name);
    if (factory !== undefined && factory !== 'mach') attempt(() => cachePolicyParams(factory as Exclude<typeof factory, 'mach' | undefined>, params, at));
    const key = JSON.stringify([trace, read ?? {}]);
    if (!facts.has(key)) {
      if (!attempt(() => traceReadOptions(read, at))) {
        facts.set(key, null);
      } else {
        try {
          facts.set(key, traceFacts(trace, read, at));
        } catch (e) {
          facts.set(key, null);
          const named = { at: at('trace'), written: String(writtenValue(spec, point, 'trace')) };
          problems.push(...inputErrorsOf(e).map((err) => blameNamingLine(err, trace, named)));
        }
      }
    }
    const known = facts.get(key) ?? null;
    const pageSize = known?.pageSize ?? null;
    // a warm-up as long as the trace (known from a compact header) fails before any point runs
    attempt(() => {
      const n = cacheWarmup(warmup, at('warmup'));
      if (n > 0 && known?.references !== undefined) checkWarmupFits(n, known.references, trace, warmup!, at('warmup'));
    });
    // `1MB` is no whole number of 4 KiB pages; with no readable trace, the spelling only
    attempt(() => {
      try {
        cacheFrames(size, 1, pageSize ?? 1, at('size'));
      } catch (e) {
        // with several traces, say whose pages the size missed
        if (e instanceof InputError && e.expected.endsWith('-byte pages')) throw new InputError(e.at, `${e.expected} (${basename(trace)}'s)`, e.got);
        throw e;
      }
    });
    if (factory === 'mach') attempt(() => machPointOptions(point.overrides, locateTask(task), pageSize));
  }
  // a policy's parameters and the kernel's settings configure points the sweep must have: a value
  // that configures nothing is a typo or a leftover, and would silently change nothing
  // (with no points, a list of values could not be read: said already, and nothing runs)
  const ran = [...policies].join(', ');
  for (const key of points.length === 0 ? [] : [...spec.fixed.keys(), ...spec.axes.map((a) => a.key)]) {
    const at = locateKey(taskOf(spec, points[0]!, 0), key);
    const param = policyParamOf(key);
    if (param !== null) {
      if (findPolicy(param.policy) === undefined) {
        problems.push(new InputError(at, `a policy with parameters (${POLICIES.filter((f) => f.params.length > 0).map((f) => f.name).join(', ')})`, quote(param.policy)));
      } else if (!policies.has(param.policy)) {
        problems.push(new InputError(at, `parameters of a policy the sweep runs (${ran})`, quote(param.policy)));
      }
    } else if (isMachKey(key) && !policies.has('mach')) {
      problems.push(new InputError(at, `mach among the sweep's policies (${key} configures its kernel)`, quote(ran)));
    }
  }
  return problems;
}

function inputErrorsOf(e: unknown): readonly InputError[] {
  if (e instanceof InputErrors) return e.errors;
  if (e instanceof InputError) return [e];
  throw e;
}

/** The point's value of `key` as the sweep file writes it, from `vary` or `fixed`. */
function writtenValue(spec: SweepSpec, point: SweepPoint, key: string): RawValue | undefined {
  return point.params[key] ?? spec.fixed.get(key)?.value;
}

/** Where the sweep file names the point's scenario (its `scenario` value, or `base`); undefined for the embedded default. */
function scenarioNamedAt(spec: SweepSpec, point: SweepPoint, task: PointTask): { at: InputLocation; written: string } | undefined {
  if ('scenario' in point.lines) return { at: locateKey(task, 'scenario'), written: String(writtenValue(spec, point, 'scenario')) };
  if (!spec.baseValue) return undefined;
  const line = spec.baseValue.line;
  return { at: { file: spec.file, ...(line !== undefined ? { line } : {}), field: 'base' }, written: String(spec.baseValue.value) };
}

/**
 * A file a sweep value names that cannot be opened (no such scenario, an unreadable trace) is a
 * mistake on the sweep file's line that names it: blame that line, keeping the loader's words and
 * the path it tried (a relative path starts at the sweep file's folder, not the current one).
 * Problems inside the file carry their own line or byte offset and stay where they are.
 */
function blameNamingLine(e: InputError, path: string, named: { at: InputLocation; written: string }): InputError {
  const aboutTheFile = e.at.line === undefined && e.at.offset === undefined;
  if (aboutTheFile && e.at.file === path) {
    const tried = named.written === path ? '' : `${path}: `;
    return new InputError(named.at, e.expected, `${quote(named.written)} (${tried}${e.got})`);
  }
  // a bare name that is no shipped scenario: the loader blames the command line, as for `pageout run`
  if (aboutTheFile && e.at.file === 'command line') return new InputError(named.at, e.expected, e.got);
  return e;
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

/**
 * The column of a varied parameter: `vary.memory`, as the sweep file and its error messages name
 * it. The prefix keeps it apart from the result's field of the same name, which may differ:
 * `vary.scenario` is `tun.yaml` as written, the result's `scenario` the name the run gives it
 * (`tun`); `vary.seed` and `seed` likewise.
 */
export function varyColumn(key: string): string {
  return `vary.${key}`;
}

/** The columns of a sweep's rows: the point, its varying values, its status, then the run's result. */
export function sweepColumns(spec: SweepSpec): string[] {
  const columns = ['point', 'id', ...spec.axes.map((a) => varyColumn(a.key)), 'status', 'error', ...(spec.mode === 'cache' ? CACHE_COLUMNS : RUN_COLUMNS)];
  // a repeated name would make a CSV reader keep one of the two cells and JSON lose one silently
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw new Error(`sweepColumns: column ${repeated.join(', ')} twice`);
  return columns;
}

export function sweepRow(point: SweepPoint, outcome: PointOutcome): FlatRow {
  const row: FlatRow = { point: point.index, id: point.id };
  for (const [k, v] of Object.entries(point.params)) row[varyColumn(k)] = v;
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
