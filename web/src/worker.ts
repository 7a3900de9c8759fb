/**
 * The simulation worker: the kernel from ../src runs here, off the page's thread, so a 64 MiB
 * machine never blocks input. Messages in and out are the protocol.ts union.
 */
import { createSimulation } from '../../src/kernel/index.js';
import { buildScenario, catalogEntries, DEFAULT_ENTRY_ID, prepare } from './catalog.js';
import type { PageToWorker, WorkerToPage } from './protocol.js';
import { Session } from './session.js';

interface WorkerScope {
  postMessage(msg: WorkerToPage, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<PageToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const session = new Session((msg, transfer) => scope.postMessage(msg, transfer ?? []), createSimulation, buildScenario);
// in order: a load may first fetch traces, and what follows it must wait for it
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (ev) => {
  const msg = ev.data;
  queue = queue.then(async () => {
    if (msg.type === 'load') {
      try {
        await prepare(msg.config);
      } catch (e) {
        scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }, []);
        return;
      }
    }
    session.handle(msg);
  });
};
scope.postMessage({ type: 'catalog', entries: catalogEntries(), defaultId: DEFAULT_ENTRY_ID }, []);
