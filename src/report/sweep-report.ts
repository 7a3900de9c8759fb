/**
 * The combined HTML report of a sweep: a table with one row per point (its values, its outcome,
 * the numbers people compare first) where a click charts that point's run.
 */
import type { RunResult } from '../kernel/result.js';
import type { ReportData, ReportRun } from './html.js';
import type { FlatValue } from './rows.js';
import type { SeriesColumns } from './sampler.js';

export interface SweepReportPoint {
  id: string;
  params: Record<string, FlatValue>;
  /** status 'ok' with a result, or an error message */
  result: RunResult | null;
  error: string;
  series: SeriesColumns | null;
  sampleIntervalNs: number;
}

const METRICS: readonly [string, (r: RunResult) => FlatValue][] = [
  ['outcome', (r) => r.outcome],
  ['sim time (s)', (r) => Math.round(r.simulatedTimeNs / 1e6) / 1e3],
  ['faults', (r) => r.vmStat.faults],
  ['pageins', (r) => r.vmStat.pageins],
  ['pageouts', (r) => r.vmStat.pageouts],
  ['reactivations', (r) => r.vmStat.reactivations],
  ['min free', (r) => r.minFreeCount],
  ['max laundry', (r) => r.maxLaundryCount],
  ['burst_wait', (r) => r.finalBurstWait],
  ['selection pauses', (r) => r.selectionPauses],
  ['lost writes', (r) => r.integrity.lostWrites],
];

export function sweepReportData(title: string, axes: readonly string[], points: readonly SweepReportPoint[]): ReportData {
  const runs: ReportRun[] = [];
  const rows: FlatValue[][] = [];
  const runIndex: (number | null)[] = [];
  for (const p of points) {
    const row: FlatValue[] = axes.map((a) => p.params[a] ?? null);
    if (p.result) {
      row.push(...METRICS.map(([, f]) => f(p.result!)), '');
      runIndex.push(runs.length);
      runs.push({ label: p.id || p.result.scenario, result: p.result, series: p.series, sampleIntervalNs: p.sampleIntervalNs, params: p.params });
    } else {
      row.push('error', ...METRICS.slice(1).map(() => null), p.error);
      runIndex.push(null);
    }
    rows.push(row);
  }
  return {
    title,
    kind: 'sweep',
    subtitle: `${points.length} points · ${axes.join(' × ') || 'no varying parameter'}`,
    runs,
    table: { columns: [...axes, ...METRICS.map(([name]) => name), 'error'], rows, runIndex },
  };
}
