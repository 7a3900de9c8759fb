/**
 * Controls: the transport bar (play, step, speed, history) and the setup sidebar (scenario, trace
 * drop, memory, preset, tunables, fixes). Every control is a labelled native input or button, and
 * the transport has keyboard shortcuts (listed on the page).
 */
import { useEffect, useState } from 'preact/hooks';
import { DEFECT_NAMES, PRESET_NAMES, TUNABLE_NAMES, type PresetName, type TunableName } from '../../src/kernel/scenario.js';
import { InputError } from '../../src/errors.js';
import { parseMemory, parsePercent } from '../../src/units.js';
import { parseTunable, tunableUnit } from '../../src/workload/overrides.js';
import { SPEEDS, type Store } from './store.js';

/** A new scenario starts from its own settings. */
const NO_OVERRIDES = { memoryPages: null, memoryShare: null, preset: null, tunables: {}, fixes: {} } as const;

export const KEYS: readonly [string, string][] = [
  ['Space', 'play / pause'],
  ['S', 'step to the daemon’s next S-step'],
  ['N', 'step N references'],
  ['E', 'run to the end'],
  ['R', 'reset'],
  ['− / +', 'slower / faster'],
  ['← / →', 'scrub history'],
  ['L', 'back to live'],
];

function seconds(ns: number): string {
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

export function useKeyboard(store: Store, stepN: () => number): void {
  useEffect(() => {
    const onKey = (ev: KeyboardEvent): void => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const t = ev.target as HTMLElement | null;
      // typing into a field, or a focused button/select handling its own keys, wins
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (t && t.tagName === 'BUTTON' && (ev.key === ' ' || ev.key === 'Enter')) return;
      const n = store.history.items.length;
      const at = store.scrub ?? n - 1;
      switch (ev.key) {
        case ' ': store.togglePlay(); break;
        case 's': case 'S': store.stepDaemon(); break;
        case 'n': case 'N': store.stepReferences(stepN()); break;
        case 'e': case 'E': store.runToEnd(); break;
        case 'r': case 'R': store.reset(); break;
        case '-': case '_': store.setSpeed(store.speed - 1); break;
        case '+': case '=': store.setSpeed(store.speed + 1); break;
        case 'ArrowLeft': store.scrubTo(at - 1); break;
        case 'ArrowRight': store.scrubTo(at + 1); break;
        case 'l': case 'L': store.goLive(); break;
        default: return;
      }
      ev.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

export function TransportBar({ store, stepN, setStepN }: { store: Store; stepN: number; setStepN: (n: number) => void }) {
  const shown = store.shown;
  const n = store.history.items.length;
  const at = store.scrub ?? Math.max(0, n - 1);
  const outcome = store.live?.done ? store.live.result.outcome : null;
  // a finished run has nothing left to step (from a moment in its history, it replays from there)
  const ended = store.done && store.scrub === null;
  return (
    <div class="transport" role="toolbar" aria-label="Simulation controls">
      <button type="button" class="primary" data-testid="play" aria-keyshortcuts="Space" disabled={ended} onClick={() => store.togglePlay()}>
        {store.running ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button type="button" data-testid="step" aria-keyshortcuts="S" aria-label="Step to the daemon’s next decision (S1–S16)" title="Run to the daemon’s next decision S1–S16 (S)" disabled={ended} onClick={() => store.stepDaemon()}>
        Step S
      </button>
      <span class="field inline">
        <button type="button" data-testid="step-refs" aria-keyshortcuts="N" aria-label={`Step ${stepN} references`} disabled={ended} onClick={() => store.stepReferences(stepN)}>Step</button>
        <label>
          <input
            type="number" min={1} step={1} value={stepN} data-testid="step-n" aria-label="References per step"
            onChange={(e) => {
              const n = Math.max(1, Math.floor(Number(e.currentTarget.value)) || 1);
              setStepN(n);
              // the field shows the count a step takes (`0`, `-3` and `1.7` step 1 … and say so)
              e.currentTarget.value = String(n);
            }}
          />
          <span>refs</span>
        </label>
      </span>
      <button type="button" data-testid="run-to-end" aria-keyshortcuts="E" disabled={ended} onClick={() => store.runToEnd()}>To end ⇥</button>
      <button type="button" data-testid="reset" aria-keyshortcuts="R" onClick={() => store.reset()}>↺ Reset</button>
      <label class="field inline">
        <span>Speed</span>
        <select data-testid="speed" value={store.speed} onChange={(e) => store.setSpeed(Number(e.currentTarget.value))}>
          {SPEEDS.map((s, i) => <option key={i} value={i}>{s.label}</option>)}
        </select>
      </label>
      <label class="field inline history">
        <span>History</span>
        <input
          type="range"
          min={0}
          max={Math.max(0, n - 1)}
          value={at}
          data-testid="history"
          aria-valuetext={shown ? `simulated time ${seconds(shown.t)}${store.scrub === null ? ', live' : ''}` : 'no history yet'}
          onInput={(e) => store.scrubTo(Number(e.currentTarget.value))}
        />
      </label>
      <button type="button" data-testid="live" disabled={store.scrub === null} onClick={() => store.goLive()}>Live</button>
      <span class="clock" aria-live="off">
        <span class="clock-label">simulated time</span>
        <strong data-testid="sim-time" data-ns={shown?.t ?? 0}>{shown ? seconds(shown.t) : '—'}</strong>
        {store.loading && <span class="badge" data-testid="loading">loading scenario…</span>}
        {store.busy !== null && !store.loading && <span class="badge busy-badge" data-testid="busy">{store.busy}…</span>}
        {store.scrub !== null && <span class="badge history-badge">history</span>}
        {outcome && <span class={`badge outcome-${outcome}`} data-testid="done-badge">{outcome}</span>}
      </span>
    </div>
  );
}

export function SetupPanel({ store }: { store: Store }) {
  const config = store.config;
  const info = store.info;
  const [dragOver, setDragOver] = useState(false);
  const [memoryText, setMemoryText] = useState('');
  const [memoryError, setMemoryError] = useState<string | null>(null);
  // each run loaded shows its memory; a new scenario or trace asked for clears text typed and never
  // applied at once, so a blur while it loads cannot apply it to the new run
  // a load the kernel refused (memory too small for the preset) keeps the previous run: the field
  // shows that run's memory again, as its help does, and the banner says what was refused
  useEffect(() => {
    setMemoryText(info ? String(info.memoryPages) : '');
    setMemoryError(null);
  }, [info?.generation, store.config?.workload, store.error]);
  if (!config) return <aside class="setup" />;

  const workloadId = config.workload.kind === 'catalog' ? config.workload.id : 'trace';
  const loadTrace = async (file: File): Promise<void> => {
    const bytes = await file.arrayBuffer();
    store.reconfigure({ workload: { kind: 'trace', name: file.name, bytes }, ...NO_OVERRIDES });
  };
  const onDrop = (ev: DragEvent): void => {
    ev.preventDefault();
    setDragOver(false);
    const file = ev.dataTransfer?.files[0];
    if (file) void loadTrace(file);
  };

  return (
    <aside class="setup" aria-label="Run setup">
      <h2>Setup</h2>
      <p class="hint">Changing anything restarts the run.</p>
      <label class="field">
        <span>Scenario</span>
        <select data-testid="scenario" value={workloadId} onChange={(e) => store.reconfigure({ workload: { kind: 'catalog', id: e.currentTarget.value }, ...NO_OVERRIDES })}>
          {store.catalog.some((c) => c.origin === 'shipped') && (
            <optgroup label="Shipped scenarios (scenarios/*.yaml)">
              {store.catalog.filter((c) => c.origin === 'shipped').map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
            </optgroup>
          )}
          <optgroup label="Built-in synthetic">
            {store.catalog.filter((c) => c.origin === 'preset').map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
          </optgroup>
          {config.workload.kind === 'trace' && <option value="trace">trace: {config.workload.name}</option>}
        </select>
      </label>
      {info && <p class="scenario-desc" data-testid="scenario-desc">{info.description}</p>}
      <div
        class={`dropzone${dragOver ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => { e.preventDefault(); setDragOver(true); }}
        onDragLeave={() => setDragOver(false)}
        onDrop={onDrop}
      >
        <label>
          <span>Drop a trace file here, or choose one</span>
          <input
            type="file" data-testid="trace-file"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              // cleared, so that choosing the same file again (after a fix, or another scenario) loads it again
              e.currentTarget.value = '';
              if (f) void loadTrace(f);
            }}
          />
        </label>
        <small>lackey, oracleGeneral, one id per line, SPEC, CSV or pageout’s binary format; gzip/zstd welcome</small>
      </div>

      <label class="field">
        <span>Memory</span>
        <input
          type="text"
          data-testid="memory"
          value={memoryText}
          aria-invalid={memoryError !== null}
          aria-describedby="memory-help"
          onInput={(e) => setMemoryText(e.currentTarget.value)}
          onChange={(e) => {
            try {
              const text = e.currentTarget.value.trim();
              // nothing typed: the scenario's own memory, as an empty tunable is the preset's value
              if (text === '') {
                setMemoryError(null);
                if (config.memoryPages !== null || config.memoryShare !== null) store.reconfigure({ memoryPages: null, memoryShare: null });
                else setMemoryText(info ? String(info.memoryPages) : '');
                return;
              }
              // 25%: a share of the pages the workload touches, counted by the worker
              const share = parsePercent(text, { file: 'memory' });
              if (share !== null) {
                setMemoryError(null);
                store.reconfigure({ memoryPages: null, memoryShare: share });
                return;
              }
              const pages = parseMemory(text, info?.pageSize ?? 4096, { file: 'memory' });
              setMemoryError(null);
              // the memory the run already has (256 frames typed as 1MiB) is no change: no restart
              if (pages === info?.memoryPages && !store.loading) return;
              store.reconfigure({ memoryPages: pages, memoryShare: null });
            } catch (err) {
              setMemoryError(err instanceof Error ? err.message.replace(/^memory: /, '') : String(err));
            }
          }}
        />
        <small id="memory-help">
          {memoryError ?? (info ? `${info.memoryPages.toLocaleString('en')} frames = ${((info.memoryPages * info.pageSize) / (1 << 20)).toLocaleString('en', { maximumFractionDigits: 2 })} MiB of ${info.pageSize / 1024} KiB pages; type 64MiB, a page count or 25% of the pages touched` : '')}
        </small>
      </label>

      <label class="field">
        <span>Preset</span>
        <select data-testid="preset" value={config.preset ?? ''} onChange={(e) => store.reconfigure({ preset: (e.currentTarget.value || null) as PresetName | null })}>
          <option value="">scenario’s own{info ? ` (${info.preset})` : ''}</option>
          {PRESET_NAMES.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>

      <fieldset class="fixes">
        <legend>Fix the seed’s defects</legend>
        {DEFECT_NAMES.map((d) => (
          <label key={d} class="check">
            <input type="checkbox" data-testid={`fix-${d}`} checked={config.fixes[d] ?? info?.fixes[d] ?? false} onChange={(e) => store.reconfigure({ fixes: { ...config.fixes, [d]: e.currentTarget.checked } })} />
            <span>{d} {d === 'B1' ? '(selection follows the hash link)' : d === 'B2' ? '(goto pause livelock)' : '(S12 requeue leaves page busy)'}</span>
          </label>
        ))}
      </fieldset>

      <label class="field">
        <span>Event log shows</span>
        <select data-testid="log-detail" value={config.logDetail} onChange={(e) => store.reconfigure({ logDetail: e.currentTarget.value as 'daemon' | 'all' })}>
          <option value="daemon">the daemon, pagers and tasks</option>
          <option value="all">also every fault and page-in</option>
        </select>
      </label>

      <details class="tunables" open>
        <summary>Tunables <small>(pages or a size such as 1MiB, waits in ms; empty = the preset’s value)</small></summary>
        {TUNABLE_NAMES.map((name) => <TunableInput key={name} store={store} name={name} />)}
      </details>
    </aside>
  );
}

/** What a tunable's field takes, in the words `--set` uses. */
const TUNABLE_HINT = {
  pages: 'pages, or a size such as 1MiB; empty = the preset’s value',
  milliseconds: 'milliseconds, or a duration such as 30ms; empty = the preset’s value',
  pauses: 'a number of pauses; empty = the preset’s value',
} as const;

/**
 * A tunable as typed: empty = the preset's value, else what `--set` takes (pages or a size, or
 * milliseconds or a duration), parsed by the same function, so the field and the flag agree.
 */
function parseTunableText(name: TunableName, text: string, pageSize: number): { value: number | null } | { error: string } {
  const t = text.trim();
  if (t === '') return { value: null };
  try {
    return { value: parseTunable(name, t, pageSize, { file: name }) };
  } catch (err) {
    if (err instanceof InputError) return { error: `expected ${err.expected}, got ${err.got}` };
    throw err;
  }
}

function TunableInput({ store, name }: { store: Store; name: TunableName }) {
  const config = store.config!;
  const pageSize = store.info?.pageSize ?? 4096;
  const derived = store.shown?.result.thresholds as Record<string, number> | undefined;
  const current = config.tunables[name];
  const [text, setText] = useState(current === undefined ? '' : String(current));
  const [error, setError] = useState<string | null>(null);
  // each configuration asked for (a new scenario, a dropped trace, a tunable applied) puts its
  // value in the field at once, unless the text already says it another way (1MiB): text typed
  // and never applied does not outlive it, nor reach the new run when the field loses focus later
  const requested = store.config;
  useEffect(() => {
    setText((shown) => {
      const parsed = parseTunableText(name, shown, pageSize);
      const same = 'value' in parsed && parsed.value === (current ?? null);
      return same ? shown : current === undefined ? '' : String(current);
    });
    setError(null);
  }, [current, requested]);
  const placeholder = derived && name in derived ? `${derived[name]} (derived)` : 'default';
  const unit = tunableUnit(name);
  const helpId = `tunable-help-${name}`;
  return (
    <label class="field tunable">
      <span><code>{name}</code></span>
      <input
        type="text"
        data-testid={`tunable-${name}`}
        value={text}
        placeholder={placeholder}
        title={TUNABLE_HINT[unit]}
        aria-invalid={error !== null}
        aria-describedby={helpId}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => {
          const parsed = parseTunableText(name, e.currentTarget.value, pageSize);
          if ('error' in parsed) return setError(parsed.error);
          setError(null);
          // a blur after the field was reset (a new scenario) is no change: no restart
          if (parsed.value === (current ?? null)) return;
          const tunables = { ...config.tunables };
          if (parsed.value === null) delete tunables[name];
          else tunables[name] = parsed.value;
          store.reconfigure({ tunables });
        }}
      />
      <small id={helpId} class={error !== null ? 'error-text' : 'sr-only'} data-testid={`tunable-help-${name}`}>{error ?? TUNABLE_HINT[unit]}</small>
    </label>
  );
}
