/**
 * A small pool of worker threads for sweep points: each worker runs one point at a time and gets
 * the next when it posts its outcome, so long and short points balance themselves. A worker that
 * dies (out of memory, a crash in native code) fails only its own point; a fresh one takes its place.
 */
import { Worker } from 'node:worker_threads';
import type { PointOutcome, PointTask, WorkerMessage } from './point.js';

/** Under tsx the worker needs a shim that registers the loader; built JavaScript runs directly. */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./worker-shim.mjs', import.meta.url) : new URL('./worker.js', import.meta.url);
}

export async function runOnWorkers(
  tasks: readonly PointTask[],
  workers: number,
  onOutcome: (o: PointOutcome) => void,
  onFraction?: (index: number, fraction: number) => void,
): Promise<void> {
  if (tasks.length === 0) return;
  const queue = [...tasks];
  const live = new Set<Worker>();
  let failure: unknown = null;

  await new Promise<void>((resolveAll) => {
    let running = 0;
    const finishIfIdle = (): void => {
      if (running === 0 && (queue.length === 0 || failure !== null)) resolveAll();
    };
    const start = (): void => {
      const worker = new Worker(workerUrl());
      live.add(worker);
      let current: PointTask | null = null;
      const next = (): void => {
        current = failure === null ? (queue.shift() ?? null) : null;
        if (current === null) {
          live.delete(worker);
          void worker.terminate();
          running--;
          finishIfIdle();
          return;
        }
        worker.postMessage(current);
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'progress') {
          onFraction?.(m.index, m.fraction);
          return;
        }
        try {
          onOutcome(m.outcome);
        } catch (e) {
          failure ??= e;
        }
        next();
      });
      worker.on('error', (e) => {
        if (current !== null) {
          const task: PointTask = current;
          current = null;
          try {
            onOutcome({ index: task.index, ok: false, error: `worker died: ${e.message}`, inputError: false, wallMs: 0 });
          } catch (err) {
            failure ??= err;
          }
        }
      });
      worker.on('exit', () => {
        if (!live.has(worker)) return;
        // died unexpectedly: its point was reported by 'error'; replace it if work is left
        live.delete(worker);
        running--;
        if (queue.length > 0 && failure === null) start();
        else finishIfIdle();
      });
      running++;
      next();
    };
    for (let i = 0; i < Math.min(workers, tasks.length); i++) start();
  });
  await Promise.all([...live].map((w) => w.terminate()));
  if (failure !== null) throw failure;
}
