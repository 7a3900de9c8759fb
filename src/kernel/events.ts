/**
 * Everything the kernel model emits: one union on `type` (STYLE §2.6). Plain data that crosses
 * to a Web Worker unchanged; `t` in simulated ns; daemon decisions name the seed's step (spec §4.2).
 * Nothing is built unless someone listens (Kernel.listener is null on the hot path).
 */
import type { DefectName, Ns } from './scenario.js';

export type ScanStep = `S${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16}`;

/** Where a page lives, for the narration: its frame and its object/offset (offset in pages). */
export interface PageRef {
  frame: number; // -1 for a fictitious page
  object: number; // object id, -1 if none
  offset: number; // page offset in the object
}

export type KernelEvent =
  | { type: 'daemon-start'; t: Ns }
  | { type: 'daemon-wakeup'; t: Ns }
  | { type: 'daemon-sleep'; t: Ns }
  | { type: 'scan'; t: Ns; step: ScanStep; page: PageRef | null; what: string }
  | { type: 'pause'; t: Ns; msecs: number; ticks: number; inactiveEmpty: boolean; reason: string }
  | { type: 'burst-wait'; t: Ns; burstWait: number; change: 'up' | 'down' | 'same' }
  | { type: 'pageout'; t: Ns; page: PageRef; to: 'default' | 'file'; op: 'data_write' | 'data_return' | 'data_initialize'; double: boolean }
  | { type: 'laundry-done'; t: Ns; frame: number }
  | { type: 'fault'; t: Ns; task: number; page: number; write: boolean; result: string }
  | { type: 'pagein'; t: Ns; page: PageRef; from: 'default' | 'file' }
  | { type: 'pager'; t: Ns; pager: 'default' | 'file'; what: string }
  | { type: 'task'; t: Ns; task: number; what: 'start' | 'exit' }
  | { type: 'defect'; t: Ns; defect: DefectName; step: ScanStep; what: string; fixed: boolean }
  | { type: 'outcome'; t: Ns; outcome: string; detail: string };

export type KernelEventType = KernelEvent['type'];

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}

function where(p: PageRef | null): string {
  if (!p) return '';
  const frame = p.frame < 0 ? 'fictitious page' : `page ${p.frame}`;
  return p.object < 0 ? frame : `${frame} (object ${p.object} offset 0x${p.offset.toString(16)})`;
}

/** One line of plain words for the event log ("S13 clean page 812 (object 12 offset 0x3a) freed"). */
export function narrate(e: KernelEvent): string {
  switch (e.type) {
    case 'daemon-start': return 'pageout daemon starts: thresholds computed from the free count';
    case 'daemon-wakeup': return 'pageout daemon woken';
    case 'daemon-sleep': return 'pageout daemon sleeps: targets met, nobody waiting';
    case 'scan': return `${e.step} ${e.what}${e.page ? ': ' + where(e.page) : ''}`;
    case 'pause': return `S4 pause ${e.msecs} ms (${e.ticks} ticks): ${e.reason}`;
    case 'burst-wait': return `burst_wait ${e.change === 'same' ? 'stays' : e.change === 'up' ? 'raised to' : 'lowered to'} ${e.burstWait} ms/page`;
    case 'pageout': return `${e.op} of ${where(e.page)} to the ${e.to} pager${e.double ? ' (double paging)' : ''}`;
    case 'laundry-done': return `default pager freed laundry page ${e.frame}`;
    case 'fault': return `task ${e.task} ${e.write ? 'write' : 'read'} fault on virtual page 0x${e.page.toString(16)}: ${e.result}`;
    case 'pagein': return `page-in of ${where(e.page)} from the ${e.from} pager`;
    case 'pager': return `${e.pager} pager: ${e.what}`;
    case 'task': return `task ${e.task} ${e.what === 'start' ? 'starts' : 'exits'}`;
    case 'defect': return `seed defect ${e.defect} ${e.fixed ? 'met' : 'hit'} at ${e.step}: ${e.what}`;
    case 'outcome': return `run ends: ${e.outcome}${e.detail ? ' — ' + e.detail : ''}`;
    default: return assertNever(e);
  }
}
