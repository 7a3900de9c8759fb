/**
 * struct vm_page and the page queues — GNU Mach vm/vm_page.h, spec §1.1–1.2.
 *
 * Field tags say which Mach lock guards the field, as vm_page.h does; there are no real locks
 * here, but the tag says which module may change the field:
 *   (C) constant   (O) object lock: object.ts, resident.ts   (P) page-queues lock: resident.ts, pageout.ts
 */
import type { VMObject } from './object.js';

export class Page {
  // (P) link in exactly one of: active, inactive queue (the free list is an array stack here)
  qnext: Page | null = null;
  qprev: Page | null = null;
  /** the queue this page is linked on; kept apart from the `active`/`inactive` flags, which B3 desynchronises */
  linkedOn: PageQueue | null = null;
  // (O) identity and the VP hash-bucket chain (`next` in Mach, followed by defect B1)
  object: VMObject | null = null;
  offset = 0; // in pages; not cleared by vm_page_remove
  hashNext: Page | null = null;
  tabled = false;
  // (P)
  wireCount = 0;
  active = false;
  inactive = false;
  laundry = false;
  free = false;
  reference = false;
  external = false;
  extcounted = false;
  // (O)
  busy = true; // vm_page_template: every page is born busy (spec §1.1)
  wanted = false;
  absent = false;
  error = false;
  dirty = false;
  precious = false;

  constructor(
    /** (C) physical frame number; -1 for a fictitious page (vm_page_fictitious_addr) */
    readonly frame: number,
    /** (C) a placeholder struct with no memory behind it */
    public fictitious: boolean,
  ) {}

  /** vm_page_init: back to the template (busy, everything else clear). Identity fields stay. */
  init(): void {
    this.wireCount = 0;
    this.active = this.inactive = this.laundry = this.free = false;
    this.reference = this.external = this.extcounted = false;
    this.busy = true;
    this.wanted = this.absent = this.error = this.dirty = this.precious = false;
    this.tabled = false;
    this.hashNext = null;
  }
}

/** A doubly-linked FIFO page queue (queue_head_t). Counts are the kernel's business, as in Mach. */
export class PageQueue {
  head: Page | null = null;
  tail: Page | null = null;
  /** pages actually linked (for invariant checks; Mach keeps no such number) */
  linked = 0;
  constructor(readonly name: string) {}

  get empty(): boolean {
    return this.head === null;
  }

  /** queue_enter: append at the tail. */
  enter(m: Page): void {
    if (m.linkedOn !== null) throw new Error(`queue_enter(${this.name}): page ${m.frame} already linked on ${m.linkedOn.name}`);
    m.qprev = this.tail;
    m.qnext = null;
    if (this.tail) this.tail.qnext = m;
    else this.head = m;
    this.tail = m;
    m.linkedOn = this;
    this.linked++;
  }

  /** queue_enter_first: insert at the head. */
  enterFirst(m: Page): void {
    if (m.linkedOn !== null) throw new Error(`queue_enter_first(${this.name}): page ${m.frame} already linked on ${m.linkedOn.name}`);
    m.qnext = this.head;
    m.qprev = null;
    if (this.head) this.head.qprev = m;
    else this.tail = m;
    this.head = m;
    m.linkedOn = this;
    this.linked++;
  }

  /**
   * queue_remove. Mach's macro relinks the neighbours through the page's own links, so removing a
   * page that was already removed (and whose neighbours have not changed) is harmless: we make it
   * a no-op, which is what the seed's S12 double removal relies on (spec §4.3 B3).
   */
  remove(m: Page): void {
    if (m.linkedOn !== this) return;
    if (m.qprev) m.qprev.qnext = m.qnext;
    else this.head = m.qnext;
    if (m.qnext) m.qnext.qprev = m.qprev;
    else this.tail = m.qprev;
    m.qnext = m.qprev = null;
    m.linkedOn = null;
    this.linked--;
  }
}
