/**
 * pageout as a library: `import { runScenario, loadScenario, readTrace } from 'pageout'`.
 * The `pageout` command is a thin layer over exactly these functions.
 *
 * ```ts
 * import { loadScenario, applyOverrides, runScenario, compare, mrc } from 'pageout';
 * const scenario = applyOverrides(loadScenario('default'), { memory: '32MiB', fixes: 'B2' });
 * const result = runScenario(scenario);
 * console.log(result.outcome, result.vmStat.pageouts);
 * const rows = compare('traces/sort.pgt.gz', ['lru', 'arc', 'opt'], [256, 1024]);
 * console.log(mrc('traces/sort.pgt.gz').missRatioAt(512));
 * ```
 */

import { buildDenseTrace, comparePolicies, findPolicy, lruCurve, POLICIES, policySpec, streamCurves, type CompareRow, type DenseTrace, type LruCurve } from './cache/index.js';
import { InputError, quote } from './errors.js';
import { openTrace } from './workload/index.js';

// the kernel model
export { runScenario, createSimulation } from './kernel/index.js';
export type { SimulationHandle, RunOptions, Progress, FrameInfo } from './kernel/api.js';
export { FrameState } from './kernel/api.js';
export type { RunResult, Sample, Outcome, VmStat, PageoutCounters, Thresholds, TaskResult, DefectHit } from './kernel/result.js';
export {
  TUNABLE_NAMES, PRESET_NAMES, DEFECT_NAMES,
  type Scenario, type TaskSpec, type MachineSpec, type Tunables, type TunableName, type PresetName, type Fixes, type KernelOptions,
} from './kernel/scenario.js';
export { narrate, type KernelEvent } from './kernel/events.js';
export { RefBatch, REF_WRITE, REF_INSTR, type RefSource } from './kernel/ref-source.js';

// workloads: scenario files, overrides, generators, traces
export { loadScenario, loadScenarioFile, parseScenarioText, listShippedScenarios } from './workload/index.js';
/** Scenario text over traces you hold yourself (no file system): the visualizer's worker parses with it. */
export { parseScenario, openTraceBytes, type ScenarioFiles } from './workload/index.js';
export { applyOverrides, type ScenarioOverrides } from './workload/overrides.js';
export { createGenerator, type GeneratorSpec } from './workload/generators.js';
/** Open a page-reference trace of any supported format (gzip / zstd transparently) as a RefSource. */
export { openTrace as readTrace } from './workload/index.js';

// cache mode: replacement policies and miss-ratio curves
export {
  POLICIES, findPolicy, policySpec, runPolicy, comparePolicies, buildDenseTrace, denseTraceOf, nextUseOf,
  lruCurve, shardsCurve, defaultSizes, streamPolicy, streamCurves,
  type StreamOptions, type StreamedTrace, type Policy, type PolicyFactory, type PolicySpec, type CompareRow, type DenseTrace, type LruCurve, type SampledCurve,
} from './cache/index.js';

/** A trace as a path (read with 4 KiB pages for byte-address formats) or already remapped. */
function denseOf(trace: string | DenseTrace): DenseTrace {
  if (typeof trace !== 'string') return trace;
  const source = openTrace(trace, { pageSize: 4096 });
  try {
    return buildDenseTrace(source);
  } finally {
    source.close();
  }
}

/**
 * Policies × cache sizes over one trace, with each policy's default parameters: the rows of
 * `pageout compare` (misses, miss ratio, write-backs). Unknown policy names are an InputError.
 */
export function compare(trace: string | DenseTrace, policies: readonly string[], frames: readonly number[]): CompareRow[] {
  const specs = policies.map((name) => {
    const at = { file: 'compare()', field: 'policies' };
    const factory = findPolicy(name.toLowerCase());
    if (!factory) throw new InputError(at, `a policy among ${POLICIES.map((p) => p.name).join(', ')}`, quote(name));
    return policySpec(factory, factory.parseParams(new Map(), at));
  });
  return comparePolicies(denseOf(trace), specs, frames);
}

/**
 * The exact LRU miss-ratio curve of a trace in one pass (`pageout mrc`): `missRatioAt(frames)` for
 * any size. A path is streamed, as the CLI does: nothing of the trace is kept.
 */
export function mrc(trace: string | DenseTrace): LruCurve {
  if (typeof trace !== 'string') return lruCurve(trace);
  const source = openTrace(trace, { pageSize: 4096 });
  try {
    return streamCurves(source, { exact: true }).exact!;
  } finally {
    source.close();
  }
}

// reports
export { collectRun, type CollectedRun, type CollectOptions } from './report/collect.js';
export { BoundedSeries, type SeriesColumns } from './report/sampler.js';
export { renderHtmlReport, writeHtmlReport, runReportData, curvesReportData, type ReportData, type ReportRun, type MissRatioCurve } from './report/html.js';
export { formatRunSummary } from './report/summary.js';
export { runCsvRow } from './report/rows.js';

// sweeps
export { parseSweepSpec, readSweepSpec, expandSweep, type SweepSpec, type SweepPoint } from './sweep/spec.js';
export { runSweep, sweepRow, sweepColumns, type SweepOptions } from './sweep/run.js';

// errors and units
export { InputError, InputErrors, isInputError, type InputLocation } from './errors.js';
export { parseMemory, parseDuration, parsePercent, parseCount, formatBytes, formatDuration } from './units.js';
