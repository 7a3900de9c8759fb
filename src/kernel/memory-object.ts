/**
 * memory_object.c: the kernel side of the pager protocol, spec §7.1 — data arriving from a pager.
 * Each call is atomic: no thread runs between freeing the request placeholder and installing the
 * data, so the faults woken by the placeholder find the new page.
 */
import type { Kernel } from './kernel.js';
import type { Page } from './page.js';
import { absentRelease, pagingBegin, pagingEnd, type VMObject } from './object.js';
import { pageActivate, pageDeactivate, pageFree, pageInsert, pageLookup, pageWakeupDone } from './resident.js';

/**
 * memory_object_data_supply(object, offset, data, lock_value=NONE, precious): install `data` (a
 * real page the pager filled, busy and untabled) at `offset`. Activates a page that answered a
 * request, deactivates an unsolicited one; `external` stays as the page was born (spec §3.2).
 * Returns false (KERN_MEMORY_PRESENT) when a page is already there; the data page is then freed.
 */
export function dataSupply(k: Kernel, object: VMObject, offset: number, data: Page, precious: boolean): boolean {
  pagingBegin(object);
  let answered = false;
  const m = pageLookup(k, object, offset);
  if (m !== null) {
    if (m.absent && m.busy) {
      pageFree(k, m);
      answered = true;
    } else {
      // XXX: a busy non-absent page would make Mach wait and retry; with one request outstanding
      // per page here it cannot happen, so treat it like any page already present.
      pageFree(k, data);
      pagingEnd(k, object);
      return false;
    }
  }
  data.dirty = false;
  k.pmap.clearModify(data.frame);
  data.precious = precious;
  pageInsert(k, data, object, offset);
  pageWakeupDone(k, data);
  if (answered) pageActivate(k, data);
  else pageDeactivate(k, data);
  pagingEnd(k, object);
  return true;
}

/**
 * memory_object_data_unavailable: the placeholder is unbusied and activated but stays absent
 * (absent_count untouched); the woken fault zero-fills.
 */
export function dataUnavailable(k: Kernel, object: VMObject, offset: number): void {
  const m = pageLookup(k, object, offset);
  if (m === null || !m.busy || !m.absent) return;
  pageWakeupDone(k, m);
  pageActivate(k, m);
}

/** memory_object_data_error: the woken fault frees the page and returns MEMORY_ERROR. */
export function dataError(k: Kernel, object: VMObject, offset: number): void {
  const m = pageLookup(k, object, offset);
  if (m === null || !m.busy || !m.absent) return;
  m.error = true;
  m.absent = false;
  absentRelease(k, object);
  pageWakeupDone(k, m);
  pageActivate(k, m);
}
