/**
 * Report inputs that do not need the kernel: a RunResult-shaped record and a stream of samples
 * with the swings a real run has (free count dipping below free_min, laundry bursts). For tests
 * of the report layer only; kernel numbers are tested in test/kernel and test/scenario.
 */
import type { RunResult, Sample } from '../../src/kernel/result.js';

export function fakeSamples(n: number, tasks = 2): Sample[] {
  const out: Sample[] = [];
  let faults = 0;
  let pageins = 0;
  let pageouts = 0;
  for (let i = 0; i < n; i++) {
    faults += 50 + (i % 7) * 10;
    pageins += 30 + (i % 5) * 4;
    pageouts += i % 3 === 0 ? 20 : 0;
    out.push({
      t: (i + 1) * 10_000_000,
      free: 100 + Math.round(80 * Math.sin(i / 9)) + (i % 50 === 17 ? -90 : 0),
      active: 1200 + (i % 40),
      inactive: 400 - (i % 40),
      inactiveTarget: 533,
      wired: 16,
      laundry: i % 13 === 0 ? 64 : i % 13,
      external: 0,
      burstWait: 10 + (i % 30),
      faults, pageins, pageouts,
      reactivations: Math.floor(faults / 10),
      taskRefs: Array.from({ length: tasks }, (_, k) => (i + 1) * (1000 + 100 * k)),
    });
  }
  return out;
}

export function fakeResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    scenario: 'fixture', preset: 'gnumach-1999', seed: 1, outcome: 'completed', outcomeDetail: '', truncated: false,
    simulatedTimeNs: 2_000_000_000, misses: 800, totalPages: 2048, pageSize: 4096,
    vmStat: { faults: 1000, pageins: 700, pageouts: 300, reactivations: 50, zeroFillCount: 300, cowFaults: 0, lookups: 0, hits: 0 },
    pageoutCounters: {
      vm_pageout_active: 900, vm_pageout_inactive: 800, vm_pageout_inactive_nolock: 0, vm_pageout_inactive_busy: 1,
      vm_pageout_inactive_absent: 0, vm_pageout_inactive_used: 50, vm_pageout_inactive_clean: 400, vm_pageout_inactive_dirty: 300,
      vm_pageout_inactive_double: 0, vm_pageout_inactive_cleaned_external: 0,
    },
    thresholds: {
      vm_page_free_reserved: 15, vm_page_free_min: 25, vm_page_free_target: 40, vm_pageout_reserved_internal: 13,
      vm_pageout_reserved_really: 10, vm_page_external_limit: 1000, vm_page_external_target: 900,
    },
    inactiveTarget: 533, maxLaundryCount: 64, minFreeCount: 3, finalBurstWait: 30, selectionPauses: 2, pauses: 12,
    daemonWakeups: 40, doublePaged: 0, defects: [],
    integrity: { readsChecked: 5000, lostWrites: 0, lostWritesFromInjectedErrors: 0 },
    final: { free: 40, active: 1400, inactive: 500, wired: 16, laundry: 0, external: 0 },
    tasks: [
      { name: 'alpha <b>', references: 200_000, faults: 600, misses: 500, finishedNs: 1_900_000_000, readsChecked: 3000, lostWrites: 0 },
      { name: 'beta', references: 100_000, faults: 400, misses: 300, finishedNs: null, readsChecked: 2000, lostWrites: 0 },
    ],
    ...overrides,
  };
}
