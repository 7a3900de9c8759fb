/** What a kernel-mode run reports (issue: kernel mode, item 9). Plain data: JSON, CSV, the worker. */
import type { DefectName, Ns, PresetName } from './scenario.js';
import type { ScanStep } from './events.js';

export type Outcome = 'completed' | 'panic' | 'livelock' | 'deadlock';

export interface VmStat {
  faults: number;
  pageins: number;
  pageouts: number;
  reactivations: number;
  zeroFillCount: number;
  cowFaults: number;
  lookups: number;
  hits: number;
}

/** The seed's own counters, keyed by the seed's variable names. */
export interface PageoutCounters {
  vm_pageout_active: number;
  vm_pageout_inactive: number;
  vm_pageout_inactive_nolock: number;
  vm_pageout_inactive_busy: number;
  vm_pageout_inactive_absent: number;
  vm_pageout_inactive_used: number;
  vm_pageout_inactive_clean: number;
  vm_pageout_inactive_dirty: number;
  vm_pageout_inactive_double: number;
  vm_pageout_inactive_cleaned_external: number;
}

export interface Thresholds {
  vm_page_free_reserved: number;
  vm_page_free_min: number;
  vm_page_free_target: number;
  vm_pageout_reserved_internal: number;
  vm_pageout_reserved_really: number;
  vm_page_external_limit: number;
  vm_page_external_target: number;
}

export interface TaskResult {
  name: string;
  references: number;
  faults: number;
  /** references whose page was not resident (a page-in or a zero fill followed), each counted once */
  misses: number;
  /** simulated time the task's stream ended, or null if it did not */
  finishedNs: Ns | null;
  readsChecked: number;
  lostWrites: number;
  /** why the task was killed (a memory error from the pager, a write to a read-only region) */
  error?: string;
}

/** The first time a run reached a seed defect's condition. */
export interface DefectHit {
  defect: DefectName;
  step: ScanStep;
  t: Ns;
  /** the page the step was looking at; -1 for none */
  page: number;
  /** the run had this defect's fix on, so the fix, not the defect, decided what happened */
  fixed: boolean;
}

export interface RunResult {
  scenario: string;
  preset: PresetName;
  seed: number;
  outcome: Outcome;
  /** for panic: the failed assertion, the step and the time; for livelock/deadlock: what spun or waited */
  outcomeDetail: string;
  /** the run stopped at scenario.maxSimNs before every task finished */
  truncated: boolean;
  simulatedTimeNs: Ns;
  /**
   * references that found their page not resident, once per reference: the kernel's misses in
   * cache terms (vm_stat.faults also counts soft faults and every retry after a wait)
   */
  misses: number;
  totalPages: number;
  pageSize: number;
  vmStat: VmStat;
  pageoutCounters: PageoutCounters;
  thresholds: Thresholds;
  /** vm_page_inactive_target at the end of the run */
  inactiveTarget: number;
  maxLaundryCount: number;
  minFreeCount: number;
  finalBurstWait: number;
  /** times S5's selection walk went back to the pause test (`goto pause`) */
  selectionPauses: number;
  /** timed pauses the daemon took (S4) */
  pauses: number;
  /** daemon wakeups from its idle sleep */
  daemonWakeups: number;
  /** double pagings completed: external pages requeued at the inactive head by vm_pageout_setup */
  doublePaged: number;
  defects: DefectHit[];
  integrity: { readsChecked: number; lostWrites: number; lostWritesFromInjectedErrors: number };
  final: { free: number; active: number; inactive: number; wired: number; laundry: number; external: number };
  tasks: TaskResult[];
}

/** One point of the time series that reports and the visualizer draw. */
export interface Sample {
  t: Ns;
  free: number;
  active: number;
  inactive: number;
  inactiveTarget: number;
  wired: number;
  laundry: number;
  external: number;
  burstWait: number;
  faults: number;
  pageins: number;
  pageouts: number;
  reactivations: number;
  /** references done per task, in scenario order */
  taskRefs: number[];
}
