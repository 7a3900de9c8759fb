/**
 * The resolved scenario the kernel runs: every default filled in and checked (Vite's
 * ResolvedConfig). Scenario files (src/workload) and CLI options produce this; the kernel
 * knows no files.
 */
import type { RefSource } from './ref-source.js';
import type { InputLocation } from '../errors.js';

export type Ns = number;

export type PresetName = 'cmu-1987' | 'gnumach-1999' | 'gnumach-2014';
export const PRESET_NAMES: readonly PresetName[] = ['cmu-1987', 'gnumach-1999', 'gnumach-2014'];

/** The seed's tunables, by the kernel variable each sets (vm_pageout() fills a zero one from its #define). */
export const TUNABLE_NAMES = [
  'vm_pageout_burst_max',
  'vm_pageout_burst_min',
  'vm_pageout_burst_wait',
  'vm_pageout_empty_wait',
  'vm_pageout_pause_max',
  'vm_page_free_reserved',
  'vm_pageout_reserved_internal',
  'vm_pageout_reserved_really',
  'vm_page_free_min',
  'vm_page_free_target',
  'vm_page_external_limit',
  'vm_page_external_target',
] as const;
export type TunableName = (typeof TUNABLE_NAMES)[number];
export type Tunables = Partial<Record<TunableName, number>>;

export type DefectName = 'B1' | 'B2' | 'B3';
export const DEFECT_NAMES: readonly DefectName[] = ['B1', 'B2', 'B3'];
/** true = the defect is fixed; faithful (all false) is the default. */
export type Fixes = Record<DefectName, boolean>;

export interface MachineSpec {
  /** physical page frames */
  memoryPages: number;
  /** bytes per page; traces' byte addresses are divided by it */
  pageSize: number;
  /** clock ticks per second; timed waits round up to whole ticks */
  hz: number;
  /** user CPU time per memory reference */
  cpuNsPerRef: number;
  /** kernel CPU time charged to the faulting thread per page fault */
  faultNs: number;
  /** round-robin time slice of user threads */
  quantumNs: number;
  /** pages the kernel itself holds (wired) before the pageout daemon starts */
  bootWiredPages: number;
}

export interface DiskSpec {
  readLatencyNs: Ns;
  writeLatencyNs: Ns;
  /** transfer time per page, added to the latency */
  perPageNs: Ns;
}

export interface FaultInjection {
  /** probability that a page write fails (the pager records the error; a later read gets data_error) */
  writeErrorRate: number;
  /** probability that a page read fails (data_error) */
  readErrorRate: number;
}

export interface PagerSpec {
  disk: DiskSpec;
  faults: FaultInjection;
  /** a misbehaving pager that never deallocates the data sent to it (pages stay resident) */
  neverDeallocate: boolean;
}

/** What backs a region of a task's address space. */
export type Backing =
  | { kind: 'anonymous' }
  | { kind: 'file'; file: string; offsetPages: number };

export interface RegionSpec {
  name: string;
  /** first virtual page */
  startPage: number;
  pages: number;
  backing: Backing;
  writable: boolean;
}

export interface TaskSpec {
  name: string;
  startNs: Ns;
  /** a fresh stream each call, so one scenario can be run twice */
  source: () => RefSource;
  regions: RegionSpec[];
  /** pages outside every region: instruction fetches go to `text`, data to `data` */
  unmapped: { instruction: Backing; data: Backing };
  /** overrides machine.cpuNsPerRef */
  cpuNsPerRef?: number;
}

export interface KernelOptions {
  /** the ~101 s consider_task_collect → pmap_collect unmapping of spec §10 */
  pmapCollect: boolean;
  /** vm_page_deactivate_behind in vm_page_insert (spec §3.8); TRUE in GNU Mach */
  deactivateBehind: boolean;
  /** "intended" external accounting: set `external` when a page is inserted in an external object (spec §3.2) */
  externalOnInsert: boolean;
  /** cheap asserts always; 'full' also walks queues after every daemon step (tests) */
  checks: 'normal' | 'full';
}

/** A file's size when the run starts; pages beyond it have no data yet (see the file pager). */
export interface FileSpec {
  name: string;
  sizePages: number;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  machine: MachineSpec;
  preset: PresetName;
  tunables: Tunables;
  fixes: Fixes;
  options: KernelOptions;
  pagers: { default: PagerSpec; file: PagerSpec };
  tasks: TaskSpec[];
  /** sizes of the files tasks map; a file not listed has data at every page */
  files?: FileSpec[];
  /** where the memory size came from, so "too small" names the file line or the flag */
  memoryAt?: InputLocation;
  /** stop (outcome 'completed', truncated = true) at this simulated time; 0 = run to the end */
  maxSimNs: Ns;
}

export const DEFAULT_MACHINE: MachineSpec = {
  memoryPages: 16384,
  pageSize: 4096,
  hz: 100,
  cpuNsPerRef: 10,
  faultNs: 2_000,
  quantumNs: 100_000_000,
  bootWiredPages: 0,
};

export const DEFAULT_DISK: DiskSpec = { readLatencyNs: 5_000_000, writeLatencyNs: 5_000_000, perPageNs: 100_000 };

export function defaultPager(): PagerSpec {
  return { disk: { ...DEFAULT_DISK }, faults: { writeErrorRate: 0, readErrorRate: 0 }, neverDeallocate: false };
}

export const DEFAULT_OPTIONS: KernelOptions = {
  pmapCollect: false,
  deactivateBehind: true,
  externalOnInsert: false,
  checks: 'normal',
};

export const NO_FIXES: Fixes = { B1: false, B2: false, B3: false };
