/**
 * A disk with FIFO service: each operation waits for the ones before it, then takes its latency
 * plus a transfer time per page. Completion is a timer; the caller sleeps on the returned event.
 */
import type { Clock, Ns } from '../sim/clock.js';
import type { DiskSpec } from '../kernel/scenario.js';

export class Disk {
  #busyUntil: Ns = 0;
  operations = 0;
  busyNs: Ns = 0;

  constructor(
    private readonly clock: Clock,
    private readonly spec: DiskSpec,
  ) {}

  /** Queue an operation; `done` runs when it completes. Returns the completion time. */
  submit(kind: 'read' | 'write', pages: number, done: () => void): Ns {
    const start = Math.max(this.clock.now, this.#busyUntil);
    const service = (kind === 'read' ? this.spec.readLatencyNs : this.spec.writeLatencyNs) + pages * this.spec.perPageNs;
    const end = start + service;
    this.#busyUntil = end;
    this.operations++;
    this.busyNs += service;
    this.clock.at(end, done);
    return end;
  }
}
