/**
 * Threads and Mach's wait primitives on one simulated uniprocessor (spec §2).
 *
 * Where Mach differs from SimPy the engine models Mach:
 *  - thread_wakeup wakes every waiter, thread_wakeup_one the first; a wakeup with no waiter is lost.
 *  - thread_block(continuation): the blocked thread's stack is gone, so it resumes by calling
 *    its continuation afresh; what must survive lives in kernel state. That is why threads are
 *    continuations here, not generators or async functions.
 *  - the kernel is non-preemptive: a kernel thread runs until it blocks (in zero simulated time).
 *    User threads consume CPU per memory reference and are time-sliced; a kernel thread made
 *    runnable while a user thread runs preempts it at its next trap return (the AST check).
 *  - timed waits are whole clock ticks: a wait of ms milliseconds is ceil(ms·hz/1000) ticks
 *    (convert_ipc_timeout_to_ticks) and ends at a tick boundary, as set_timeout does.
 */
import { Clock, type Ns, type Timer } from './clock.js';

export type WaitResult = 'awakened' | 'timed-out';
export type Continuation = (result: WaitResult) => void;
/** A wait event: any object, compared by identity (Mach uses addresses). */
export type WaitEvent = object;

export type ThreadState = 'runnable' | 'running' | 'waiting' | 'halted';

export class Thread {
  state: ThreadState = 'halted';
  continuation: Continuation | null = null;
  waitEvent: WaitEvent | null = null;
  /** what the thread waits for, in words (deadlock reports) */
  waitReason = '';
  timer: Timer | null = null;
  pendingResult: WaitResult = 'awakened';
  /** user threads only: CPU time left in the current quantum */
  quantumLeft: Ns = 0;

  constructor(
    readonly name: string,
    readonly kind: 'kernel' | 'user',
    /** vm_privilege: may allocate below vm_page_free_reserved */
    public privileged: boolean,
  ) {}
}

/** Runs a user thread for CPU time until `limit`; returns why it stopped. */
export type UserRunner = (t: Thread, limit: Ns) => 'blocked' | 'yield' | 'exit';

export class Scheduler {
  readonly clock = new Clock();
  current: Thread | null = null;
  /** a kernel thread became runnable while a user thread was running: preempt at the next trap return */
  preemptPending = false;
  readonly #kernelRunQ: Thread[] = [];
  readonly #userRunQ: Thread[] = [];
  readonly #waiters = new Map<WaitEvent, Thread[]>();
  readonly tickNs: Ns;

  constructor(
    readonly hz: number,
    readonly quantumNs: Ns,
  ) {
    this.tickNs = Math.round(1e9 / hz);
  }

  /** Start a thread: it runs `body` when scheduled. */
  start(t: Thread, body: Continuation): void {
    t.continuation = body;
    this.#setRunnable(t, 'awakened', false);
  }

  /** assert_wait(event): the thread will sleep on `event` when it next blocks. */
  assertWait(t: Thread, event: WaitEvent, reason: string): void {
    if (t.waitEvent !== null) throw new Error(`assert_wait: ${t.name} already waits on something`);
    t.waitEvent = event;
    t.waitReason = reason;
    let q = this.#waiters.get(event);
    if (q === undefined) this.#waiters.set(event, (q = []));
    q.push(t);
  }

  /**
   * thread_will_wait_with_timeout(thread, msecs): sleep on no event, only a timer of whole ticks
   * (spec §2: nothing can end the daemon's pause early). Returns the tick count.
   */
  willWaitWithTimeout(t: Thread, msecs: number, reason: string): number {
    const ticks = Math.max(1, Math.ceil((msecs * this.hz) / 1000));
    const nowTick = Math.floor(this.clock.now / this.tickNs);
    const at = (nowTick + ticks) * this.tickNs;
    t.waitReason = reason;
    t.timer = this.clock.at(at, () => {
      t.timer = null;
      this.#setRunnable(t, 'timed-out', false);
    });
    return ticks;
  }

  /** thread_block(continuation): the running thread gives up the CPU and later resumes in `cont`. */
  block(t: Thread, cont: Continuation): void {
    if (t.state !== 'running') throw new Error(`thread_block: ${t.name} is not running`);
    t.continuation = cont;
    if (t.waitEvent === null && t.timer === null) {
      // nothing to wait for: thread_block just yields the processor
      this.#setRunnable(t, 'awakened', false);
      return;
    }
    t.state = 'waiting';
  }

  /** Keep a kernel thread current: it resumes in `cont` before anything else runs (used to observe the daemon step by step). */
  yieldKeep(t: Thread, cont: Continuation): void {
    t.continuation = cont;
    this.#setRunnable(t, 'awakened', true);
  }

  /** thread_wakeup(event): wake every thread waiting on `event`. A wakeup with no waiter is lost. */
  wakeup(event: WaitEvent): number {
    const q = this.#waiters.get(event);
    if (q === undefined) return 0;
    this.#waiters.delete(event);
    for (const t of q) this.#wake(t);
    return q.length;
  }

  /** thread_wakeup_one(event): wake the first (FIFO) waiter. */
  wakeupOne(event: WaitEvent): boolean {
    const q = this.#waiters.get(event);
    if (q === undefined) return false;
    const t = q.shift()!;
    if (q.length === 0) this.#waiters.delete(event);
    this.#wake(t);
    return true;
  }

  hasWaiters(event: WaitEvent): boolean {
    return this.#waiters.has(event);
  }

  #wake(t: Thread): void {
    t.waitEvent = null;
    if (t.state === 'waiting') this.#setRunnable(t, 'awakened', false);
    // a thread that asserted a wait but has not blocked yet simply will not sleep (block sees no event)
  }

  #setRunnable(t: Thread, result: WaitResult, front: boolean): void {
    t.pendingResult = result;
    t.state = 'runnable';
    const q = t.kind === 'kernel' ? this.#kernelRunQ : this.#userRunQ;
    if (front) q.unshift(t);
    else q.push(t);
    if (t.kind === 'kernel' && this.current !== null && this.current.kind === 'user') this.preemptPending = true;
  }

  get idle(): boolean {
    return this.#kernelRunQ.length === 0 && this.#userRunQ.length === 0;
  }

  /** Threads currently waiting, for deadlock reports. */
  waitingThreads(all: readonly Thread[]): Thread[] {
    return all.filter((t) => t.state === 'waiting');
  }

  /**
   * Run one scheduling decision: fire due timers, then run the first runnable kernel thread, else
   * the first user thread for one slice, else advance the clock to the next timer (at most `until`).
   * Returns false when nothing can happen any more before `until`.
   */
  runOnce(until: Ns, runUser: UserRunner): boolean {
    this.clock.fireDue();
    const k = this.#kernelRunQ.shift();
    if (k !== undefined) {
      this.#runKernel(k);
      return true;
    }
    const u = this.#userRunQ.shift();
    if (u !== undefined) {
      if (u.quantumLeft <= 0) u.quantumLeft = this.quantumNs;
      const start = this.clock.now;
      const limit = Math.min(start + u.quantumLeft, this.clock.nextTime(), until);
      if (limit <= start && start >= until) {
        this.#userRunQ.unshift(u);
        return false;
      }
      this.current = u;
      u.state = 'running';
      this.preemptPending = false;
      const why = runUser(u, Math.max(limit, start + 1));
      this.current = null;
      u.quantumLeft -= this.clock.now - start;
      if (why === 'yield') {
        u.state = 'runnable';
        // preempted by a kernel thread or a timer: keep the CPU afterwards; quantum expired: go to the back
        if (u.quantumLeft > 0) this.#userRunQ.unshift(u);
        else this.#userRunQ.push(u);
      } else if (why === 'exit') {
        u.state = 'halted';
      }
      return true;
    }
    const next = this.clock.nextTime();
    if (next === Infinity) return false; // nothing will ever happen: time stands still
    if (next > until) {
      if (until > this.clock.now) this.clock.advanceTo(until);
      return false;
    }
    this.clock.advanceTo(next);
    return true;
  }

  #runKernel(t: Thread): void {
    const cont = t.continuation;
    if (cont === null) throw new Error(`scheduler: ${t.name} has no continuation`);
    t.continuation = null;
    t.state = 'running';
    this.current = t;
    try {
      cont(t.pendingResult);
    } finally {
      this.current = null;
    }
    if (t.state === 'running') throw new Error(`scheduler: kernel thread ${t.name} returned without blocking`);
  }
}
