/**
 * The text summary of a kernel run that `pageout run` prints: outcome first (loud when the run
 * did not complete), then time, tasks, vm_stat, the seed's counters, thresholds, extremes and
 * integrity. Plain aligned text; colour only when the caller says the terminal takes it.
 */
import pc from 'picocolors';
import type { RunResult, TaskResult } from '../kernel/result.js';
import { formatBytes, formatDuration } from '../units.js';

export interface SummaryOptions {
  color?: boolean;
}

function section(title: string, rows: readonly (readonly [string, string | number])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${title}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`).join('\n')}\n`;
}

function pages(n: number, pageSize: number): string {
  return `${n.toLocaleString('en-US')} pages (${formatBytes(n * pageSize)})`;
}

/** When a task's stream ended: its time, 'killed at' its time, or 'no'. */
function taskEnd(t: TaskResult): string {
  if (t.finishedNs === null) return 'no';
  return t.error !== undefined ? `killed at ${formatDuration(t.finishedNs)}` : formatDuration(t.finishedNs);
}

export function formatRunSummary(r: RunResult, opts: SummaryOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  const completed = r.outcome === 'completed';
  const fixes = r.defects.length > 0 ? ` · defects hit: ${r.defects.map((d) => (d.fixed ? `${d.defect} (fixed)` : d.defect)).join(', ')}` : '';
  out.push(`${c.bold(r.scenario)} · preset ${r.preset} · seed ${r.seed} · ${pages(r.totalPages, r.pageSize)}${fixes}\n`);
  if (completed) {
    const killed = r.tasks.filter((t) => t.error !== undefined).length;
    const note = killed === 0 ? '' : c.yellow(` (${killed === 1 ? 'a task was' : `${killed} tasks were`} killed: see tasks)`);
    // the run's own words for where it stopped: the maxTime limit, or the last nanosecond simulated time holds exactly
    out.push(`outcome: ${c.green('completed')}${r.truncated ? c.yellow(` (${r.outcomeDetail || 'stopped at the time limit before every task finished'})`) : ''}${note}\n`);
  } else {
    out.push(c.bold(c.red(`OUTCOME: ${r.outcome.toUpperCase()}`)) + (r.outcomeDetail ? ` — ${r.outcomeDetail}` : '') + '\n');
  }
  out.push(`simulated time: ${formatDuration(r.simulatedTimeNs)}\n`);

  const tw = Math.max(4, ...r.tasks.map((t) => t.name.length));
  out.push('tasks\n');
  const ew = Math.max(14, ...r.tasks.map((t) => taskEnd(t).length));
  out.push(`  ${'name'.padEnd(tw)}  ${'references'.padStart(12)}  ${'faults'.padStart(10)}  ${'misses'.padStart(10)}  ${'finished'.padStart(ew)}  lost writes\n`);
  for (const t of r.tasks) {
    out.push(`  ${t.name.padEnd(tw)}  ${t.references.toLocaleString('en-US').padStart(12)}  ${t.faults.toLocaleString('en-US').padStart(10)}  ${t.misses.toLocaleString('en-US').padStart(10)}  ${taskEnd(t).padStart(ew)}  ${t.lostWrites}\n`);
  }
  for (const t of r.tasks) if (t.error !== undefined) out.push(c.yellow(`  ${t.name} was killed: ${t.error}\n`));

  const v = r.vmStat;
  out.push(section('vm_stat', [
    ['faults', v.faults], ['pageins', v.pageins], ['pageouts', v.pageouts], ['reactivations', v.reactivations],
    ['zero fill', v.zeroFillCount], ['cow faults', v.cowFaults], ['object cache lookups', v.lookups], ['object cache hits', v.hits],
  ]));
  out.push(section('pageout counters', Object.entries(r.pageoutCounters) as [string, number][]));
  out.push(section('thresholds (pages)', [
    ...(Object.entries(r.thresholds) as [string, number][]),
    ['vm_page_inactive_target (end)', r.inactiveTarget],
  ]));
  out.push(section('daemon', [
    ['min free count', r.minFreeCount],
    ['max laundry count', r.maxLaundryCount],
    ['burst_wait at end (ms/page)', r.finalBurstWait],
    ['selection pauses (goto pause)', r.selectionPauses],
    ['timed pauses', r.pauses],
    ['wakeups', r.daemonWakeups],
    ['double pagings', r.doublePaged],
  ]));
  const f = r.final;
  out.push(section('at the end (pages)', [
    ['free', f.free], ['active', f.active], ['inactive', f.inactive], ['wired', f.wired], ['laundry', f.laundry], ['external', f.external],
  ]));
  const i = r.integrity;
  const lost = i.lostWrites - i.lostWritesFromInjectedErrors;
  const integrity = lost > 0
    ? c.bold(c.red(`${lost} LOST WRITES`)) + ` (${i.readsChecked.toLocaleString('en-US')} reads checked)`
    : `no lost writes (${i.readsChecked.toLocaleString('en-US')} reads checked)`;
  out.push(`integrity: ${integrity}${i.lostWritesFromInjectedErrors > 0 ? `; ${i.lostWritesFromInjectedErrors} lost to injected pager errors` : ''}\n`);
  return out.join('');
}
