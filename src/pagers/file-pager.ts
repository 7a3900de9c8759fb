/**
 * A file-system pager after the Hurd's libpager, spec §8.2: answers memory_object_init with
 * memory_object_ready (so the kernel sends data_return), reads pages of its files into memory it
 * allocates like any user task (it is not vm-privileged, so it stalls below the reserve: the
 * reason for double paging), writes returned pages and then deallocates them.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { PagerSpec } from '../kernel/scenario.js';
import type { Rng } from '../sim/rng.js';
import { PagerThread } from './pager-thread.js';
import { objectDeallocate, objectWakeup, OBJ_PAGER_READY, type PagerPort, type VMObject } from '../kernel/object.js';
import { dataError, dataSupply, dataUnavailable } from '../kernel/memory-object.js';
import { pageGrab, pageLookup, pageWait, pageFree } from '../kernel/resident.js';
import { vmFault } from '../kernel/fault.js';

type Message =
  | { op: 'init'; object: VMObject }
  | { op: 'data_request'; object: VMObject; offset: number }
  | { op: 'data_write' | 'data_initialize' | 'data_return'; object: VMObject; offset: number; transport: VMObject; dirty: boolean };

export class FilePager extends PagerThread<Message> implements PagerPort {
  readonly kind = 'file' as const;
  /** file contents: file object → page offset → content version (absent = the file's original data, version 0) */
  readonly #files = new Map<VMObject, Map<number, number>>();
  /** file sizes in pages; a file not listed has data everywhere */
  readonly #sizes = new Map<VMObject, number>();
  pagesWritten = 0;
  pagesRead = 0;

  constructor(k: Kernel, spec: PagerSpec, rng: Rng) {
    super(k, 'file pager', false, spec, rng);
  }

  init(object: VMObject): void {
    this.send({ op: 'init', object });
  }

  /** The file behind `object` holds `sizePages` pages; requests beyond get data_unavailable. */
  setFileSize(object: VMObject, sizePages: number): void {
    this.#sizes.set(object, sizePages);
  }
  create(): void {
    throw new Error('file pager: memory_object_create goes to the default pager');
  }
  dataRequest(object: VMObject, offset: number): void {
    this.send({ op: 'data_request', object, offset });
  }
  dataWrite(object: VMObject, offset: number, transport: VMObject, op: 'data_write' | 'data_initialize' | 'data_return', dirty: boolean): void {
    this.send({ op, object, offset, transport, dirty });
  }
  terminate(): void {}

  protected handle(msg: Message, next: () => void): boolean {
    const k = this.k;
    switch (msg.op) {
      case 'init':
        // memory_object_ready: the new protocol, so the kernel will use data_return
        msg.object.pagerReady = true;
        msg.object.useOldPageout = false;
        msg.object.canPersist = true;
        objectWakeup(k, msg.object, OBJ_PAGER_READY);
        return true;
      case 'data_request':
        return this.#read(msg.object, msg.offset, next);
      default:
        return this.#write(msg, next);
    }
  }

  /**
   * pager_read_page into memory the pager allocates, then data_supply (the page is stolen). A page
   * beyond the end of the file that nobody wrote has no data: data_unavailable, and the kernel
   * zero-fills it with an *external* grab — the path by which vm_page_external_count really grows.
   */
  #read(object: VMObject, offset: number, next: () => void): boolean {
    const k = this.k;
    const size = this.#sizes.get(object);
    if (size !== undefined && offset >= size && this.#files.get(object)?.has(offset) !== true) {
      dataUnavailable(k, object, offset);
      return true;
    }
    const page = pageGrab(k, false);
    if (page === null) {
      if (pageWait(k)) this.sleep(() => (this.#read(object, offset, next) ? next() : undefined));
      else k.sched.yieldKeep(this.thread, () => (this.#read(object, offset, next) ? next() : undefined));
      return false;
    }
    this.io('read', 1, () => {
      this.pagesRead++;
      if (this.injectedError('read')) {
        pageFree(k, page);
        dataError(k, object, offset);
      } else {
        k.frameContent[page.frame] = this.#files.get(object)?.get(offset) ?? 0;
        dataSupply(k, object, offset, page, false);
        if (k.emit) k.emit({ type: 'pagein', t: k.now, page: { frame: page.frame, object: object.id, offset }, from: 'file' });
      }
      next();
    });
    return false;
  }

  /**
   * data_return: touch the returned data (faulting it back in from the default pager if the
   * kernel double-paged it meanwhile), write it to the file, then munmap it.
   */
  #write(msg: Extract<Message, { transport: VMObject }>, next: () => void): boolean {
    const k = this.k;
    let page = pageLookup(k, msg.transport, 0);
    if (page === null || page.busy || page.absent) {
      const r = vmFault(k, msg.transport, 0, null);
      if (r === 'wait') {
        this.sleep(() => (this.#write(msg, next) ? next() : undefined));
        return false;
      }
      page = r === 'resolved' ? pageLookup(k, msg.transport, 0) : null;
    }
    const version = page === null ? null : k.frameContent[page.frame]!;
    this.io('write', 1, () => {
      if (version === null || this.injectedError('write')) {
        k.lostWritesFromInjectedErrors++;
      } else {
        let file = this.#files.get(msg.object);
        if (file === undefined) this.#files.set(msg.object, (file = new Map()));
        file.set(msg.offset, version);
        this.pagesWritten++;
      }
      if (!this.spec.neverDeallocate) objectDeallocate(k, msg.transport);
      next();
    });
    return false;
  }
}
