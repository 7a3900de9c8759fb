// Re-exports of the plain types the kernel modules share, so they import one place.
export type { PresetName, Tunables, TunableName, Scenario, Ns, Fixes, DefectName, KernelOptions } from './scenario.js';
export type { Thresholds, VmStat, PageoutCounters, RunResult, Sample, Outcome, DefectHit } from './result.js';
