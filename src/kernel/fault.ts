/**
 * vm_fault.c: the page fault path, spec §5. No shadow chains yet (every object is the first and
 * last of its chain), so vm_fault_page either finds the page, asks the pager for it, or zero-fills.
 */
import type { Kernel } from './kernel.js';
import type { Page } from './page.js';
import { EXTERNAL_ABSENT, existenceGet, objectAssertWait, OBJ_ABSENT_COUNT, OBJ_PAGER_READY, pagingBegin, pagingEnd, type VMObject } from './object.js';
import { grabFictitious, pageActivate, pageAssertWait, pageFree, pageGrab, pageInsert, pageLookup, pageWait, pageWakeupDone } from './resident.js';

/** vm_object_absent_max: outstanding data requests per external object before faults wait */
export const VM_OBJECT_ABSENT_MAX = 50;

/** What vm_fault_page returns: the busy page, or why not (the wait, if any, is already asserted). */
export type FaultPageResult = Page | 'wait' | 'shortage' | 'error';

/** vm_page_zero_fill + the oracle: a zero-filled frame holds version 0. */
function zeroFill(k: Kernel, m: Page): void {
  k.frameContent[m.frame] = 0;
  k.vmStat.zeroFillCount++;
  k.pmap.clearModify(m.frame);
}

/**
 * vm_fault_page(first_object, first_offset, …), spec §5.2, for a chain of one object.
 * On success the page is busy and the caller must PAGE_WAKEUP_DONE it.
 */
export function faultPage(k: Kernel, object: VMObject, offset: number): FaultPageResult {
  k.vmStat.faults++;
  k.vmStat.lookups++;
  const m = pageLookup(k, object, offset);
  if (m !== null) {
    k.vmStat.hits++;
    if (m.busy) {
      pageAssertWait(k, m, m.absent ? `page-in of object ${object.id} offset ${offset}` : `busy page ${m.frame}`);
      return 'wait';
    }
    if (m.error) {
      pageFree(k, m);
      return 'error';
    }
    if (m.absent) {
      // the pager said data_unavailable: no shadow to look in, so zero-fill in the first object
      const real = pageGrab(k, !object.internal);
      if (real === null) return 'shortage';
      pageFree(k, m);
      pageInsert(k, real, object, offset);
      zeroFill(k, real);
      return real;
    }
    m.busy = true; // left on its paging queue (spec §5.2)
    return m;
  }
  const lookForPage = object.pagerCreated && existenceGet(object, offset + object.pagingOffset) !== EXTERNAL_ABSENT;
  if (!lookForPage) {
    // no pager data: the placeholder becomes a real page (vm_page_convert(m, !internal)) and is zero-filled
    const real = pageGrab(k, !object.internal);
    if (real === null) return 'shortage';
    pageInsert(k, real, object, offset);
    zeroFill(k, real);
    return real;
  }
  if (!object.pagerReady) {
    objectAssertWait(k, object, OBJ_PAGER_READY, `pager of object ${object.id} not ready`);
    return 'wait';
  }
  let placeholder: Page | null;
  if (object.internal) {
    // the default pager's reply must not need memory: convert the placeholder to a real page now
    placeholder = pageGrab(k, false);
    if (placeholder === null) return 'shortage';
  } else {
    if (object.absentCount > VM_OBJECT_ABSENT_MAX) {
      objectAssertWait(k, object, OBJ_ABSENT_COUNT, `object ${object.id} has too many page-ins outstanding`);
      return 'wait';
    }
    placeholder = grabFictitious(k);
  }
  pageInsert(k, placeholder, object, offset);
  placeholder.absent = true;
  object.absentCount++;
  k.vmStat.pageins++;
  object.pager!.dataRequest(object, offset + object.pagingOffset);
  pageAssertWait(k, placeholder, `page-in of object ${object.id} offset ${offset}`);
  return 'wait';
}

export type FaultResult = 'resolved' | 'wait' | 'wait-pagetable' | 'error';

/** Where vm_fault enters the page: a task's vpage, and pmap_enter's page-table allocation. */
export interface FaultMapping {
  vp: number;
  writable: boolean;
  /**
   * i386 pmap_enter allocates a missing page-table page with vm_page_grab and VM_PAGE_WAITs
   * for one while the faulted page stays busy (pmap_page_table_page_alloc). Returns false when
   * the thread has asserted that wait.
   */
  pageTable(m: Page): boolean;
}

/**
 * vm_fault(map, vaddr, fault_type, change_wiring=FALSE), spec §5.1, after vm_map_lookup found
 * (object, offset). MEMORY_SHORTAGE → vm_page_wait, then a full retry.
 */
export function vmFault(k: Kernel, object: VMObject, offset: number, mapping: FaultMapping | null): FaultResult {
  for (let attempt = 0; ; attempt++) {
    pagingBegin(object);
    const r = faultPage(k, object, offset);
    if (typeof r !== 'string') return vmFaultFinish(k, object, r, mapping);
    pagingEnd(k, object);
    if (r !== 'shortage') return r;
    if (pageWait(k)) return 'wait';
    if (attempt > 3) throw new Error('vm_fault: vm_page_wait keeps returning without memory'); // our bug, not Mach's
  }
}

/**
 * The rest of vm_fault once vm_fault_page has the busy page `m`: PMAP_ENTER (which may have to
 * wait for a page-table page, `m` still busy and still on its queue — how the daemon meets busy
 * pages at S2 and S8), then a page on no queue is activated, an inactive page stays inactive
 * with `reference` set (spec §12.5), and PAGE_WAKEUP_DONE. Called again to resume after the wait.
 */
export function vmFaultFinish(k: Kernel, object: VMObject, m: Page, mapping: FaultMapping | null): 'resolved' | 'wait-pagetable' {
  if (mapping !== null) {
    if (!mapping.pageTable(m)) return 'wait-pagetable';
    k.pmap.enter(mapping.vp, m.frame, mapping.writable);
  }
  if (!m.active && !m.inactive && m.wireCount === 0) pageActivate(k, m);
  m.reference = true;
  pageWakeupDone(k, m);
  pagingEnd(k, object);
  return 'resolved';
}
