/** The text table `pageout sweep` prints: each point's values and the numbers compared first. */
import Table from 'cli-table3';
import type { FlatRow } from './rows.js';

const KERNEL_SHOWN: readonly [string, string][] = [
  ['status', 'status'], ['outcome', 'outcome'], ['vmStat.faults', 'faults'], ['vmStat.pageouts', 'pageouts'],
  ['minFreeCount', 'min free'], ['maxLaundryCount', 'max laundry'], ['integrity.lostWrites', 'lost writes'],
];
const CACHE_SHOWN: readonly [string, string][] = [
  ['status', 'status'], ['frames', 'frames'], ['requests', 'requests'], ['misses', 'misses'], ['missRatio', 'miss ratio'], ['writebacks', 'writebacks'],
];

export function formatSweepTable(axes: readonly string[], rows: readonly FlatRow[], mode: 'kernel' | 'cache' = 'kernel'): string {
  if (rows.length === 0) return '';
  const SHOWN = mode === 'cache' ? CACHE_SHOWN : KERNEL_SHOWN;
  // cli-table3 colours header and borders even when piped unless style is empty
  const table = new Table({ head: ['#', ...axes, ...SHOWN.map(([, h]) => h)], style: { head: [], border: [] } });
  for (const r of rows) {
    // a long path would push the numbers off the screen: its file name says enough here
    table.push([String(r.point), ...axes.map((a) => (a === 'trace' || a === 'scenario' ? String(r[a] ?? '').split('/').pop()! : String(r[a] ?? ''))), ...SHOWN.map(([k]) => cell(r[k]))]);
  }
  return table.toString() + '\n';
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(4);
  return String(v);
}
