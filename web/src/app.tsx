/**
 * The visualizer page: transport bar on top, setup on the left, the memory grid and its queues in
 * the middle, charts and the narrated log on the right.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Chart, CHARTS } from './charts.js';
import { KEYS, SetupPanel, TransportBar, useKeyboard } from './controls.js';
import { GridPanel } from './grid-view.js';
import { CountersPanel, LogPanel, QueuesPanel, ResultPanel, TasksPanel } from './panels.js';
import { Store } from './store.js';

function useStore(store: Store): void {
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store]);
}

/** Width of the chart column, followed as the window resizes. */
function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(520);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(280, Math.floor(el.clientWidth) - 2)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return width;
}

export function App() {
  const store = useMemo(() => new Store(), []);
  useStore(store);
  const [stepN, setStepN] = useState(1000);
  const stepNRef = useRef(stepN);
  stepNRef.current = stepN;
  useKeyboard(store, () => stepNRef.current);
  const chartsRef = useRef<HTMLDivElement>(null);
  const chartWidth = useWidth(chartsRef);

  return (
    <div
      class="app"
      data-testid="app"
      data-loading={String(store.loading)}
      data-generation={store.info?.generation ?? 0}
      data-running={String(store.running)}
      data-done={String(store.done)}
    >
      <header class="top">
        <h1>
          pageout <span class="sub">GNU Mach’s pageout daemon, step by step</span>
        </h1>
        <TransportBar store={store} stepN={stepN} setStepN={setStepN} />
        {store.error && <p class="error" role="alert" data-testid="error">{store.error}</p>}
        <p class="sr-only" aria-live="polite" data-testid="announcement">{store.announcement}</p>
      </header>
      <main class="columns">
        <SetupPanel store={store} />
        <div class="middle">
          <GridPanel store={store} />
          <QueuesPanel store={store} />
          <TasksPanel store={store} />
        </div>
        <div class="right" ref={chartsRef}>
          <section class="panel charts" aria-label="Charts">
            {CHARTS.map((spec) => <Chart key={spec.id} store={store} spec={spec} width={chartWidth - 24} />)}
          </section>
          <LogPanel store={store} />
          <ResultPanel store={store} />
          <CountersPanel store={store} />
        </div>
      </main>
      <footer class="keys" aria-label="Keyboard shortcuts">
        {KEYS.map(([k, what]) => (
          <span key={k}><kbd>{k}</kbd> {what}</span>
        ))}
      </footer>
    </div>
  );
}
