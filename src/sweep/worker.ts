/** A sweep worker thread: runs the points the pool sends, one at a time, and posts each outcome back. */
import { parentPort } from 'node:worker_threads';
import { runPoint, type PointTask, type WorkerMessage } from './point.js';

/** Progress messages at most this often, so a fast point does not flood the main thread. */
const PROGRESS_EVERY_MS = 250;

if (!parentPort) throw new Error('src/sweep/worker.ts must run in a worker thread');
const port = parentPort;
const post = (m: WorkerMessage): void => port.postMessage(m);
port.on('message', (task: PointTask) => {
  let last = performance.now();
  const onFraction = (fraction: number): void => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    post({ kind: 'progress', index: task.index, fraction });
  };
  void runPoint(task, onFraction).then((outcome) => post({ kind: 'outcome', outcome }));
});
