/**
 * pageout as a library: `import { runScenario, loadScenario, readTrace } from 'pageout'`.
 * The `pageout` command is a thin layer over exactly these functions.
 *
 * ```ts
 * import { loadScenario, applyOverrides, runScenario } from 'pageout';
 * const scenario = applyOverrides(loadScenario('default'), { memory: '32MiB', fixes: 'B2' });
 * const result = runScenario(scenario);
 * console.log(result.outcome, result.vmStat.pageouts);
 * ```
 */

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
export { applyOverrides, type ScenarioOverrides } from './workload/overrides.js';
export { createGenerator, type GeneratorSpec } from './workload/generators.js';
/** Open a page-reference trace of any supported format (gzip / zstd transparently) as a RefSource. */
export { openTrace as readTrace } from './workload/index.js';

// reports
export { collectRun, type CollectedRun, type CollectOptions } from './report/collect.js';
export { BoundedSeries, type SeriesColumns } from './report/sampler.js';
export { renderHtmlReport, writeHtmlReport, runReportData, type ReportData, type ReportRun, type MissRatioCurve } from './report/html.js';
export { formatRunSummary } from './report/summary.js';
export { runCsvRow } from './report/rows.js';

// sweeps
export { parseSweepSpec, readSweepSpec, expandSweep, type SweepSpec, type SweepPoint } from './sweep/spec.js';
export { runSweep, sweepRow, sweepColumns, type SweepOptions } from './sweep/run.js';

// errors and units
export { InputError, InputErrors, isInputError, type InputLocation } from './errors.js';
export { parseMemory, parseDuration, parsePercent, parseCount, formatBytes, formatDuration } from './units.js';
