/**
 * The memory grid panel: the canvas, a tooltip for the frame under the pointer (or the keyboard
 * cursor), and the legend that names each state's colour and texture and each mark's shape.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FrameInfo } from '../../src/kernel/api.js';
import { frameAt, gridLayout, paintCell, paintGrid, STATE_HELP, STATE_NAMES, type GridLayout } from './grid-paint.js';
import type { Store } from './store.js';

const GRID_MAX_WIDTH = 640;

function hexOffset(n: number): string {
  return `0x${n.toString(16)}`;
}

interface Hover {
  frame: number;
  /** pointer position inside the panel, or null for the keyboard cursor */
  x: number;
  y: number;
  info: FrameInfo | null;
}

function describeFrame(frame: number, state: number, marks: number, info: FrameInfo | null, live: boolean): string[] {
  const lines = [`frame ${frame} (${hexOffset(frame)}): ${STATE_NAMES[state] ?? 'unknown'}`];
  const flags: string[] = [];
  if (marks & 1) flags.push('dirty');
  if (marks & 2) flags.push('referenced');
  if (marks & 4) flags.push('external');
  if (marks & 8) flags.push('holding page in its place');
  if (flags.length) lines.push(flags.join(', '));
  if (!live) lines.push('(object and offset are shown for the live run only)');
  else if (info && info.object >= 0) {
    lines.push(`object ${info.object} offset ${hexOffset(info.offset)} (${info.internal ? 'internal, anonymous' : 'external, file'})`);
    if (info.wireCount > 0) lines.push(`wire count ${info.wireCount}`);
  }
  return lines;
}

export function GridPanel({ store }: { store: Store }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layoutRef = useRef<GridLayout | null>(null);
  const imageRef = useRef<ImageData | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [cursor, setCursor] = useState<number>(-1);
  const shown = store.shown;
  const frames = store.info?.memoryPages ?? 0;

  // repaint whenever the store changes (the canvas is drawn imperatively, not by Preact)
  useLayoutEffect(() => {
    const c = canvas.current;
    if (!c || !shown || frames === 0) return;
    let layout = layoutRef.current;
    if (!layout || layout.frames !== frames) {
      layout = gridLayout(frames, GRID_MAX_WIDTH);
      layoutRef.current = layout;
      c.width = layout.width;
      c.height = layout.height;
      imageRef.current = null;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = imageRef.current ?? ctx.createImageData(layout.width, layout.height);
    imageRef.current = img;
    paintGrid(img, layout, shown.states, shown.marks);
    ctx.putImageData(img, 0, 0);
    const ring = (f: number, color: string): void => {
      if (f < 0 || f >= frames) return;
      const x = (f % layout.cols) * layout.cell;
      const y = Math.floor(f / layout.cols) * layout.cell;
      const pad = Math.min(4, Math.max(2, layout.cell >> 1));
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.strokeRect(x - pad + 0.5, y - pad + 0.5, layout.cell + 2 * pad - 1, layout.cell + 2 * pad - 1);
    };
    ring(shown.focusFrame, '#d00000');
    ring(cursor, '#1d4ed8');
  });

  const live = store.scrub === null;
  const requestInfo = (frame: number, x: number, y: number): void => {
    setHover({ frame, x, y, info: null });
    if (!live) return;
    void store.frameInfo(frame).then((info) => setHover((h) => (h && h.frame === frame ? { ...h, info } : h)));
  };

  const onMove = (ev: MouseEvent): void => {
    const layout = layoutRef.current;
    const c = canvas.current;
    if (!layout || !c) return;
    const r = c.getBoundingClientRect();
    const f = frameAt(layout, ((ev.clientX - r.left) * c.width) / r.width, ((ev.clientY - r.top) * c.height) / r.height);
    if (f < 0) return setHover(null);
    if (hover?.frame !== f) requestInfo(f, ev.clientX - r.left, ev.clientY - r.top);
    else setHover({ ...hover, x: ev.clientX - r.left, y: ev.clientY - r.top });
  };

  const onKey = (ev: KeyboardEvent): void => {
    const layout = layoutRef.current;
    if (!layout) return;
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -layout.cols, ArrowDown: layout.cols, PageUp: -layout.cols * 8, PageDown: layout.cols * 8 };
    const d = moves[ev.key];
    if (d === undefined) return;
    ev.preventDefault();
    ev.stopPropagation();
    const f = Math.max(0, Math.min(frames - 1, (cursor < 0 ? 0 : cursor) + d));
    setCursor(f);
    const x = (f % layout.cols) * layout.cell + layout.cell;
    const y = Math.floor(f / layout.cols) * layout.cell + layout.cell;
    requestInfo(f, x, y);
  };

  // the tooltip follows the data: refresh frame info while the run moves
  useEffect(() => {
    if (hover && live && store.running) void store.frameInfo(hover.frame).then((info) => setHover((h) => (h && h.frame === hover.frame ? { ...h, info } : h)));
  }, [store.version]);

  const tip = hover && shown ? describeFrame(hover.frame, shown.states[hover.frame] ?? 0, shown.marks[hover.frame] ?? 0, hover.info, live) : null;

  return (
    <section class="panel grid-panel" aria-labelledby="grid-title">
      <h2 id="grid-title">
        Physical memory <span class="sub">{frames.toLocaleString('en')} frames{store.info ? ` × ${store.info.pageSize / 1024} KiB` : ''}</span>
      </h2>
      <div class="grid-wrap" onMouseLeave={() => setHover(null)}>
        <canvas
          ref={canvas}
          class="grid-canvas"
          data-testid="memory-grid"
          tabIndex={0}
          role="img"
          aria-label={`Memory grid of ${frames} page frames, coloured and textured by state. Arrow keys move a cursor that describes one frame.`}
          onMouseMove={onMove}
          onKeyDown={onKey}
          onBlur={() => { setCursor(-1); setHover(null); }}
        />
        {tip && hover && (
          <div class="tooltip" role="status" data-testid="frame-tooltip" style={{ left: `${hover.x + 14}px`, top: `${hover.y + 14}px` }}>
            {tip.map((l, i) => (
              <div key={i} class={i === 0 ? 'tip-head' : ''}>{l}</div>
            ))}
          </div>
        )}
      </div>
      <Legend />
    </section>
  );
}

function Swatch({ state, marks, label }: { state: number; marks: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const img = ctx.createImageData(16, 16);
    paintCell(img.data, 16, 0, 0, 16, state, marks);
    ctx.putImageData(img, 0, 0);
  }, [state, marks]);
  return <canvas ref={ref} width={16} height={16} class="swatch" role="img" aria-label={label} />;
}

function Legend() {
  return (
    <div class="legend" role="group" aria-label="Legend of the memory grid">
      <ul class="legend-states">
        {STATE_NAMES.map((name, s) => (
          <li key={name} title={STATE_HELP[s]}>
            <Swatch state={s} marks={0} label={`${name}: ${STATE_HELP[s]}`} />
            <span>{name}</span>
          </li>
        ))}
      </ul>
      <ul class="legend-marks">
        <li><Swatch state={1} marks={1} label="dirty mark: black top-right corner" /><span>dirty (black corner, top right)</span></li>
        <li><Swatch state={1} marks={2} label="referenced mark: white top-left corner" /><span>referenced (white corner, top left)</span></li>
        <li><Swatch state={2} marks={8} label="holding placeholder: red outline" /><span>holding placeholder (red outline)</span></li>
        <li><span class="ring-key" aria-hidden="true" /><span>the page of the last step (red ring)</span></li>
      </ul>
    </div>
  );
}
