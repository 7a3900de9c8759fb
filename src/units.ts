/**
 * The units users type, the same everywhere (CLI flags, scenario files, sweep files):
 * memory as `64MiB` / `512KiB` / `1GiB` / `16384` (pages) / `16384p`, durations as `5ms`, `200us`,
 * `1.5s`, `100ns` (a bare number is nanoseconds), and `25%` where a share of something is meant.
 */
import { InputError, quote, type InputLocation } from './errors.js';

const BYTE_UNITS: Record<string, number> = {
  b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
};

/** Parse a memory size into whole pages. Numbers without a unit (or with `p`/`pages`) are pages. */
export function parseMemory(raw: string | number, pageSize: number, at: InputLocation): number {
  const expected = `a memory size such as 64MiB, 512KiB or a page count such as 16384`;
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw) && raw > 0) return raw;
    throw new InputError(at, expected, quote(raw));
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  if (!m) throw new InputError(at, expected, quote(raw));
  const value = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit === '' || unit === 'p' || unit === 'pages') {
    if (!Number.isSafeInteger(value) || value <= 0) throw new InputError(at, expected, quote(raw));
    return value;
  }
  const mult = BYTE_UNITS[unit];
  if (mult === undefined) throw new InputError(at, `${expected} (units: KiB, MiB, GiB, KB, MB, GB, pages)`, quote(raw));
  const bytes = value * mult;
  if (bytes === 0) throw new InputError(at, 'a memory size above 0', quote(raw));
  const pages = bytes / pageSize;
  if (!Number.isInteger(pages) || pages <= 0) {
    // KB, MB and GB are decimal, as in bandwidths: say so, since 64KB was most likely meant as 64KiB
    const decimal = unit === 'kb' || unit === 'mb' || unit === 'gb' ? `; ${m[2]} is ${mult.toLocaleString('en-US')} bytes, ${m[2]!.slice(0, 1).toUpperCase()}iB ${(mult === 1000 ? 1024 : mult === 1000 ** 2 ? 1024 ** 2 : 1024 ** 3).toLocaleString('en-US')}` : '';
    throw new InputError(at, `a whole number of ${pageSize}-byte pages`, `${quote(raw)} (${pages} pages${decimal})`);
  }
  return pages;
}

/**
 * Hardware pages and cache lines are powers of two; anything else (4069, 1000) is far more likely
 * a typo than a wish, and would divide every address by it without a word. 1 byte to 1 GiB covers
 * a byte-granular cache, 64-byte cache lines and the largest huge pages.
 */
const TRACE_PAGE_SIZE_EXPECTED = 'a power of two from 1 byte to 1GiB, such as 4096, 16KiB or 64 (a cache line)';

/** A page size a trace may have: a power of two from 1 byte to 1 GiB (compact headers, --page-size). */
export function isTracePageSize(bytes: number): boolean {
  return Number.isInteger(bytes) && bytes >= 1 && bytes <= 2 ** 30 && (bytes & (bytes - 1)) === 0;
}

/** The bytes per page a byte-address trace is read with (compare --page-size, a sweep's pageSize). */
export function parseTracePageSize(raw: string | number, at: InputLocation): number {
  // a page size in pages means nothing (parseMemory would read `4096p` as 4096 one-byte pages)
  if (typeof raw === 'string' && /\d\s*p(ages)?\s*$/i.test(raw)) throw new InputError(at, TRACE_PAGE_SIZE_EXPECTED, quote(raw));
  let bytes: number;
  try {
    bytes = parseMemory(raw, 1, at);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(at, TRACE_PAGE_SIZE_EXPECTED, quote(raw));
    throw e;
  }
  if (!isTracePageSize(bytes)) throw new InputError(at, TRACE_PAGE_SIZE_EXPECTED, quote(raw));
  return bytes;
}

/** 2^53 − 1 ns, the longest duration simulated time holds exactly. */
const MAX_DURATION_TEXT = '104 days (2^53 ns)';

const TIME_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, min: 60e9 };

/** Parse a duration into integer nanoseconds. A bare number is nanoseconds. */
export function parseDuration(raw: string | number, at: InputLocation): number {
  const expected = 'a duration such as 5ms, 200us, 1.5s or a number of nanoseconds';
  let ns: number;
  if (typeof raw === 'number') {
    if (!(Number.isFinite(raw) && raw >= 0)) throw new InputError(at, expected, quote(raw));
    ns = Math.round(raw);
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|min)?\s*$/.exec(raw);
    if (!m) throw new InputError(at, expected, quote(raw));
    ns = Math.round(Number(m[1]) * TIME_UNITS[m[2] ?? 'ns']!);
  }
  // simulated time counts whole nanoseconds exactly up to 2^53 (about 104 days); beyond, a clock
  // would stop advancing and a run would look finished or deadlocked when it is neither
  if (!Number.isSafeInteger(ns)) throw new InputError(at, `${expected}, at most ${MAX_DURATION_TEXT}`, quote(raw));
  return ns;
}

/** Parse `25%` into 0.25, or return null when the value is not a percentage. */
export function parsePercent(raw: string, at: InputLocation): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(raw);
  if (!m) return null;
  const v = Number(m[1]) / 100;
  if (v <= 0 || v > 1) throw new InputError(at, 'a percentage above 0% and at most 100%', quote(raw));
  return v;
}

/** Parse a non-negative integer (with optional `_` separators). */
export function parseCount(raw: string | number, at: InputLocation, what = 'a whole number ≥ 0'): number {
  const v = typeof raw === 'number' ? raw : /^\s*\d[\d_]*\s*$/.test(raw) ? Number(raw.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(v) || v < 0) throw new InputError(at, what, quote(raw));
  return v;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}KiB`;
  return `${bytes}B`;
}

export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}
