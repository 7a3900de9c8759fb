/** The text table `pageout sweep` prints: each point's values and the numbers compared first. */
import Table from 'cli-table3';
import type { FlatRow } from './rows.js';

const SHOWN: readonly [string, string][] = [
  ['status', 'status'], ['outcome', 'outcome'], ['vmStat.faults', 'faults'], ['vmStat.pageouts', 'pageouts'],
  ['minFreeCount', 'min free'], ['maxLaundryCount', 'max laundry'], ['integrity.lostWrites', 'lost writes'],
];

export function formatSweepTable(axes: readonly string[], rows: readonly FlatRow[]): string {
  if (rows.length === 0) return '';
  // cli-table3 colours header and borders even when piped unless style is empty
  const table = new Table({ head: ['#', ...axes, ...SHOWN.map(([, h]) => h)], style: { head: [], border: [] } });
  for (const r of rows) {
    table.push([String(r.point), ...axes.map((a) => String(r[a] ?? '')), ...SHOWN.map(([k]) => (r[k] === undefined || r[k] === null ? '' : String(r[k])))]);
  }
  return table.toString() + '\n';
}
