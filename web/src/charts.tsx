/**
 * Time-series charts (uPlot, canvas): the free count against the daemon's thresholds, the queues
 * against the inactive target, and the laundry count with burst_wait. While scrubbing they end at
 * the moment shown.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesKey } from './history.js';
import type { Store } from './store.js';
import { timeTicks } from './time-ticks.js';

interface Line {
  key: SeriesKey;
  label: string;
  stroke: string;
  dash?: number[];
  /** which y axis: 'y' (left) or 'y2' (right) */
  scale?: 'y' | 'y2';
}

interface Threshold {
  label: string;
  value: (s: Store) => number | null;
  color: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  lines: Line[];
  thresholds?: Threshold[];
  rightAxisLabel?: string;
  /** a log10 y axis: the free count starts at the whole memory and then lives near the thresholds */
  logScale?: boolean;
}

/** Redraws of a chart while the run plays: at most this often (setData rescans every point). */
const REDRAW_MS = 150;

function thresholdPlugin(store: Store, thresholds: Threshold[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        ctx.save();
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.textAlign = 'right';
        // labels side by side from the right, so close thresholds do not print over each other
        let labelRight = u.bbox.left + u.bbox.width - 4 * devicePixelRatio;
        for (const th of thresholds) {
          const v = th.value(store);
          if (v === null) continue;
          const y = u.valToPos(v, 'y', true);
          if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
          ctx.strokeStyle = th.color;
          ctx.fillStyle = th.color;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(u.bbox.left, y);
          ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
          const label = `${th.label} ${v}`;
          ctx.fillText(label, labelRight, y - 3 * devicePixelRatio);
          labelRight -= ctx.measureText(label).width + 12 * devicePixelRatio;
        }
        ctx.restore();
      },
    },
  };
}

export function Chart({ store, spec, width }: { store: Store; spec: ChartSpec; width: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const lastDraw = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const draw = (): void => {
    pending.current = null;
    lastDraw.current = performance.now();
    const p = plot.current;
    if (!p) return;
    const shown = store.shown;
    const series = store.series;
    const n = shown && store.scrub !== null ? series.countUntil(shown.t / 1e9) : series.t.length;
    const data: uPlot.AlignedData = [series.t.slice(0, n), ...spec.lines.map((l) => series.cols[l.key].slice(0, n))];
    p.setData(data);
  };

  useEffect(() => {
    if (!host.current) return;
    const hasRight = spec.lines.some((l) => l.scale === 'y2');
    const opts: uPlot.Options = {
      width,
      height: 170,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false },
        y: spec.logScale
          ? {
              distr: 3,
              log: 10,
              // always down to the lowest threshold: the lines are the point of this chart
              range: (_u, min, max) => {
                const lowest = Math.min(min, ...(spec.thresholds ?? []).map((th) => th.value(store) ?? Infinity));
                return uPlot.rangeLog(Math.max(1, lowest * 0.8), Math.max(10, max), 10, true);
              },
            }
          : { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.08] },
        ...(hasRight ? { y2: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.08] } } : {}),
      },
      axes: [
        { label: 'simulated time', size: 40, labelSize: 14, values: (_u, vals) => timeTicks(vals) },
        { label: spec.logScale ? 'pages (log scale)' : 'pages', size: axisWidth, labelSize: 14 },
        ...(hasRight ? [{ side: 1 as const, scale: 'y2', label: spec.rightAxisLabel ?? '', size: axisWidth, labelSize: 14, grid: { show: false } }] : []),
      ],
      series: [
        { label: 't (s)' },
        ...spec.lines.map((l) => ({ label: l.label, stroke: l.stroke, width: 1.5, scale: l.scale ?? 'y', ...(l.dash ? { dash: l.dash } : {}), points: { show: false } })),
      ],
      plugins: spec.thresholds ? [thresholdPlugin(store, spec.thresholds)] : [],
    };
    plot.current = new uPlot(opts, [[], ...spec.lines.map(() => [])], host.current);
    draw();
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [spec, width]);

  useEffect(() => {
    const since = performance.now() - lastDraw.current;
    if (!store.running || since >= REDRAW_MS) draw();
    else if (pending.current === null) pending.current = setTimeout(draw, REDRAW_MS - since);
  }, [store.version]);

  useEffect(() => () => {
    if (pending.current !== null) clearTimeout(pending.current);
  }, []);

  return (
    <figure class="chart" data-testid={`chart-${spec.id}`}>
      <figcaption>{spec.title}</figcaption>
      <div ref={host} role="img" aria-label={`${spec.title}: ${spec.lines.map((l) => l.label).join(', ')} over simulated time`} />
    </figure>
  );
}

const threshold = (label: string, key: 'vm_page_free_target' | 'vm_page_free_min' | 'vm_page_free_reserved', color: string): Threshold => ({
  label,
  color,
  value: (s) => s.shown?.result.thresholds[key] ?? null,
});

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'free',
    title: 'Free pages and the daemon’s thresholds',
    logScale: true,
    lines: [{ key: 'free', label: 'free', stroke: '#0b5cad' }],
    thresholds: [
      threshold('free_target', 'vm_page_free_target', '#2b8a3e'),
      threshold('free_min', 'vm_page_free_min', '#b35c00'),
      threshold('free_reserved', 'vm_page_free_reserved', '#c92a2a'),
    ],
  },
  {
    id: 'queues',
    title: 'Queue lengths and the inactive target',
    lines: [
      { key: 'active', label: 'active', stroke: '#009e73' },
      { key: 'inactive', label: 'inactive', stroke: '#2f7fbf' },
      { key: 'inactiveTarget', label: 'inactive target', stroke: '#2f7fbf', dash: [6, 4] },
      { key: 'wired', label: 'wired', stroke: '#4a4f57' },
      { key: 'external', label: 'external', stroke: '#8f6a00', dash: [2, 3] },
    ],
  },
  {
    id: 'laundry',
    title: 'Laundry and burst_wait',
    lines: [
      { key: 'laundry', label: 'laundry pages', stroke: '#a0417a' },
      { key: 'burstWait', label: 'burst_wait (ms/page)', stroke: '#d55e00', dash: [5, 3], scale: 'y2' },
    ],
    rightAxisLabel: 'ms per page',
  },
];

/** A value axis as wide as its longest tick label (1,000,000 was clipped into the axis title). */
function axisWidth(_u: uPlot, values: string[] | null): number {
  const longest = Math.max(3, ...(values ?? []).map((v) => v.length));
  return 30 + 7 * longest;
}
