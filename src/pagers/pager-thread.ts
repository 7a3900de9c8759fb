/**
 * What both pagers share: a thread that takes messages in FIFO order and may sleep on disk I/O
 * or on memory, resuming the same message afterwards (the thread's continuation).
 */
import { Thread } from '../sim/scheduler.js';
import type { Kernel } from '../kernel/kernel.js';
import { Disk } from './disk.js';
import type { PagerSpec } from '../kernel/scenario.js';
import type { Rng } from '../sim/rng.js';

export abstract class PagerThread<M> {
  readonly thread: Thread;
  readonly #queue: M[] = [];
  #head = 0;
  readonly #evMessage = {};
  messages = 0;

  protected readonly disk: Disk;

  constructor(
    protected readonly k: Kernel,
    name: string,
    privileged: boolean,
    protected readonly spec: PagerSpec,
    private readonly rng: Rng,
  ) {
    this.thread = new Thread(name, 'kernel', privileged);
    this.disk = new Disk(k.sched.clock, spec.disk);
  }

  /** Fault injection: does this disk operation fail? Draws from the pager's own seeded stream. */
  protected injectedError(kind: 'read' | 'write'): boolean {
    const rate = kind === 'read' ? this.spec.faults.readErrorRate : this.spec.faults.writeErrorRate;
    return rate > 0 && this.rng.next() < rate;
  }

  start(): void {
    this.k.sched.start(this.thread, () => this.#serve());
  }

  get idle(): boolean {
    return this.#head === this.#queue.length && this.thread.state === 'waiting' && this.thread.waitEvent === this.#evMessage;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  protected send(msg: M): void {
    this.#queue.push(msg);
    this.k.sched.wakeup(this.#evMessage);
  }

  /** The receive loop: handle messages until the queue is empty, then sleep for the next one. */
  #serve(): void {
    for (;;) {
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
        this.k.sched.assertWait(this.thread, this.#evMessage, 'waiting for a message');
        this.k.sched.block(this.thread, () => this.#serve());
        return;
      }
      const msg = this.#queue[this.#head++]!;
      this.messages++;
      if (!this.handle(msg, () => this.#serve())) return; // blocked: resumes through `next`
    }
  }

  /**
   * Handle one message. Return true when done; or block the thread (via `io` or `sleep`) and
   * return false, arranging for `next` to be called when the message is finished.
   */
  protected abstract handle(msg: M, next: () => void): boolean;

  /** Sleep until a disk operation completes, then run `then`. */
  protected io(kind: 'read' | 'write', pages: number, then: () => void): void {
    const ev = {};
    this.disk.submit(kind, pages, () => this.k.sched.wakeup(ev));
    this.k.sched.assertWait(this.thread, ev, `disk ${kind}`);
    this.k.sched.block(this.thread, then);
  }

  /** The thread asserted a wait (vm_page_wait, a busy page): block, then run `then`. */
  protected sleep(then: () => void): void {
    this.k.sched.block(this.thread, then);
  }
}
