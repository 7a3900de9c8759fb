/**
 * vm_resident.c: the resident-page module — grab, release, free, wait, activate, deactivate,
 * wire/unwire, insert/remove/lookup and fictitious pages. Spec §3.
 */
import { Page } from './page.js';
import type { Kernel } from './kernel.js';
import type { VMObject } from './object.js';
import { absentRelease } from './object.js';
import { kassert, panic } from './assert.js';

/**
 * vm_page_grab(external), spec §3.1. Refuses an unprivileged thread below the reserve (and an
 * external grab over the external limit) without waking anyone; panics when a privileged thread
 * finds the free list empty. The returned page is busy, untabled and on no queue.
 */
export function pageGrab(k: Kernel, external: boolean): Page | null {
  const privileged = k.sched.current?.privileged ?? true;
  if ((k.freeCount < k.th.vm_page_free_reserved || (external && k.externalCount > k.th.vm_page_external_limit)) && !privileged) {
    return null;
  }
  const m = k.freeList.pop();
  if (m === undefined) panic(k, 'vm_page_grab: free list empty (a privileged thread exhausted memory)');
  k.freeCount--;
  if (k.freeCount < k.minFreeCount) k.minFreeCount = k.freeCount;
  if (external) k.externalCount++;
  m.free = false;
  m.external = m.extcounted = external;
  // the low-water test after unlocking: the external limit plays no part in it
  if (k.freeCount < k.th.vm_page_free_min || (k.freeCount < k.th.vm_page_free_target && k.inactiveCount < k.inactiveTarget)) {
    k.sched.wakeup(k.evFreeWanted);
  }
  return m;
}

/**
 * vm_page_release(mem, external), spec §3.3: push on the free list; wake one vm_page_wait sleeper
 * per freed page while someone waits and the reserve is met. Never notifies the daemon.
 */
export function pageRelease(k: Kernel, m: Page, external: boolean): void {
  if (m.free) panic(k, `vm_page_release: page ${m.frame} already free`);
  m.free = true;
  k.freeList.push(m);
  k.freeCount++;
  if (external) k.externalCount--;
  if (k.freeWanted > 0 && k.freeCount >= k.th.vm_page_free_reserved) {
    k.freeWanted--;
    k.sched.wakeupOne(k.evFreeCount);
  }
}

/**
 * vm_page_wait, spec §3.4: sleep only if memory really is short (free_target, not the reserve, so
 * a thread that needs two pages really sleeps); the first sleeper wakes the daemon. Returns true
 * when the current thread asserted a wait (the caller blocks), false when it should just retry.
 */
export function pageWait(k: Kernel): boolean {
  if (k.freeCount < k.th.vm_page_free_target || k.externalCount > k.th.vm_page_external_limit) {
    if (k.freeWanted++ === 0) k.sched.wakeup(k.evFreeWanted);
    k.sched.assertWait(k.sched.current!, k.evFreeCount, 'vm_page_wait: free pages');
    return true;
  }
  return false;
}

/**
 * vm_page_free(mem), spec §3.6. The only place laundry is retired. The object and the queues are
 * "locked" by the caller.
 */
export function pageFree(k: Kernel, m: Page): void {
  if (m.free) panic(k, `vm_page_free: page ${m.frame} already free`);
  if (m.tabled) pageRemove(k, m);
  queuesRemove(k, m);
  if (m.wireCount !== 0) {
    if (!m.fictitious) k.wireCount--;
    m.wireCount = 0;
  }
  if (m.laundry) {
    k.laundryCount--;
    m.laundry = false;
    k.emit?.({ type: 'laundry-done', t: k.now, frame: m.frame });
  }
  pageWakeupDone(k, m);
  if (m.absent && m.object !== null) absentRelease(k, m.object);
  if (m.fictitious) {
    m.init();
    m.object = null;
    k.fictitiousFree.push(m);
    return;
  }
  const ext = m.external && m.extcounted;
  m.init();
  m.object = null;
  pageRelease(k, m, ext);
}

/** PAGE_WAKEUP_DONE: clear busy and wake the page's waiters. */
export function pageWakeupDone(k: Kernel, m: Page): void {
  m.busy = false;
  if (m.wanted) {
    m.wanted = false;
    k.sched.wakeup(m);
  }
}

/** PAGE_ASSERT_WAIT: the current thread will sleep until the page is unbusied. */
export function pageAssertWait(k: Kernel, m: Page, reason: string): void {
  m.wanted = true;
  k.sched.assertWait(k.sched.current!, m, reason);
}

/** VM_PAGE_QUEUES_REMOVE: unlink from whichever paging queue, with its count. */
export function queuesRemove(k: Kernel, m: Page): void {
  if (m.active) {
    k.activeQueue.remove(m);
    m.active = false;
    k.activeCount--;
  } else if (m.inactive) {
    k.inactiveQueue.remove(m);
    m.inactive = false;
    k.inactiveCount--;
  }
}

/**
 * vm_page_activate(m), spec §3.7: to the active tail; reference bits untouched (S10 reactivates a
 * referenced page without clearing them, spec §12.4). Panics if already active.
 */
export function pageActivate(k: Kernel, m: Page): void {
  if (m.inactive) {
    k.inactiveQueue.remove(m);
    m.inactive = false;
    k.inactiveCount--;
  }
  if (m.wireCount === 0) {
    if (m.active) panic(k, `vm_page_activate: page ${m.frame} already active`);
    k.activeQueue.enter(m);
    m.active = true;
    k.activeCount++;
  }
}

/**
 * vm_page_deactivate(m), spec §3.7: an active page, or an inactive referenced one, loses both
 * reference bits and goes to the inactive tail; an inactive unreferenced page stays in place; a
 * loose page is appended with its `reference` untouched.
 */
export function pageDeactivate(k: Kernel, m: Page): void {
  if (m.active || (m.inactive && m.reference)) {
    if (!m.fictitious && !m.absent) k.pmap.clearReference(m.frame);
    m.reference = false;
    queuesRemove(k, m);
  }
  if (m.wireCount === 0 && !m.inactive) {
    k.inactiveQueue.enter(m);
    m.inactive = true;
    k.inactiveCount++;
  }
}

/** vm_page_wire: off the paging queues; counted in vm_page_wire_count (real pages). */
export function pageWire(k: Kernel, m: Page): void {
  if (m.wireCount === 0) {
    queuesRemove(k, m);
    if (!m.fictitious) k.wireCount++;
  }
  m.wireCount++;
}

/** vm_page_unwire: on the last unwiring the page goes to the active tail. */
export function pageUnwire(k: Kernel, m: Page): void {
  kassert(k, m.wireCount > 0, () => `vm_page_unwire: page ${m.frame} not wired`);
  if (--m.wireCount === 0) {
    k.activeQueue.enter(m);
    m.active = true;
    k.activeCount++;
    if (!m.fictitious) k.wireCount--;
  }
}

function bucketOf(k: Kernel, object: VMObject, offset: number): number {
  return ((object.hashAddr + offset) >>> 0) & k.hashMask;
}

/**
 * vm_page_insert(m, object, offset), spec §3.8: head of the hash bucket, the object's memq, and
 * deactivate-behind: the page before a sequential run's newest page is deactivated early.
 */
export function pageInsert(k: Kernel, m: Page, object: VMObject, offset: number): void {
  if (m.tabled) panic(k, `vm_page_insert: page ${m.frame} already in an object`);
  m.object = object;
  m.offset = offset;
  const b = bucketOf(k, object, offset);
  m.hashNext = k.buckets[b]!;
  k.buckets[b] = m;
  object.memq.add(m);
  m.tabled = true;
  if (k.options.externalOnInsert && !object.internal && !m.fictitious) m.external = true;
  if (k.options.deactivateBehind && offset === object.lastAlloc + 1) {
    const behind = pageLookup(k, object, object.lastAlloc);
    if (behind !== null && !behind.busy) pageDeactivate(k, behind);
  }
  object.lastAlloc = offset;
}

/** vm_page_remove: out of the bucket and the object; queues, `object` and flags stay. */
export function pageRemove(k: Kernel, m: Page): void {
  kassert(k, m.tabled && m.object !== null, () => `vm_page_remove: page ${m.frame} not tabled`);
  const b = bucketOf(k, m.object, m.offset);
  let p = k.buckets[b]!;
  if (p === m) k.buckets[b] = m.hashNext;
  else {
    while (p !== null && p.hashNext !== m) p = p.hashNext!;
    kassert(k, p !== null, () => `vm_page_remove: page ${m.frame} not in its bucket`);
    p.hashNext = m.hashNext;
  }
  m.hashNext = null;
  m.object.memq.delete(m);
  m.tabled = false;
}

/** vm_page_lookup: pages in any state (busy, absent, fictitious). */
export function pageLookup(k: Kernel, object: VMObject, offset: number): Page | null {
  for (let p: Page | null = k.buckets[bucketOf(k, object, offset)]!; p !== null; p = p.hashNext) {
    if (p.object === object && p.offset === offset) return p;
  }
  return null;
}

/**
 * vm_page_grab_fictitious + vm_page_more_fictitious: callers loop until they get one, and the
 * zone always yields more, so fictitious structs are effectively unlimited (spec §3.9).
 */
export function grabFictitious(k: Kernel): Page {
  const m = k.fictitiousFree.pop() ?? new Page(-1, true);
  m.init();
  m.fictitious = true;
  m.free = false;
  return m;
}

/** vm_page_alloc(object, offset): grab(!internal) and insert; a busy, unqueued page. */
export function pageAlloc(k: Kernel, object: VMObject, offset: number): Page | null {
  const m = pageGrab(k, !object.internal);
  if (m !== null) pageInsert(k, m, object, offset);
  return m;
}
