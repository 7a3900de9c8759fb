/**
 * The text panels: queue lengths against their targets, per-task progress, the seed's counters,
 * the narrated event log and the final result.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { LogLine } from './protocol.js';
import type { Store } from './store.js';

function Meter({ label, value, max, marks, color, testId }: { label: string; value: number; max: number; marks: { label: string; value: number }[]; color: string; testId: string }) {
  const pct = (v: number): string => `${Math.max(0, Math.min(100, (100 * v) / Math.max(1, max)))}%`;
  return (
    <div class="meter" data-testid={testId}>
      <div class="meter-head">
        <span class="meter-label">{label}</span>
        <span class="meter-value">{value.toLocaleString('en')}</span>
        {marks.length > 0 && (
          <span class="meter-marks">{marks.map((m) => `${m.label} ${m.value.toLocaleString('en')}`).join(' · ')}</span>
        )}
      </div>
      <div class="meter-bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
        <div class="meter-fill" style={{ width: pct(value), background: color }} />
        {marks.map((m) => (
          <div key={m.label} class="meter-tick" style={{ left: pct(m.value) }} title={`${m.label} ${m.value}`} />
        ))}
      </div>
    </div>
  );
}

export function QueuesPanel({ store }: { store: Store }) {
  const shown = store.shown;
  if (!shown || !store.info) return <section class="panel" />;
  const s = shown.sample;
  const th = shown.result.thresholds;
  const total = store.info.memoryPages;
  return (
    <section class="panel queues" aria-labelledby="queues-title">
      <h2 id="queues-title">Queues and targets</h2>
      <Meter testId="queue-free" label="free" value={s.free} max={total} color="#8d96a3" marks={[
        { label: 'target', value: th.vm_page_free_target },
        { label: 'min', value: th.vm_page_free_min },
        { label: 'reserved', value: th.vm_page_free_reserved },
      ]} />
      <Meter testId="queue-active" label="active" value={s.active} max={total} color="#009e73" marks={[]} />
      <Meter testId="queue-inactive" label="inactive" value={s.inactive} max={total} color="#56b4e9" marks={[{ label: 'target', value: s.inactiveTarget }]} />
      <Meter testId="queue-laundry" label="laundry" value={s.laundry} max={total} color="#cc79a7" marks={[]} />
      <Meter testId="queue-wired" label="wired" value={s.wired} max={total} color="#4a4f57" marks={[]} />
      <Meter testId="queue-external" label="external" value={s.external} max={total} color="#e69f00" marks={[
        { label: 'target', value: th.vm_page_external_target },
        { label: 'limit', value: th.vm_page_external_limit },
      ]} />
      <p class="burst">burst_wait <strong data-testid="burst-wait">{s.burstWait}</strong> ms/page · max laundry {shown.result.maxLaundryCount} · min free {shown.result.minFreeCount}</p>
    </section>
  );
}

export function TasksPanel({ store }: { store: Store }) {
  const shown = store.shown;
  const info = store.info;
  if (!shown || !info) return <section class="panel" />;
  return (
    <section class="panel tasks" aria-labelledby="tasks-title">
      <h2 id="tasks-title">Tasks</h2>
      <ul>
        {info.tasks.map((t, i) => {
          const done = shown.sample.taskRefs[i] ?? 0;
          const r = shown.result.tasks[i];
          const finished = r?.finishedNs != null;
          const total = Number.isFinite(t.totalRefs) ? t.totalRefs : 0;
          return (
            <li key={i} data-testid={`task-${i}`}>
              <label>
                <span class="task-name">{t.name}</span>
                <span class="task-figures">
                  {done.toLocaleString('en')}{total > 0 ? ` / ${total.toLocaleString('en')}` : ''} refs · {(r?.faults ?? 0).toLocaleString('en')} faults
                  {finished ? ` · ${r!.error ? 'killed' : 'finished'} at ${((r!.finishedNs ?? 0) / 1e9).toFixed(3)} s${r!.error ? `: ${r!.error}` : ''}` : ''}
                </span>
                <progress max={total > 0 ? total : 1} value={total > 0 ? done : finished ? 1 : 0} />
              </label>
              <div class="task-desc">{t.description.replace(/^\/(scenarios|dropped)\//, '')}</div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function CountersPanel({ store }: { store: Store }) {
  const shown = store.shown;
  if (!shown) return <section class="panel" />;
  const r = shown.result;
  const rows: [string, number][] = [
    ...Object.entries(r.pageoutCounters),
    ['faults', r.vmStat.faults],
    ['pageins', r.vmStat.pageins],
    ['pageouts', r.vmStat.pageouts],
    ['reactivations', r.vmStat.reactivations],
    ['daemon wakeups', r.daemonWakeups],
    ['pauses (S4)', r.pauses],
    ['double paged', r.doublePaged],
  ];
  return (
    <section class="panel counters" aria-labelledby="counters-title">
      <h2 id="counters-title">Counters</h2>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}><th scope="row">{k}</th><td>{v.toLocaleString('en')}</td></tr>
          ))}
        </tbody>
      </table>
      {r.defects.length > 0 && (
        <p class="defects" role="alert">seed defects hit: {r.defects.map((d) => `${d.defect} at ${d.step}${d.fixed ? ' (fixed)' : ''}`).join(', ')}</p>
      )}
    </section>
  );
}

const LOG_SHOWN = 120;
/** While the run plays the log redraws at most this often: lines fly by faster than anyone reads. */
const LOG_REDRAW_MS = 150;

function ms(t: number): string {
  return (t / 1e6).toFixed(3);
}

export function LogPanel({ store }: { store: Store }) {
  const shown = store.shown;
  const list = useRef<HTMLOListElement>(null);
  const drawn = useRef<{ at: number; lines: LogLine[] }>({ at: 0, lines: [] });
  const now = performance.now();
  if (!store.running || now - drawn.current.at >= LOG_REDRAW_MS) {
    drawn.current = { at: now, lines: shown ? store.log.tail(LOG_SHOWN, shown.logTotal) : [] };
  }
  const lines = drawn.current.lines;
  const last = lines[lines.length - 1];
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [last?.seq, store.scrub]);
  return (
    <section class="panel log" aria-labelledby="log-title">
      <h2 id="log-title">
        Event log <span class="sub">{shown ? `${shown.logTotal.toLocaleString('en')} lines` : ''}{shown && shown.logTotal > lines.length ? `, newest ${lines.length} shown` : ''}</span>
      </h2>
      <ol ref={list} class="log-lines" data-testid="event-log" tabIndex={0} aria-label="Narrated kernel events, newest last">
        {lines.map((l) => (
          <li key={l.seq} class={`log-line kind-${l.kind}`} data-step={l.step ?? ''} data-seq={l.seq} title={l.text}>
            <span class="log-t">{ms(l.t)} ms</span>
            {l.step ? <span class="log-step">{l.step}</span> : <span class="log-step none">{l.kind.replace(/^daemon-/, '')}</span>}
            <span class="log-text">{l.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ResultPanel({ store }: { store: Store }) {
  const live = store.live;
  if (!live?.done) return null;
  const json = JSON.stringify(live.result, null, 2);
  const download = (): void => {
    const url = URL.createObjectURL(new Blob([json + '\n'], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${live.result.scenario}.result.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section class="panel result" aria-labelledby="result-title">
      <h2 id="result-title">
        Result: <span data-testid="outcome" class={`outcome-${live.result.outcome}`}>{live.result.outcome}</span>
        {live.result.outcomeDetail && <span class="sub"> — {live.result.outcomeDetail}</span>}
      </h2>
      <button type="button" onClick={download}>Download result JSON</button>
      <details>
        <summary>RunResult (the same JSON as <code>pageout run --json</code>)</summary>
        <pre data-testid="result-json">{json}</pre>
      </details>
    </section>
  );
}
