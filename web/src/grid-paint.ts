/**
 * Physical memory as pixels: one square cell per frame, painted straight into an ImageData (a
 * 64 MiB machine is 16,384 cells; one DOM node each would not keep up). Every state has its own
 * colour *and* texture, and the marks are shapes, so the grid reads without colour; the legend
 * paints its swatches with these same functions.
 */

/** FrameState values (src/kernel/api.ts), in order. */
export const STATE_NAMES = ['free', 'active', 'inactive', 'laundry', 'wired', 'busy', 'on no queue'] as const;
export const STATE_HELP = [
  'on the free list',
  'on the active queue',
  'on the inactive queue (a candidate for pageout)',
  'being cleaned: sent to a pager, not yet written',
  'wired: held by the kernel, never paged',
  'busy: I/O or a fault in progress',
  'on no queue (just grabbed, or lost by the B3 defect)',
] as const;

type Rgb = readonly [number, number, number];
const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

/** Okabe–Ito colours, which stay apart for the common colour-vision deficiencies. */
export const STATE_COLORS: readonly string[] = ['#e4e7ec', '#009e73', '#56b4e9', '#cc79a7', '#4a4f57', '#e69f00', '#d55e00'];
const FILL: readonly Rgb[] = STATE_COLORS.map(hex);
const INK: Rgb = hex('#1d2126');
const PAPER: Rgb = hex('#ffffff');
const HOLDING: Rgb = hex('#c2185b');

const MARK_DIRTY = 1;
const MARK_REFERENCED = 2;
const MARK_HOLDING = 8;

export interface GridLayout {
  frames: number;
  cols: number;
  rows: number;
  /** pixels per cell, including a one-pixel gap when cells are large enough to afford it */
  cell: number;
  gap: number;
  width: number;
  height: number;
}

/** Near-square grid that fits `maxWidth` pixels; cells between 1 and 28 pixels. */
export function gridLayout(frames: number, maxWidth: number): GridLayout {
  const n = Math.max(1, frames);
  let cols = Math.ceil(Math.sqrt(n));
  let cell = Math.max(1, Math.min(28, Math.floor(maxWidth / cols)));
  // when cells are tiny, widen the grid rather than overflow
  if (cell === 1) cols = Math.max(cols, Math.min(n, Math.floor(maxWidth)));
  else cols = Math.min(n, Math.floor(maxWidth / cell));
  cols = Math.max(1, Math.min(cols, n));
  const rows = Math.ceil(n / cols);
  const gap = cell >= 4 ? 1 : 0;
  return { frames: n, cols, rows, cell, gap, width: cols * cell, height: rows * cell };
}

/** Which texture pixel (dx, dy) of a `size`-pixel cell of `state` gets: true = the darker ink. */
function textured(state: number, dx: number, dy: number, size: number): boolean {
  switch (state) {
    case 0: // free: a hollow square
      return size >= 3 && (dx === 0 || dy === 0 || dx === size - 1 || dy === size - 1);
    case 2: // inactive: lower half darker
      return size >= 3 && dy >= size >> 1;
    case 3: // laundry: diagonal stripes
      return size >= 3 && (dx + dy) % 3 === 0;
    case 5: // busy: checkerboard
      return size >= 3 && ((dx >> (size >= 8 ? 1 : 0)) + (dy >> (size >= 8 ? 1 : 0))) % 2 === 0;
    case 6: // on no queue: a dot in the middle
      return size >= 3 && Math.abs(dx - (size - 1) / 2) <= size / 6 && Math.abs(dy - (size - 1) / 2) <= size / 6;
    default: // active, wired: solid
      return false;
  }
}

function shade(c: Rgb, k: number): Rgb {
  return [Math.round(c[0] * k), Math.round(c[1] * k), Math.round(c[2] * k)];
}
const INKED: readonly Rgb[] = FILL.map((c, s) => (s === 0 ? hex('#9aa1ab') : s === 6 ? INK : shade(c, 0.62)));

function put(data: Uint8ClampedArray, i: number, c: Rgb): void {
  data[i] = c[0];
  data[i + 1] = c[1];
  data[i + 2] = c[2];
  data[i + 3] = 255;
}

/** Paint one cell of `size` pixels at (x0, y0) of an RGBA buffer `stride` pixels wide. */
export function paintCell(data: Uint8ClampedArray, stride: number, x0: number, y0: number, size: number, state: number, marks: number): void {
  const s = state < FILL.length ? state : 6;
  const fill = FILL[s]!;
  const ink = INKED[s]!;
  const corner = Math.max(1, Math.floor(size / 3));
  for (let dy = 0; dy < size; dy++) {
    let i = ((y0 + dy) * stride + x0) * 4;
    for (let dx = 0; dx < size; dx++, i += 4) {
      let c = textured(s, dx, dy, size) ? ink : fill;
      if (marks !== 0) {
        if (marks & MARK_HOLDING && (dx === 0 || dy === 0 || dx === size - 1 || dy === size - 1)) c = HOLDING;
        // dirty: a black corner top-right; referenced: a white corner top-left
        if (marks & MARK_DIRTY && dy < corner && dx >= size - corner) c = INK;
        if (marks & MARK_REFERENCED && dy < corner && dx < corner) c = PAPER;
      }
      put(data, i, c);
    }
  }
}

/**
 * Every (state, marks) cell image of one size, painted once: the grid then copies rows of these
 * templates instead of deciding every pixel of 16,384 cells thirty times a second.
 */
class CellTemplates {
  /** RGBA pixels as one 32-bit word each (the ImageData's byte order, whatever the platform's) */
  readonly #cache: (Uint32Array | undefined)[] = [];
  constructor(readonly size: number) {}
  get(state: number, marks: number): Uint32Array {
    const key = (state & 7) * 16 + (marks & 15);
    let t = this.#cache[key];
    if (!t) {
      const bytes = new Uint8ClampedArray(this.size * this.size * 4);
      paintCell(bytes, this.size, 0, 0, this.size, state, marks & ~4);
      t = new Uint32Array(bytes.buffer);
      this.#cache[key] = t;
    }
    return t;
  }
}

let templates: CellTemplates | null = null;

/** What paintGrid draws into: an ImageData (a plain buffer of its shape in benchmarks). */
export interface PixelBuffer {
  readonly width: number;
  readonly data: Uint8ClampedArray;
}

/** Paint the whole grid; `img` is layout.width × layout.height. */
export function paintGrid(img: PixelBuffer, layout: GridLayout, states: Uint8Array, marks: Uint8Array): void {
  const pixels = new Uint32Array(img.data.buffer, img.data.byteOffset, img.data.length >> 2);
  const size = layout.cell - layout.gap;
  if (templates?.size !== size) templates = new CellTemplates(size);
  // background (gaps and the unused tail of the last row): white
  pixels.fill(0xffffffff);
  const n = Math.min(layout.frames, states.length);
  const width = img.width;
  for (let f = 0; f < n; f++) {
    const x0 = (f % layout.cols) * layout.cell;
    const y0 = Math.floor(f / layout.cols) * layout.cell;
    const t = templates.get(states[f]!, marks[f]!);
    let src = 0;
    for (let dy = 0; dy < size; dy++) {
      let dst = (y0 + dy) * width + x0;
      for (let dx = 0; dx < size; dx++) pixels[dst++] = t[src++]!;
    }
  }
}

/** The frame under pixel (x, y) of the grid, or -1. */
export function frameAt(layout: GridLayout, x: number, y: number): number {
  const col = Math.floor(x / layout.cell);
  const row = Math.floor(y / layout.cell);
  if (col < 0 || col >= layout.cols || row < 0) return -1;
  const f = row * layout.cols + col;
  return f < layout.frames ? f : -1;
}
