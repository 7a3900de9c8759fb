/**
 * A task: an address space (regions mapping virtual pages to objects, as vm_map entries do) and
 * one user thread replaying a page-reference stream through it. The loop in `run` is the hot
 * path: a reference to a mapped, resident page touches only typed arrays and allocates nothing.
 */
import type { Thread } from '../sim/scheduler.js';
import { RefBatch, REF_INSTR, REF_WRITE, type RefSource } from './ref-source.js';
import type { Backing, RegionSpec, TaskSpec } from './scenario.js';
import type { Kernel } from './kernel.js';
import { PTE_MOD, PTE_REF, PTE_VALID, PTE_WRITE } from './pmap.js';
import { vmFault, vmFaultFinish, type FaultMapping } from './fault.js';
import type { Page } from './page.js';
import { pageFree, pageGrab, pageLookup, pageWait, pageWire } from './resident.js';
import { objectDeallocate, type VMObject } from './object.js';

/** Virtual pages of every task, numbered globally; the pmap's PTE arrays use the same numbers. */
export class Vpages {
  count = 0;
  objects: VMObject[] = [];
  offset = new Float64Array(1024);
  logical = new Int32Array(1024);
  writable = new Uint8Array(1024);

  add(k: Kernel, object: VMObject, offset: number, writable: boolean): number {
    const vp = this.count++;
    if (vp === this.offset.length) {
      const cap = vp * 2;
      const o = new Float64Array(cap); o.set(this.offset); this.offset = o;
      const l = new Int32Array(cap); l.set(this.logical); this.logical = l;
      const w = new Uint8Array(cap); w.set(this.writable); this.writable = w;
    }
    k.pmap.ensureVpages(this.count);
    this.objects[vp] = object;
    this.offset[vp] = offset;
    this.writable[vp] = writable ? 1 : 0;
    let lp = object.logical.get(offset);
    if (lp === undefined) object.logical.set(offset, (lp = k.newLogicalPage()));
    this.logical[vp] = lp;
    return vp;
  }
}

/** Finds file objects by name (shared across tasks); the simulation implements it. */
export interface ObjectDirectory {
  fileObject(name: string): VMObject;
  anonymousObject(task: Task, name: string, sizePages: number): VMObject;
}

export class Task {
  readonly thread: Thread;
  readonly source: RefSource;
  readonly #batch = new RefBatch(4096);
  #pos = 0;
  #len = 0;
  #remaining = 0;
  refsDone = 0;
  faults = 0;
  /** references whose page was not resident when they trapped (once per reference, however often it retried) */
  misses = 0;
  #missCounted = false;
  readsChecked = 0;
  lostWrites = 0;
  finishedNs: number | null = null;
  /** why the task was killed (memory error, protection), or null */
  error: string | null = null;
  started = false;
  readonly cpuNs: number;

  // vpn → global vpage: open addressing over typed arrays
  #keys = new Float64Array(1024).fill(-1);
  #vals = new Int32Array(1024);
  #used = 0;
  #lastVpn = -1;
  #lastVp = -1;
  readonly #vps: number[] = [];
  readonly #regions: RegionSpec[];
  readonly #regionObjects: (VMObject | null)[];
  readonly #unmappedObjects = new Map<string, VMObject>();
  readonly #objects = new Set<VMObject>();
  /** page-table pages by page-directory index (one covers 1024 pages, 4 MiB), wired kernel memory */
  readonly #pageTables = new Map<number, Page>();
  /** a fault waiting in pmap_enter for a page-table page, holding its page busy */
  #pending: { object: VMObject; page: Page; mapping: FaultMapping } | null = null;

  constructor(
    readonly index: number,
    readonly spec: TaskSpec,
    thread: Thread,
    private readonly k: Kernel,
    private readonly vpages: Vpages,
    private readonly dir: ObjectDirectory,
    cpuNs: number,
    private readonly faultNs: number,
  ) {
    this.thread = thread;
    this.source = spec.source();
    this.cpuNs = cpuNs;
    this.#regions = [...spec.regions].sort((a, b) => a.startPage - b.startPage);
    this.#regionObjects = this.#regions.map(() => null);
  }

  get totalRefs(): number {
    return this.source.totalRefs ?? NaN;
  }

  #lookup(vpn: number): number {
    const keys = this.#keys;
    const mask = keys.length - 1;
    let i = hash(vpn) & mask;
    for (;;) {
      const key = keys[i]!;
      if (key === vpn) return this.#vals[i]!;
      if (key === -1) return -1;
      i = (i + 1) & mask;
    }
  }

  #insert(vpn: number, vp: number): void {
    if ((this.#used + 1) * 2 > this.#keys.length) {
      const oldKeys = this.#keys;
      const oldVals = this.#vals;
      this.#keys = new Float64Array(oldKeys.length * 2).fill(-1);
      this.#vals = new Int32Array(oldKeys.length * 2);
      this.#used = 0;
      for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== -1) this.#insert(oldKeys[i]!, oldVals[i]!);
    }
    const keys = this.#keys;
    const mask = keys.length - 1;
    let i = hash(vpn) & mask;
    while (keys[i] !== -1) i = (i + 1) & mask;
    keys[i] = vpn;
    this.#vals[i] = vp;
    this.#used++;
  }

  /** vm_map_lookup on first touch: which object and offset back this virtual page. */
  #resolve(vpn: number, instruction: boolean): number {
    let object: VMObject;
    let offset: number;
    let writable = true;
    const r = this.#regionIndex(vpn);
    if (r >= 0) {
      const region = this.#regions[r]!;
      let o = this.#regionObjects[r]!;
      if (o === null) o = this.#regionObjects[r] = this.#objectFor(region.backing, `${this.spec.name}:${region.name}`, region.pages);
      object = o;
      offset = (region.backing.kind === 'file' ? region.backing.offsetPages : 0) + (vpn - region.startPage);
      writable = region.writable;
    } else {
      const backing = instruction ? this.spec.unmapped.instruction : this.spec.unmapped.data;
      const key = backing.kind === 'file' ? `file:${backing.file}` : instruction ? 'anon:text' : 'anon:data';
      let o = this.#unmappedObjects.get(key);
      if (o === undefined) {
        o = this.#objectFor(backing, `${this.spec.name}:${instruction ? 'text' : 'data'}`, Infinity);
        this.#unmappedObjects.set(key, o);
      }
      object = o;
      offset = (backing.kind === 'file' ? backing.offsetPages : 0) + vpn;
    }
    const vp = this.vpages.add(this.k, object, offset, writable);
    this.#insert(vpn, vp);
    this.#vps.push(vp);
    return vp;
  }

  #objectFor(backing: Backing, name: string, sizePages: number): VMObject {
    const o = backing.kind === 'file' ? this.dir.fileObject(backing.file) : this.dir.anonymousObject(this, name, sizePages);
    this.#objects.add(o);
    return o;
  }

  #regionIndex(vpn: number): number {
    const regions = this.#regions;
    for (let i = 0; i < regions.length; i++) {
      const r = regions[i]!;
      if (vpn >= r.startPage && vpn < r.startPage + r.pages) return i;
    }
    return -1;
  }

  /**
   * Run the user thread until `limit` (CPU time), a fault that must wait, or the end of the
   * stream. Returns why it stopped, for the scheduler.
   */
  run(limit: number): 'blocked' | 'yield' | 'exit' {
    const k = this.k;
    if (this.#pending !== null) {
      const p = this.#pending;
      if (vmFaultFinish(k, p.object, p.page, p.mapping) === 'wait-pagetable') {
        k.sched.block(this.thread, () => {});
        return 'blocked';
      }
      this.#pending = null;
      if (k.sched.preemptPending) return 'yield';
    }
    const clock = k.sched.clock;
    const batch = this.#batch;
    const cpu = this.cpuNs;
    const start = clock.now;
    let now = start;
    for (;;) {
      if (this.#remaining === 0) {
        if (++this.#pos >= this.#len) {
          this.#len = this.source.read(batch);
          this.#pos = 0;
          if (this.#len === 0) {
            clock.advanceTo(now);
            this.exit(null);
            return 'exit';
          }
        }
        this.#remaining = batch.count[this.#pos]!;
        if (this.#remaining === 0) continue;
      }
      const vpn = batch.page[this.#pos]!;
      const flags = batch.flags[this.#pos]!;
      const write = (flags & REF_WRITE) !== 0;
      let vp = vpn === this.#lastVpn ? this.#lastVp : this.#lookup(vpn);
      if (vp >= 0) {
        this.#lastVpn = vpn;
        this.#lastVp = vp;
        const pte = k.pmap.pte;
        const bits = pte[vp]!;
        if ((bits & PTE_VALID) !== 0 && (!write || (bits & PTE_WRITE) !== 0)) {
          // the hot path: a hit on a mapped page
          let n = this.#remaining;
          let byTime = Math.floor((limit - now) / cpu);
          if (byTime <= 0) {
            // a reference is indivisible: the first one of a slice may overrun a timer, which then fires right after
            if (now !== start) {
              clock.advanceTo(now);
              return 'yield';
            }
            byTime = 1;
          }
          if (n > byTime) n = byTime;
          pte[vp] = bits | PTE_REF | (write ? PTE_MOD : 0);
          const frame = k.pmap.pteFrame[vp]!;
          const lp = this.vpages.logical[vp]!;
          if (write) {
            const v = (k.lpExpected[lp]! + n) >>> 0;
            k.lpExpected[lp] = v;
            k.frameContent[frame] = v;
          } else {
            this.readsChecked += n;
            if (k.frameContent[frame] !== k.lpExpected[lp]) {
              // a write was lost: count it once and resynchronise so later reads do not recount it
              this.lostWrites++;
              k.frameContent[frame] = k.lpExpected[lp]!;
            }
          }
          now += n * cpu;
          this.#remaining -= n;
          this.refsDone += n;
          this.#missCounted = false;
          continue;
        }
      }
      // a page fault: trap into the kernel
      if (now + this.faultNs > limit && now !== start) {
        clock.advanceTo(now);
        return 'yield';
      }
      now += this.faultNs;
      clock.advanceTo(now);
      if (vp < 0) vp = this.#resolve(vpn, (flags & REF_INSTR) !== 0);
      const writable = this.vpages.writable[vp] === 1;
      if (write && !writable) {
        this.exit(`write to read-only page 0x${vpn.toString(16)}`);
        return 'exit';
      }
      this.faults++;
      const object = this.vpages.objects[vp]!;
      if (!this.#missCounted) {
        this.#missCounted = true;
        const m = pageLookup(k, object, this.vpages.offset[vp]!);
        if (m === null || m.absent || m.fictitious) this.misses++;
      }
      const mapping = this.#mapping(vp, vpn, writable);
      const r = vmFault(k, object, this.vpages.offset[vp]!, mapping);
      if (k.emit) k.emit({ type: 'fault', t: clock.now, task: this.index, page: vpn, write, result: r === 'resolved' ? 'resolved' : r === 'error' ? 'memory error' : r === 'wait' ? 'waits' : 'waits for a page-table page' });
      if (r === 'wait-pagetable') {
        this.#pending = { object, page: this.#pendingPage!, mapping };
        k.sched.block(this.thread, () => {});
        return 'blocked';
      }
      if (r === 'wait') {
        k.sched.block(this.thread, () => {});
        return 'blocked';
      }
      if (r === 'error') {
        this.exit(`memory error: the pager answered data_error for page 0x${vpn.toString(16)}`);
        return 'exit';
      }
      now = clock.now;
      if (k.sched.preemptPending) return 'yield';
    }
  }

  #pendingPage: Page | null = null;

  /** The mapping vm_fault enters, reused for every fault of this task (faults are not nested). */
  readonly #faultMapping: FaultMapping & { vpn: number } = {
    vp: -1,
    writable: false,
    vpn: 0,
    pageTable: (m: Page) => this.#pageTable(m),
  };

  #mapping(vp: number, vpn: number, writable: boolean): FaultMapping {
    const mapping = this.#faultMapping;
    mapping.vp = vp;
    mapping.vpn = vpn;
    mapping.writable = writable;
    return mapping;
  }

  /** pmap_enter's page-table allocation (pmap_page_table_page_alloc): grab, or VM_PAGE_WAIT holding `m` busy. */
  #pageTable(m: Page): boolean {
    const k = this.k;
    const dir = Math.floor(this.#faultMapping.vpn / 1024);
    if (this.#pageTables.has(dir)) return true;
    for (let attempt = 0; attempt < 4; attempt++) {
      const pt = pageGrab(k, false);
      if (pt !== null) {
        pt.busy = false;
        pageWire(k, pt);
        this.#pageTables.set(dir, pt);
        return true;
      }
      this.#pendingPage = m;
      if (pageWait(k)) return false;
    }
    throw new Error('pmap_page_table_page_alloc: vm_page_wait keeps returning without memory');
  }

  /** Free this task's page tables (task exit, pmap_collect); their mappings must be gone. */
  #freePageTables(): void {
    for (const pt of this.#pageTables.values()) pageFree(this.k, pt);
    this.#pageTables.clear();
  }

  get pageTablePages(): number {
    return this.#pageTables.size;
  }

  /** Task termination: the address space goes away; anonymous objects die, file objects are cached. */
  exit(error: string | null): void {
    const k = this.k;
    this.error = error;
    this.finishedNs = k.sched.clock.now;
    this.source.close();
    for (const vp of this.#vps) k.pmap.remove(vp);
    this.#freePageTables();
    for (const o of this.#objects) objectDeallocate(k, o);
    this.#objects.clear();
    if (k.emit) k.emit({ type: 'task', t: k.now, task: this.index, what: 'exit' });
  }

  /** pmap_collect(task->map->pmap): drop every (unwired) mapping of this task. */
  collectMappings(): void {
    if (this.#pending !== null) return; // a fault is inside pmap_enter: leave this pmap alone
    for (const vp of this.#vps) this.k.pmap.remove(vp);
    this.#freePageTables();
  }
}

function hash(vpn: number): number {
  const lo = vpn >>> 0;
  const hi = (vpn / 4294967296) >>> 0;
  return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15);
}
