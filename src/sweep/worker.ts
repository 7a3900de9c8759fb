/** A sweep worker thread: runs the points the pool sends, one at a time, and posts each outcome back. */
import { parentPort } from 'node:worker_threads';
import { runPoint, type PointTask } from './point.js';

if (!parentPort) throw new Error('src/sweep/worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', (task: PointTask) => {
  void runPoint(task).then((outcome) => port.postMessage(outcome));
});
