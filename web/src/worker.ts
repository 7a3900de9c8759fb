/**
 * The simulation worker: the kernel from ../src runs here, off the page's thread, so a 64 MiB
 * machine never blocks input. Messages in and out are the protocol.ts union.
 */
import { createSimulation } from './kernel-entry.js';
import { buildScenario, catalogEntries, DEFAULT_ENTRY_ID } from './catalog.js';
import type { PageToWorker, WorkerToPage } from './protocol.js';
import { Session } from './session.js';

interface WorkerScope {
  postMessage(msg: WorkerToPage, transfer: Transferable[]): void;
  onmessage: ((ev: MessageEvent<PageToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const session = new Session((msg, transfer) => scope.postMessage(msg, transfer ?? []), createSimulation, buildScenario);
scope.onmessage = (ev) => session.handle(ev.data);
scope.postMessage({ type: 'catalog', entries: catalogEntries(), defaultId: DEFAULT_ENTRY_ID }, []);
