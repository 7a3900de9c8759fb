/** The sampled time series of a run as CSV rows (`pageout run --series FILE`), one row per point. */
import type { SeriesColumns } from './sampler.js';

export type SeriesRow = Record<string, number | undefined>;

const FIELDS = [
  'free', 'freeMin', 'freeMax', 'active', 'inactive', 'inactiveTarget', 'wired', 'laundry', 'laundryMax', 'external',
  'burstWait', 'faultsPerSec', 'pageinsPerSec', 'pageoutsPerSec', 'reactivationsPerSec',
] as const;

export function seriesRows(series: SeriesColumns, taskNames: readonly string[]): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (let i = 0; i < series.t.length; i++) {
    const row: SeriesRow = { tNs: series.t[i] };
    for (const f of FIELDS) row[f] = series[f][i];
    series.taskRefs.forEach((refs, k) => { row[`refs.${taskNames[k] ?? k}`] = refs[i]; });
    rows.push(row);
  }
  return rows;
}
