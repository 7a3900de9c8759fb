/**
 * A RunResult as one flat row (CSV, the sweep's rows, the report's summary table): nested
 * objects become dotted columns (`vmStat.faults`), the per-defect hits become a count per defect
 * and the tasks a compact JSON cell, so every row of a sweep has the same columns.
 */
import type { RunResult } from '../kernel/result.js';
import { DEFECT_NAMES } from '../kernel/scenario.js';

export type FlatValue = string | number | boolean | null;
export type FlatRow = Record<string, FlatValue>;

function flatten(value: object, prefix: string, out: FlatRow): void {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out[key] = Array.isArray(v) ? JSON.stringify(v) : (v as FlatValue);
  }
}

export function runCsvRow(r: RunResult): FlatRow {
  const { defects, tasks, ...rest } = r;
  const out: FlatRow = {};
  flatten(rest, '', out);
  for (const d of DEFECT_NAMES) out[`defects.${d}`] = defects.filter((h) => h.defect === d).length;
  out['tasks'] = JSON.stringify(tasks.map((t) => ({ name: t.name, references: t.references, faults: t.faults, finishedNs: t.finishedNs })));
  return out;
}
