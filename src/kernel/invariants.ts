/**
 * Conservation laws of the page queues and counters, checked after every scheduling step when
 * `options.checks` is 'full' (tests), the way libCacheSim's ARC walks its lists.
 */
import type { Kernel } from './kernel.js';
import { KernelPanic } from './assert.js';

export function checkInvariants(k: Kernel): void {
  const fail = (msg: string): never => {
    throw new KernelPanic(`invariant broken: ${msg}`, k.now, k.currentStep);
  };
  let free = 0, active = 0, inactive = 0, wired = 0, loose = 0, laundry = 0, external = 0;
  for (const m of k.pages) {
    const states = (m.free ? 1 : 0) + (m.active ? 1 : 0) + (m.inactive ? 1 : 0) + (m.wireCount > 0 ? 1 : 0);
    if (states > 1) fail(`page ${m.frame} is in ${states} states at once`);
    if (m.free) free++;
    else if (m.active) active++;
    else if (m.inactive) inactive++;
    else if (m.wireCount > 0) wired++;
    else loose++;
    if (m.laundry) laundry++;
    if (m.extcounted) external++;
    if (m.free && (m.tabled || m.linkedOn !== null)) fail(`free page ${m.frame} is still in an object or on a queue`);
    if (m.wireCount > 0 && m.linkedOn !== null) fail(`wired page ${m.frame} is on the ${m.linkedOn.name} queue`);
  }
  if (free + active + inactive + wired + loose !== k.pages.length) fail('pages lost between states');
  if (free !== k.freeCount || k.freeList.length !== k.freeCount) fail(`free count ${k.freeCount}, free pages ${free}, free list ${k.freeList.length}`);
  if (wired !== k.wireCount) fail(`vm_page_wire_count ${k.wireCount} but ${wired} wired pages`);
  if (laundry !== k.laundryCount) fail(`vm_page_laundry_count ${k.laundryCount} but ${laundry} laundry pages`);
  if (external !== k.externalCount) fail(`vm_page_external_count ${k.externalCount} but ${external} counted pages`);
  // fictitious pages may sit on the queues and are counted there too
  let activeLinked = 0;
  for (let m = k.activeQueue.head; m !== null; m = m.qnext) {
    if (!m.active) fail(`page ${m.frame} on the active queue is not marked active`);
    activeLinked++;
  }
  let inactiveLinked = 0;
  let offCount = 0;
  for (let m = k.inactiveQueue.head; m !== null; m = m.qnext) {
    if (!m.inactive) {
      if (k.defectCounts.B3 > 0 && !k.fixes.B3) offCount++; // B3's requeued page: linked, not marked, not counted
      else fail(`page ${m.frame} on the inactive queue is not marked inactive`);
    } else inactiveLinked++;
  }
  if (activeLinked !== k.activeCount) fail(`vm_page_active_count ${k.activeCount} but ${activeLinked} pages on the queue`);
  if (inactiveLinked !== k.inactiveCount) fail(`vm_page_inactive_count ${k.inactiveCount} but ${inactiveLinked} pages on the queue (+${offCount} left by B3)`);
  if (active > k.activeCount || inactive > k.inactiveCount) fail('real pages marked on a queue exceed its count');
}
