/**
 * THE SEED: GNU Mach vm/vm_pageout.c (2009–2011 text), spec §4. vm_pageout, vm_pageout_continue,
 * vm_pageout_scan (steps S1–S16 of spec §4.2, marked below), vm_pageout_scan_continue,
 * vm_pageout_page and vm_pageout_setup, in the seed's order. Each decision emits an event naming
 * its step. The seed's defects B1–B3 are marked at their lines and switched by `k.fixes`.
 */
import type { Thread, WaitResult } from '../sim/scheduler.js';
import type { PageRef, ScanStep } from './events.js';
import type { Kernel } from './kernel.js';
import type { Page } from './page.js';
import { kassert, KernelLivelock, panic } from './assert.js';
import { existenceSet, objectAllocate, objectCollapse, objectPagerCreate, pagingBegin, pagingEnd, type VMObject } from './object.js';
import {
  grabFictitious, pageActivate, pageAlloc, pageDeactivate, pageFree, pageInsert, pageRemove, pageWakeupDone, pageWire,
} from './resident.js';

export function pageRef(m: Page): PageRef {
  return { frame: m.frame, object: m.object?.id ?? -1, offset: m.offset };
}

/** Daemon-side bookkeeping that the seed does not keep but a user wants to see. */
export interface DaemonRecord {
  thread: Thread;
  /** vm_pageout_scan's local burst_count; restarts at 0 with every scan (spec §12.2) */
  burstCount: number;
  selectionPauses: number;
  pauses: number;
  wakeups: number;
  doublePaged: number;
  /** iterations of the current scan, to detect a spin that never pauses */
  iterations: number;
  /** sim-side: stop after the current scan iteration so an observer can look (not a Mach pause) */
  observeStop: boolean;
  lastCollectSecond: number;
}

function scan(k: Kernel, step: ScanStep, m: Page | null, what: string): void {
  k.currentStep = step;
  if (k.emit) k.emit({ type: 'scan', t: k.now, step, page: m ? pageRef(m) : null, what });
}

/**
 * vm_pageout(): the boot thread becomes the daemon: vm-privileged, parameters and thresholds set
 * from the free count now (kernel.ts `startDaemon` computes them), then vm_pageout_continue.
 */
export function vmPageout(k: Kernel, d: DaemonRecord): void {
  d.thread.privileged = true;
  if (k.emit) k.emit({ type: 'daemon-start', t: k.now });
  vmPageoutContinue(k, d);
}

/**
 * vm_pageout_continue(): scan; when the scan returns (targets met, nobody waiting) sleep on
 * &vm_page_free_wanted. The wait is asserted before the lock drops, so no wakeup is lost.
 */
export function vmPageoutContinue(k: Kernel, d: DaemonRecord): void {
  vmPageoutScanStart(k, d);
}

function daemonIdle(k: Kernel, d: DaemonRecord): void {
  kassert(k, k.freeWanted === 0, () => 'vm_pageout_continue: assert(vm_page_free_wanted == 0)');
  k.currentStep = null;
  k.sched.assertWait(d.thread, k.evFreeWanted, 'idle: vm_page_free_wanted');
  if (k.emit) k.emit({ type: 'daemon-sleep', t: k.now });
  k.sched.block(d.thread, () => {
    d.wakeups++;
    if (k.emit) k.emit({ type: 'daemon-wakeup', t: k.now });
    vmPageoutContinue(k, d);
  });
}

/** vm_pageout_scan(), entry: the collectors (spec §10), then burst_count = 0 and the loop. */
function vmPageoutScanStart(k: Kernel, d: DaemonRecord): void {
  // stack_collect(); net_kmsg_collect(); consider_thread_collect(); consider_zone_gc(): no-ops here.
  considerTaskCollect(k, d);
  d.burstCount = 0;
  d.iterations = 0;
  vmPageoutScanLoop(k, d);
}

/**
 * consider_task_collect(): at most once per hz sched_ticks (one a second), so about every 101 s,
 * pmap_collect every task — all unwired user mappings vanish (optional, spec §10).
 */
function considerTaskCollect(k: Kernel, d: DaemonRecord): void {
  if (!k.options.pmapCollect) return;
  const second = Math.floor(k.now / 1e9);
  if (second > d.lastCollectSecond + k.sched.hz) {
    d.lastCollectSecond = second;
    k.pmapCollectAll();
  }
}

/** The `for (burst_count = 0;;)` loop of vm_pageout_scan, one iteration at a time. */
function vmPageoutScanLoop(k: Kernel, d: DaemonRecord): void {
  for (;;) {
    // every iteration moves a page, so a scan that goes on far longer than memory is big spins
    if (++d.iterations > 4 * k.pages.length + 1000) {
      throw new KernelLivelock(`vm_pageout_scan made ${d.iterations - 1} iterations without pausing or returning`, k.now, k.currentStep);
    }
    const r = vmPageoutScanIteration(k, d);
    if (r === 'return') return daemonIdle(k, d);
    if (r === 'paused') return;
    if (d.observeStop) {
      d.observeStop = false;
      k.sched.yieldKeep(d.thread, () => vmPageoutScanLoop(k, d));
      return;
    }
  }
}

type Iteration = 'next' | 'paused' | 'return';

function vmPageoutScanIteration(k: Kernel, d: DaemonRecord): Iteration {
  // S1: recalculate vm_page_inactive_target
  k.currentStep = 'S1';
  k.inactiveTarget = Math.trunc(((k.activeCount + k.inactiveCount) * 2) / 3);

  // S2: move pages from active to inactive. No second chance on the active queue.
  while (k.inactiveCount < k.inactiveTarget && !k.activeQueue.empty) {
    k.stats.active++;
    const m = k.activeQueue.head!;
    kassert(k, m.active && !m.inactive, () => `vm_pageout_scan S2: assert(m->active && !m->inactive) page ${m.frame}`);
    // vm_object_lock_try always succeeds on a uniprocessor (spec §0.2): the requeue branch is dead
    if (m.busy) {
      k.activeQueue.remove(m);
      m.active = false;
      k.activeCount--;
      scan(k, 'S2', m, 'busy active page left off the queues');
      continue;
    }
    pageDeactivate(k, m);
    scan(k, 'S2', m, 'deactivated (reference bits cleared)');
  }

  // S3: done if targets are met and nobody waits for a page
  k.currentStep = 'S3';
  const freeCount = k.freeCount; // sampled once, reused after `goto pause` (spec §12.3)
  if (freeCount >= k.th.vm_page_free_target && k.externalCount <= k.th.vm_page_external_target && k.freeWanted === 0) {
    scan(k, 'S3', null, `targets met (free ${freeCount} ≥ free_target ${k.th.vm_page_free_target}): scan returns`);
    return 'return';
  }
  const wantPages = freeCount < k.th.vm_page_free_target || k.freeWanted !== 0;
  scan(k, 'S3', null, wantPages ? `want pages: free ${freeCount}, ${k.freeWanted} waiting` : `external count ${k.externalCount} over external_target`);

  let m: Page;
  pause: for (;;) {
    // S4 (label `pause`)
    k.currentStep = 'S4';
    if (pauseCondition(k, d, freeCount)) {
      pauseDaemon(k, d, false);
      return 'paused';
    }

    // S5: find a page we are interested in paging out
    k.currentStep = 'S5';
    k.stats.inactive++;
    let walked: Page | null = k.inactiveQueue.head!;
    for (;;) {
      const c: Page = walked!;
      kassert(k, !c.active && c.inactive, () => `vm_pageout_scan S5: assert(!m->active && m->inactive) page ${c.frame}` + (c.linkedOn === k.inactiveQueue && !c.inactive ? ' (left off-count by the S12 requeue: defect B3)' : ''));
      if (wantPages || c.external) {
        m = c;
        break pause;
      }
      if (k.fixes.B1) {
        recordDefect(k, 'B1', 'S5', c, 'fixed: the walk follows the inactive queue');
        // the spec's `intended` mode: follow the inactive queue, ending at its tail (GM c40798e0's
        // fix of 2015 meant this; on Mach's circular queue its walk steps onto the queue head)
        walked = c.qnext;
      } else {
        // B1: queue_next(m) is m->next, the VP hash-bucket link, not the queue link. Faithful.
        recordDefect(k, 'B1', 'S5', c, 'page selection follows the hash-bucket link');
        walked = c.hashNext;
      }
      if (walked === null) break;
    }
    // `goto pause` with the same free_count and want_pages
    d.selectionPauses++;
    scan(k, 'S5', null, 'no eligible page: goto pause');
    if (!pauseCondition(k, d, freeCount)) {
      // B2: nothing changed, so S5 will pick the same page and come back here forever, with the
      // page-queues lock held on a non-preemptive uniprocessor: a hang.
      recordDefect(k, 'B2', 'S4', null, k.fixes.B2 ? 'fixed: an empty_wait pause instead of spinning' : 'goto pause with no pause condition: the scan spins');
      if (!k.fixes.B2) {
        throw new KernelLivelock(
          `vm_pageout_scan spins: S5 found no eligible page (want_pages false, external_count ${k.externalCount} > external_target ${k.th.vm_page_external_target}) and S4 has no reason to pause`,
          k.now,
          'S5',
        );
      }
      pauseDaemon(k, d, true); // fixed: force an empty_wait pause
      return 'paused';
    }
  }

  // S6: object = m->object; the lock try always succeeds (inactive_nolock stays 0)
  const object = m.object!;
  // S7: remove the page from the inactive list
  k.inactiveQueue.remove(m);
  k.inactiveCount--;
  m.inactive = false;

  // S8: somebody is already playing with this page: leave it off the pageout queues
  if (m.busy || !object.alive) {
    k.stats.inactiveBusy++;
    scan(k, 'S8', m, m.busy ? 'busy page left off the queues' : 'page of a dead object left off the queues');
    return 'next';
  }

  // S9: absent page: reclaim it
  if (wantPages && m.absent) {
    k.stats.inactiveAbsent++;
    scan(k, 'S9', m, 'absent page reclaimed');
    pageFree(k, m);
    return 'next';
  }

  // S10: being used: reactivate (reference bits stay set)
  kassert(k, !m.fictitious, () => `vm_pageout_scan S10: assert(!m->fictitious) page of object ${object.id}`);
  if (m.reference || k.pmap.isReferenced(m.frame)) {
    pageActivate(k, m);
    k.vmStat.reactivations++;
    k.stats.inactiveUsed++;
    scan(k, 'S10', m, 'referenced: reactivated');
    return 'next';
  }

  // S11: eliminate all mappings; sample the modify bit
  m.busy = true;
  k.pmap.removeAll(m.frame);
  if (!m.dirty) m.dirty = k.pmap.isModified(m.frame);
  if (m.external) {
    if (m.dirty && !m.extcounted) {
      m.extcounted = true;
      k.externalCount++;
    } else if (!m.dirty && m.extcounted) {
      m.extcounted = false;
      k.externalCount--;
    }
  }
  scan(k, 'S11', m, `unmapped, ${m.dirty ? 'dirty' : 'clean'}`);

  // S12: memory not needed and the page is clean: requeue it at the inactive tail
  if (!wantPages && !m.dirty) {
    k.inactiveQueue.enter(m); // queue_remove (a no-op, already off) + queue_enter
    if (k.fixes.B3) {
      recordDefect(k, 'B3', 'S12', m, 'fixed: the requeued page is marked inactive, counted and woken');
      m.inactive = true;
      k.inactiveCount++;
      pageWakeupDone(k, m);
    } else {
      // B3: faithful — `inactive` stays FALSE, the count is not restored and the page stays busy.
      recordDefect(k, 'B3', 'S12', m, 'clean external page requeued busy and off-count');
    }
    k.stats.inactiveCleanedExternal++;
    scan(k, 'S12', m, 'clean, memory not wanted: requeued at the inactive tail');
    return 'next';
  }

  // S13: clean and not precious: free it
  if (!m.dirty && !m.precious) {
    k.stats.inactiveClean++;
    scan(k, 'S13', m, 'clean page freed');
    pageFree(k, m);
    return 'next';
  }

  // S14: very low on memory: external pagers cannot be trusted; ask for double paging
  k.currentStep = 'S14';
  kassert(k, !m.laundry, () => `vm_pageout_scan S14: assert(!m->laundry) page ${m.frame}`);
  if (freeCount < k.th.vm_pageout_reserved_internal && !object.internal) {
    m.laundry = true;
    k.stats.inactiveDouble++;
    scan(k, 'S14', m, `free ${freeCount} < reserved_internal: double-page this external page`);
  }

  // S15: an internal object without a pager gets one from the default pager
  k.currentStep = 'S15';
  if (!object.pagerInitialized) objectCollapse(k, object);
  if (!object.pagerInitialized) {
    objectPagerCreate(k, object);
    scan(k, 'S15', m, `object ${object.id} handed to the default pager`);
  }
  if (!object.pagerInitialized) panic(k, 'vm_pageout_scan');

  // S16: send it
  k.stats.inactiveDirty++;
  scan(k, 'S16', m, `dirty page sent to the ${object.internal ? 'default' : 'file'} pager`);
  vmPageoutPage(k, m, false, true);
  d.burstCount++;
  return 'next';
}

/** S4's test: an empty inactive queue, flow control, or extremely low memory with laundry out. */
function pauseCondition(k: Kernel, d: DaemonRecord, freeCount: number): boolean {
  return (
    k.inactiveQueue.empty ||
    d.burstCount >= k.daemon.burstMax ||
    k.laundryCount >= k.daemon.burstMax ||
    (freeCount < k.th.vm_pageout_reserved_really && k.laundryCount > 0)
  );
}

/** S4's pause: burst_wait ms per outstanding page, at least empty_wait with nothing inactive. */
function pauseDaemon(k: Kernel, d: DaemonRecord, forced: boolean): void {
  const pages = k.laundryCount > d.burstCount ? k.laundryCount : d.burstCount;
  // `msecs = pages * vm_pageout_burst_wait` in unsigned ints: the product wraps at 2^32 as in C
  let msecs = Math.imul(pages, k.daemon.burstWaitMs) >>> 0;
  const inactiveEmpty = k.inactiveQueue.empty;
  if ((inactiveEmpty || forced) && msecs < k.daemon.emptyWaitMs) msecs = k.daemon.emptyWaitMs;
  const reason = forced
    ? 'forced empty_wait pause (B2 fix)'
    : inactiveEmpty
      ? 'inactive queue empty'
      : d.burstCount >= k.daemon.burstMax
        ? `burst of ${d.burstCount} pages sent`
        : k.laundryCount >= k.daemon.burstMax
          ? `laundry ${k.laundryCount} ≥ burst_max`
          : `free below reserved_really with ${k.laundryCount} laundry pages out`;
  d.pauses++;
  const ticks = k.sched.willWaitWithTimeout(d.thread, msecs, `pause: ${reason}`);
  if (k.emit) k.emit({ type: 'pause', t: k.now, msecs, ticks, inactiveEmpty, reason });
  k.currentStep = null;
  k.sched.block(d.thread, (r: WaitResult) => vmPageoutScanContinue(k, d, r));
}

/**
 * vm_pageout_scan_continue(), spec §4.4: after every timed pause adapt burst_wait — up by one if
 * laundry is still above burst_min, down to 3/4 after pause_max quiet pauses — then start over.
 */
function vmPageoutScanContinue(k: Kernel, d: DaemonRecord, _r: WaitResult): void {
  const dp = k.daemon;
  let change: 'up' | 'down' | 'same' = 'same';
  if (k.laundryCount > dp.burstMin) {
    dp.burstWaitMs = (dp.burstWaitMs + 1) >>> 0; // an unsigned int
    dp.pauseCount = 0;
    change = 'up';
  } else if (++dp.pauseCount > dp.pauseMax) {
    dp.burstWaitMs = Math.trunc((dp.burstWaitMs * 3) / 4);
    if (dp.burstWaitMs < 1) dp.burstWaitMs = 1;
    dp.pauseCount = 0;
    change = 'down';
  }
  if (k.emit) k.emit({ type: 'burst-wait', t: k.now, burstWait: dp.burstWaitMs, change });
  vmPageoutContinue(k, d);
}

/**
 * The scan reached a seed defect's condition. With the defect's fix on it is recorded too, marked
 * fixed: a user who fixed B2 learns whether the fix ever mattered in this run.
 */
function recordDefect(k: Kernel, defect: 'B1' | 'B2' | 'B3', step: ScanStep, m: Page | null, what: string): void {
  const fixed = k.fixes[defect];
  if (k.defectCounts[defect]++ === 0) k.defects.push({ defect, step, t: k.now, page: m?.frame ?? -1, fixed });
  if (k.emit) k.emit({ type: 'defect', t: k.now, defect, step, what, fixed });
}

/**
 * vm_pageout_page(m, initial, flush), spec §4.5: move (flush) or copy the page into a new
 * one-page internal object and send it to the object's pager; free the holding page afterwards.
 * Precondition: `m` busy and on no paging queue.
 */
export function vmPageoutPage(k: Kernel, m: Page, initial: boolean, flush: boolean): void {
  kassert(k, m.busy, () => `vm_pageout_page: assert(m->busy) page ${m.frame}`);
  const preciousClean = !m.dirty && m.precious;
  if (preciousClean && !flush) {
    pageWakeupDone(k, m);
    return;
  }
  if (m.absent || m.error || (!m.dirty && !m.precious)) {
    pageFree(k, m);
    return;
  }
  const oldObject = m.object!;
  const pagingOffset = m.offset + oldObject.pagingOffset;
  pagingBegin(oldObject);
  const newObject = objectAllocate(k, 1, `pageout of object ${oldObject.id} offset ${m.offset}`);
  newObject.carriesFrom = { object: oldObject, offset: m.offset };
  const wasDouble = m.laundry;
  const original = pageRef(m);
  const holding = vmPageoutSetup(k, m, pagingOffset, newObject, 0, flush);
  // vm_map_copyin_object(new_object): the "copy" simply carries the reference to new_object
  const op = initial ? 'data_initialize' : oldObject.useOldPageout ? 'data_write' : 'data_return';
  if (k.emit) k.emit({ type: 'pageout', t: k.now, page: original, to: oldObject.pager!.kind, op, double: wasDouble });
  // the send always succeeds: pager ports never die in the model, so GNU Mach's
  // `if (rc != KERN_SUCCESS) vm_map_copy_discard(copy)` has nothing to do
  oldObject.pager!.dataWrite(oldObject, pagingOffset, newObject, op, !preciousClean);
  if (holding !== null) pageFree(k, holding);
  pagingEnd(k, oldObject);
}

/**
 * vm_pageout_setup(m, paging_offset, new_object, new_offset, flush), spec §4.6. Flush: a busy
 * fictitious holding page takes m's place so faults block on it; m is unbusied here, moves to
 * new_object and is marked dirty. Then exactly one of: double-page (head of inactive), laundry +
 * wired (internal object), or activate (external object).
 */
export function vmPageoutSetup(k: Kernel, m: Page, pagingOffset: number, newObject: VMObject, newOffset: number, flush: boolean): Page | null {
  const oldObject = m.object!;
  let holding: Page | null = null;
  kassert(k, m.busy && !m.absent && !m.fictitious, () => `vm_pageout_setup: assert(m->busy && !m->absent && !m->fictitious) page ${m.frame}`);
  let newM: Page | null = null;
  if (!flush) {
    newM = pageAlloc(k, newObject, newOffset);
    if (newM === null) flush = true;
  }
  if (flush) {
    holding = grabFictitious(k);
    pageRemove(k, m);
    pageWakeupDone(k, m);
    pageInsert(k, holding, oldObject, m.offset);
    existenceSet(oldObject, pagingOffset);
    pageInsert(k, m, newObject, newOffset);
    m.dirty = true;
    m.precious = false;
  } else {
    const copy = newM!;
    k.frameContent[copy.frame] = k.frameContent[m.frame]!; // vm_page_copy
    m.dirty = false;
    k.pmap.clearModify(m.frame);
    pageDeactivate(k, m);
    pageWakeupDone(k, m);
    existenceSet(oldObject, pagingOffset);
    m = copy;
    m.dirty = true;
    kassert(k, !m.precious, () => 'vm_pageout_setup: assert(!m->precious)');
    pageWakeupDone(k, m);
  }
  k.vmStat.pageouts++;
  if (m.laundry) {
    // vm_pageout_scan asks for double paging: the page goes to the *head* of the inactive queue
    kassert(k, !oldObject.internal, () => 'vm_pageout_setup: assert(!old_object->internal)');
    m.laundry = false;
    k.inactiveQueue.enterFirst(m);
    m.inactive = true;
    k.inactiveCount++;
    k.daemonRecord.doublePaged++;
  } else if (oldObject.internal) {
    m.laundry = true;
    k.laundryCount++;
    k.noteLaundry();
    pageWire(k, m);
  } else {
    pageActivate(k, m);
  }
  return flush ? holding : null;
}
