/**
 * One machine: the state that GNU Mach keeps in globals (queues, counters, thresholds, the VP
 * hash table, the pmap) composed in one object that every kernel function takes as `k`.
 */
import { Scheduler } from '../sim/scheduler.js';
import type { KernelEvent, ScanStep } from './events.js';
import type { Fixes, KernelOptions, Thresholds, VmStat } from './index-types.js';
import { Page, PageQueue } from './page.js';
import { Pmap } from './pmap.js';
import { VMObject, type PagerPort } from './object.js';
import { newVmStat, PageoutStats } from './stats.js';
import type { DaemonParams } from './params.js';
import type { DefectHit } from './index-types.js';
import type { DaemonRecord } from './pageout.js';

export class Kernel {
  readonly sched: Scheduler;
  readonly pmap: Pmap;
  /** physical frames, by frame number */
  readonly pages: Page[];
  /** vm_page_queue_free: a LIFO stack (pop = head); low frames come out first */
  readonly freeList: Page[] = [];
  /** vm_page_queue_fictitious */
  readonly fictitiousFree: Page[] = [];
  readonly activeQueue = new PageQueue('active');
  readonly inactiveQueue = new PageQueue('inactive');
  /** the VP hash table: buckets = smallest power of two ≥ physical pages (spec §4.3 B1) */
  readonly buckets: (Page | null)[];
  readonly hashMask: number;

  // counters of spec §1.2
  freeCount = 0;
  activeCount = 0;
  inactiveCount = 0;
  wireCount = 0;
  laundryCount = 0;
  externalCount = 0;
  freeWanted = 0;
  /** vm_page_inactive_target: 0 until the first scan */
  inactiveTarget = 0;
  /** vm_page_free_count_minimum */
  minFreeCount: number;
  maxLaundryCount = 0;

  /**
   * thresholds as vm_pageout() left them. Before the daemon starts, a provisional set derived from
   * all of memory (in C they are still 0): only boot-time grabs, treated as privileged, see them.
   */
  th: Thresholds;
  daemon: DaemonParams & { pauseCount: number };

  readonly vmStat: VmStat = newVmStat();
  readonly stats = new PageoutStats();
  /** the seed step being executed, for panic reports */
  currentStep: ScanStep | null = null;
  /** event listener; null on the hot path */
  emit: ((e: KernelEvent) => void) | null = null;

  /** &vm_page_free_wanted: the idle daemon sleeps here */
  readonly evFreeWanted = { name: 'vm_page_free_wanted' };
  /** &vm_page_free_count: vm_page_wait sleepers */
  readonly evFreeCount = { name: 'vm_page_free_count' };

  readonly objects = new Map<number, VMObject>();
  #nextObjectId = 1;

  defaultPager!: PagerPort;
  filePager!: PagerPort;

  // data-integrity oracle (DESIGN: "every page carries a content version")
  /** content version held by each physical frame */
  readonly frameContent: Uint32Array;
  /** expected version of each logical page (object, offset) */
  lpExpected = new Uint32Array(1024);
  lpCount = 0;
  readsChecked = 0;
  lostWrites = 0;
  lostWritesFromInjectedErrors = 0;

  constructor(
    memoryPages: number,
    hz: number,
    quantumNs: number,
    readonly options: KernelOptions,
    readonly fixes: Fixes,
    initialThresholds: Thresholds,
    daemon: DaemonParams,
  ) {
    this.sched = new Scheduler(hz, quantumNs);
    this.pmap = new Pmap(memoryPages);
    this.pages = new Array<Page>(memoryPages);
    for (let f = 0; f < memoryPages; f++) this.pages[f] = new Page(f, false);
    // boot pushes pages in reverse so low addresses come out first
    for (let f = memoryPages - 1; f >= 0; f--) {
      const m = this.pages[f]!;
      m.free = true;
      this.freeList.push(m);
    }
    this.freeCount = memoryPages;
    this.minFreeCount = memoryPages;
    let buckets = 1;
    while (buckets < memoryPages) buckets *= 2;
    this.buckets = new Array<Page | null>(buckets).fill(null);
    this.hashMask = buckets - 1;
    this.th = initialThresholds;
    this.daemon = { ...daemon, pauseCount: 0 };
    this.frameContent = new Uint32Array(memoryPages);
  }

  get now(): number {
    return this.sched.clock.now;
  }

  newObject(internal: boolean, sizePages: number, name: string): VMObject {
    const id = this.#nextObjectId++;
    // a pseudo kernel address for the hash: zone elements of struct vm_object (about 160 bytes)
    const hashAddr = (0xc0200000 + id * 0xa0) >>> 0;
    const o = new VMObject(id, hashAddr, internal, sizePages, name);
    this.objects.set(id, o);
    return o;
  }

  forgetObject(o: VMObject): void {
    this.objects.delete(o.id);
  }

  /** A new logical page for the oracle; its expected content starts at version 0 (zero-filled or file data). */
  newLogicalPage(): number {
    if (this.lpCount === this.lpExpected.length) {
      const bigger = new Uint32Array(this.lpExpected.length * 2);
      bigger.set(this.lpExpected);
      this.lpExpected = bigger;
    }
    return this.lpCount++;
  }

  /** first hit of each seed defect, and how often each was hit (fixed or not: k.fixes says) */
  readonly defects: DefectHit[] = [];
  readonly defectCounts = { B1: 0, B2: 0, B3: 0 };
  daemonRecord!: DaemonRecord;
  /** consider_task_collect → pmap_collect on every task (set by the simulation, which knows the tasks) */
  pmapCollectAll: () => void = () => {};

  noteLaundry(): void {
    if (this.laundryCount > this.maxLaundryCount) this.maxLaundryCount = this.laundryCount;
  }
}
