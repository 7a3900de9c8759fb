/**
 * The combined HTML report of a sweep: a table with one row per point (its values, its outcome,
 * the numbers people compare first) where a click charts that point's run.
 */
import type { RunResult } from '../kernel/result.js';
import type { MissRatioCurve, ReportData, ReportRun } from './html.js';
import type { FlatRow, FlatValue } from './rows.js';
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

/**
 * The report of a cache-mode sweep: one miss-ratio curve per (trace, policy as labelled, other
 * values) over the sizes swept, and the table of every point. A policy the policy parameters do
 * not configure has one curve, not one per parameter value.
 */
export function cacheSweepReportData(
  title: string,
  axes: readonly string[],
  rows: readonly FlatRow[],
  /**
   * whether an axis configures only its own policy's points (a policy parameter, the mach points'
   * kernel settings), whose labels carry it (`s3fifo(small=0.05)`, `mach(fix=B2)`): no part of a
   * curve's label of its own
   */
  inPolicyLabel: (axis: string) => boolean,
): ReportData {
  const groups = new Map<string, { sizes: number[]; missRatios: number[] }>();
  const traces = new Set(rows.map((r) => String(r.traceFile ?? '')));
  for (const r of rows) {
    if (r.status !== 'ok' || typeof r.frames !== 'number' || typeof r.missRatio !== 'number') continue;
    const parts: string[] = [];
    for (const a of axes) {
      if (a === 'size' || (a === 'trace' && traces.size === 1)) continue;
      const part = a === 'policy' || inPolicyLabel(a) ? String(r.policyName) : a === 'trace' ? String(r[a]).split('/').pop()! : `${a}=${String(r[a])}`;
      if (!parts.includes(part)) parts.push(part);
    }
    const label = parts.join(' ') || String(r.policyName);
    const g = groups.get(label) ?? { sizes: [], missRatios: [] };
    // the same size again: a point another policy's parameter repeated (the same numbers)
    if (g.sizes.includes(r.frames)) continue;
    g.sizes.push(r.frames);
    g.missRatios.push(r.missRatio);
    groups.set(label, g);
  }
  const curves: MissRatioCurve[] = [...groups].map(([policy, g]) => {
    const order = g.sizes.map((_, i) => i).sort((a, b) => g.sizes[a]! - g.sizes[b]!);
    return { policy, sizes: order.map((i) => g.sizes[i]!), missRatios: order.map((i) => g.missRatios[i]!) };
  });
  const columns = [...axes, 'status', 'frames', 'requests', 'misses', 'missRatio', 'writebacks', 'error'];
  return {
    title,
    kind: 'sweep',
    subtitle: `${rows.length} points · ${axes.join(' × ')}`,
    runs: [],
    curves: { sizeUnit: 'frames', curves },
    table: { columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) },
  };
}
