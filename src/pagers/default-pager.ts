/**
 * The default pager (swap), after the Hurd's mach-defpager/default_pager.c of 2010, spec §8.1.
 * vm-privileged; one thread serving requests in FIFO order, so a data_request queued after a
 * data_write of the same page sees the written data. data_write writes synchronously and then
 * deallocates the data — which is what frees the laundry pages.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { PagerSpec } from '../kernel/scenario.js';
import type { Rng } from '../sim/rng.js';
import { PagerThread } from './pager-thread.js';
import { objectDeallocate, type PagerPort, type VMObject } from '../kernel/object.js';
import { dataError, dataSupply, dataUnavailable } from '../kernel/memory-object.js';
import { pageGrab, pageLookup } from '../kernel/resident.js';
import { panic } from '../kernel/assert.js';

type Message =
  | { op: 'create'; object: VMObject }
  | { op: 'data_request'; object: VMObject; offset: number }
  | { op: 'data_write' | 'data_initialize' | 'data_return'; object: VMObject; offset: number; transport: VMObject }
  | { op: 'terminate'; object: VMObject };

export class DefaultPager extends PagerThread<Message> implements PagerPort {
  readonly kind = 'default' as const;
  /** swap contents: memory object → page offset → content version */
  readonly #swap = new Map<VMObject, Map<number, number>>();
  /** objects whose page writes failed (ds->errors): their reads answer data_error */
  readonly #errors = new Set<VMObject>();
  pagesWritten = 0;
  pagesRead = 0;

  constructor(k: Kernel, spec: PagerSpec, rng: Rng) {
    super(k, 'default pager', true, spec, rng);
  }

  init(_object: VMObject): void {
    panic(this.k, 'default pager: memory_object_init for an object it did not create');
  }
  create(object: VMObject): void {
    this.send({ op: 'create', object });
  }
  dataRequest(object: VMObject, offset: number): void {
    this.send({ op: 'data_request', object, offset });
  }
  dataWrite(object: VMObject, offset: number, transport: VMObject, op: 'data_write' | 'data_initialize' | 'data_return'): void {
    this.send({ op, object, offset, transport });
  }
  terminate(object: VMObject): void {
    this.send({ op: 'terminate', object });
  }

  protected handle(msg: Message, next: () => void): boolean {
    const k = this.k;
    switch (msg.op) {
      case 'create':
        this.#swap.set(msg.object, new Map());
        return true;
      case 'terminate':
        this.#swap.delete(msg.object);
        this.#errors.delete(msg.object);
        return true;
      case 'data_return':
        // never expected: the kernel uses data_write for internal objects (spec §8.1)
        panic(k, 'default pager: memory_object_data_return');
      case 'data_write':
      case 'data_initialize': {
        const page = pageLookup(k, msg.transport, 0);
        const version = page === null ? 0 : k.frameContent[page.frame]!;
        const store = this.#swap.get(msg.object) ?? new Map<number, number>();
        this.#swap.set(msg.object, store);
        if (msg.op === 'data_initialize' && store.has(msg.offset)) {
          objectDeallocate(k, msg.transport);
          return true;
        }
        this.io('write', 1, () => {
          if (this.injectedError('write')) {
            this.#errors.add(msg.object);
            k.lostWritesFromInjectedErrors++;
            if (k.emit) k.emit({ type: 'pager', t: k.now, pager: 'default', what: `injected write error at offset ${msg.offset} of object ${msg.object.id}` });
          } else {
            store.set(msg.offset, version);
            this.pagesWritten++;
          }
          // vm_deallocate(data): frees the transport object and with it the laundry page
          if (!this.spec.neverDeallocate) objectDeallocate(k, msg.transport);
          next();
        });
        return false;
      }
      case 'data_request': {
        const { object, offset } = msg;
        if (this.#errors.has(object)) {
          dataError(k, object, offset);
          return true;
        }
        const version = this.#swap.get(object)?.get(offset);
        if (version === undefined) {
          // never written: the kernel zero-fills
          dataUnavailable(k, object, offset);
          return true;
        }
        this.io('read', 1, () => {
          this.pagesRead++;
          if (this.injectedError('read')) {
            dataError(k, object, offset);
          } else if (object.alive) {
            // data_supply from the pager's wired buffer: the kernel copies into a page it grabs for a
            // privileged thread, so the reply never waits for memory
            const page = pageGrab(k, false)!;
            k.frameContent[page.frame] = version;
            dataSupply(k, object, offset, page, false);
            if (k.emit) k.emit({ type: 'pagein', t: k.now, page: { frame: page.frame, object: object.id, offset }, from: 'default' });
          }
          next();
        });
        return false;
      }
    }
  }
}
