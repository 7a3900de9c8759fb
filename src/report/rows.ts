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
  // 1 where the defect acted; a run with its fix on met the condition harmlessly, and counts 0
  for (const d of DEFECT_NAMES) out[`defects.${d}`] = defects.filter((h) => h.defect === d && !h.fixed).length;
  out['tasks'] = JSON.stringify(tasks.map((t) => ({ name: t.name, references: t.references, faults: t.faults, misses: t.misses, finishedNs: t.finishedNs, ...(t.error !== undefined ? { error: t.error } : {}) })));
  return out;
}

/** A result with every field, so the column list below follows RunResult (a new field fails to compile here). */
const TEMPLATE: RunResult = {
  scenario: '', preset: 'gnumach-1999', seed: 0, outcome: 'completed', outcomeDetail: '', truncated: false,
  simulatedTimeNs: 0, misses: 0, totalPages: 0, pageSize: 0,
  vmStat: { faults: 0, pageins: 0, pageouts: 0, reactivations: 0, zeroFillCount: 0, cowFaults: 0, lookups: 0, hits: 0 },
  pageoutCounters: {
    vm_pageout_active: 0, vm_pageout_inactive: 0, vm_pageout_inactive_nolock: 0, vm_pageout_inactive_busy: 0,
    vm_pageout_inactive_absent: 0, vm_pageout_inactive_used: 0, vm_pageout_inactive_clean: 0, vm_pageout_inactive_dirty: 0,
    vm_pageout_inactive_double: 0, vm_pageout_inactive_cleaned_external: 0,
  },
  thresholds: {
    vm_page_free_reserved: 0, vm_page_free_min: 0, vm_page_free_target: 0, vm_pageout_reserved_internal: 0,
    vm_pageout_reserved_really: 0, vm_page_external_limit: 0, vm_page_external_target: 0,
  },
  inactiveTarget: 0, maxLaundryCount: 0, minFreeCount: 0, finalBurstWait: 0, selectionPauses: 0, pauses: 0,
  daemonWakeups: 0, doublePaged: 0, defects: [],
  integrity: { readsChecked: 0, lostWrites: 0, lostWritesFromInjectedErrors: 0 },
  final: { free: 0, active: 0, inactive: 0, wired: 0, laundry: 0, external: 0 },
  tasks: [],
};

/** The columns of runCsvRow, in order. */
export const RUN_COLUMNS: readonly string[] = Object.keys(runCsvRow(TEMPLATE));
