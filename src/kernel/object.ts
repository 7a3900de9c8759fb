/**
 * vm_object: internal (anonymous, temporary) and external (pager-backed) objects — GNU Mach
 * vm/vm_object.c, spec §1.3, §6. No shadow chains or copy objects yet: anonymous regions are
 * internal objects, file regions external ones mapped shared (see README, "What is modelled").
 */
import type { Page } from './page.js';
import type { Kernel } from './kernel.js';
import { pageDeactivate, pageFree } from './resident.js';
import { kassert } from './assert.js';

/** VM_OBJECT_EVENT_* */
export const OBJ_INITIALIZED = 0;
export const OBJ_PAGER_READY = 1;
export const OBJ_PAGING_IN_PROGRESS = 2;
export const OBJ_ABSENT_COUNT = 3;

/** The kernel's side of a memory manager: messages it sends (memory_object_* calls). */
export interface PagerPort {
  readonly kind: 'default' | 'file';
  /** memory_object_init: an external object was mapped; the pager answers ready/set_attributes */
  init(object: VMObject): void;
  /** memory_object_create: the default pager takes over an internal object */
  create(object: VMObject): void;
  /** memory_object_data_request for one page at `pagerOffset` */
  dataRequest(object: VMObject, pagerOffset: number): void;
  /** data_write / data_initialize / data_return of the page held in `transport` (offset 0) */
  dataWrite(object: VMObject, pagerOffset: number, transport: VMObject, op: 'data_write' | 'data_initialize' | 'data_return', dirty: boolean): void;
  /** memory_object_terminate: the object is gone, the pager may drop its storage */
  terminate(object: VMObject): void;
}

/** Existence maps: objects of ≤128 pages get a 16-byte map, ≤8192 pages a 1 KiB map, larger none (spec §6.4). */
const EXISTENCE_MAX_PAGES = 8192;

export class VMObject {
  readonly memq = new Set<Page>();
  alive = true;
  refCount = 1;
  pagerCreated = false;
  pagerInitialized = false;
  pagerReady = false;
  /** template: TRUE ("XXX change later"); cleared by memory_object_ready */
  useOldPageout = true;
  canPersist = false;
  pager: PagerPort | null = null;
  pagingOffset = 0;
  pagingInProgress = 0;
  absentCount = 0;
  /** offset (pages) of the last page inserted, for deactivate-behind */
  lastAlloc = 0;
  /** MACH_PAGEMAP existence bitmap; null = VM_EXTERNAL_STATE_UNKNOWN everywhere */
  existence: Uint8Array | null = null;
  /** vm_object_terminate waits for paging_in_progress to drain */
  terminatePending = false;
  /** objects waited on, by VM_OBJECT_EVENT_* (Mach waits on object address + event); made on first wait */
  #events: object[] | null = null;
  event(e: number): object {
    this.#events ??= [{}, {}, {}, {}, {}];
    return this.#events[e]!;
  }
  allWanted = 0;
  /** data-integrity oracle: offset → logical page (only objects that tasks map have any) */
  #logical: Map<number, number> | null = null;
  get logical(): Map<number, number> {
    return (this.#logical ??= new Map());
  }
  /** for a pageout transport object: the page it carries came from here */
  carriesFrom: { object: VMObject; offset: number } | null = null;

  constructor(
    readonly id: number,
    /** a pseudo-address for the VP hash (Mach hashes the object's address) */
    readonly hashAddr: number,
    readonly internal: boolean,
    readonly sizePages: number,
    readonly name: string,
  ) {}

  get temporary(): boolean {
    return this.internal;
  }

  get residentPageCount(): number {
    return this.memq.size;
  }
}

/** vm_object_allocate(size): internal, temporary, no pager. */
export function objectAllocate(k: Kernel, sizePages: number, name: string): VMObject {
  return k.newObject(true, sizePages, name);
}

/** vm_object_paging_begin */
export function pagingBegin(object: VMObject): void {
  object.pagingInProgress++;
}

/** vm_object_paging_end: on reaching 0 wake PAGING_IN_PROGRESS (and finish a deferred terminate). */
export function pagingEnd(k: Kernel, object: VMObject): void {
  kassert(k, object.pagingInProgress > 0, () => `vm_object_paging_end: object ${object.id} not paging`);
  if (--object.pagingInProgress === 0) {
    objectWakeup(k, object, OBJ_PAGING_IN_PROGRESS);
    if (object.terminatePending) objectTerminate(k, object);
  }
}

/** vm_object_assert_wait: set the bit in all_wanted and wait on object+event. */
export function objectAssertWait(k: Kernel, object: VMObject, event: number, reason: string): void {
  object.allWanted |= 1 << event;
  k.sched.assertWait(k.sched.current!, object.event(event), reason);
}

/** vm_object_wakeup: wake all waiters only if the bit was set, then clear it. */
export function objectWakeup(k: Kernel, object: VMObject, event: number): void {
  if (object.allWanted & (1 << event)) {
    object.allWanted &= ~(1 << event);
    k.sched.wakeup(object.event(event));
  }
}

/** vm_object_absent_release */
export function absentRelease(k: Kernel, object: VMObject): void {
  object.absentCount--;
  objectWakeup(k, object, OBJ_ABSENT_COUNT);
}

export const EXTERNAL_ABSENT = 0;
export const EXTERNAL_EXISTS = 1;
export const EXTERNAL_UNKNOWN = 2;

/** vm_external_state_get */
export function existenceGet(object: VMObject, offset: number): number {
  const map = object.existence;
  if (map === null || offset >= map.length * 8) return EXTERNAL_UNKNOWN;
  return map[offset >> 3]! & (1 << (offset & 7)) ? EXTERNAL_EXISTS : EXTERNAL_ABSENT;
}

/** vm_external_state_set(…, VM_EXTERNAL_STATE_EXISTS) */
export function existenceSet(object: VMObject, offset: number): void {
  const map = object.existence;
  if (map !== null && offset < map.length * 8) map[offset >> 3]! |= 1 << (offset & 7);
}

/**
 * vm_object_pager_create(object), spec §6.3: hand an internal object to the default memory
 * manager. The default pager registers at boot, so memory_manager_default_reference never
 * sleeps here; memory_object_create is asynchronous and the object is ready at once.
 */
export function objectPagerCreate(k: Kernel, object: VMObject): void {
  if (object.pagerCreated) return;
  object.pagerCreated = true;
  pagingBegin(object);
  const size = object.sizePages + object.pagingOffset;
  if (size <= EXISTENCE_MAX_PAGES) object.existence = new Uint8Array(size <= 128 ? 16 : 1024);
  object.pager = k.defaultPager;
  object.pagerReady = true;
  k.defaultPager.create(object);
  object.pagerInitialized = true;
  objectWakeup(k, object, OBJ_INITIALIZED);
  pagingEnd(k, object);
}

/** vm_object_collapse: no shadow chains are modelled yet, so there is never anything to collapse. */
export function objectCollapse(_k: Kernel, _object: VMObject): void {}

/**
 * vm_object_deallocate: drop a reference. On the last one a persistable object is cached after
 * vm_object_deactivate_pages; any other object is terminated.
 */
export function objectDeallocate(k: Kernel, object: VMObject): void {
  kassert(k, object.refCount > 0, () => `vm_object_deallocate: object ${object.id} has no references`);
  if (--object.refCount > 0) return;
  if (object.canPersist) {
    for (const m of object.memq) if (!m.busy) pageDeactivate(k, m);
    return;
  }
  objectTerminate(k, object);
}

/**
 * vm_object_terminate for temporary objects: alive = FALSE, wait for paging to drain, free every
 * page, tell the pager. Freeing the pages of a pageout transport object is what retires laundry.
 */
export function objectTerminate(k: Kernel, object: VMObject): void {
  object.alive = false;
  if (object.pagingInProgress > 0) {
    object.terminatePending = true;
    return;
  }
  object.terminatePending = false;
  for (const m of [...object.memq]) {
    kassert(k, !m.busy || m.fictitious || m.absent, () => `vm_object_terminate: busy page ${m.frame} in object ${object.id}`);
    pageFree(k, m);
  }
  if (object.pager !== null) object.pager.terminate(object);
  k.forgetObject(object);
}
