/**
 * A cache-mode sweep point: one trace replayed through one policy at one size, exactly as
 * `pageout compare` computes a row. A worker keeps the last traces it remapped, so the points of
 * one trace (every policy, every size) read the file once per worker.
 */
import { basename } from 'node:path';
import { InputError, quote, type InputLocation } from '../errors.js';
import { buildDenseTrace, findPolicy, nextUseOf, POLICIES, policySpec, runPolicy, type DenseTrace } from '../cache/index.js';
import { parseCount, parseMemory, parsePercent } from '../units.js';
import { openTrace } from '../workload/trace/index.js';
import type { RawValue } from '../workload/overrides.js';

/** The row of one cache point: the trace's size and the policy's counts (null when it cannot run at that size). */
export interface CachePointResult {
  /** the trace file as opened */
  traceFile: string;
  /** the policy as `pageout compare` labels it */
  policyName: string;
  frames: number;
  /** references replayed before counting began (0: none) */
  warmup: number;
  /** references counted (after the warm-up) */
  requests: number;
  distinctPages: number;
  misses: number | null;
  missRatio: number | null;
  writebacks: number | null;
  note: string;
}

export const CACHE_COLUMNS: readonly (keyof CachePointResult)[] = ['traceFile', 'policyName', 'frames', 'warmup', 'requests', 'distinctPages', 'misses', 'missRatio', 'writebacks', 'note'];

/** Byte-address traces are read with 4 KiB pages, as `pageout compare` does by default. */
const PAGE_SIZE = 4096;
const KEEP_TRACES = 2;
/** a remapped trace, its next uses once OPT asked, and its page size (a compact trace's own) */
interface LoadedTrace { trace: DenseTrace; nextUse: Float64Array | null; pageSize: number }
const traces = new Map<string, LoadedTrace>();

// a sweep has no key for CSV columns: a CSV without a header is converted first
const OPEN_OPTIONS = { pageSize: PAGE_SIZE, csv: { flag: 'pageout convert --csv' } };

/** The page size a point's sizes count in: a compact trace's own, else 4 KiB. Opens the trace. */
export function tracePageSize(path: string): number {
  const source = openTrace(path, OPEN_OPTIONS);
  try {
    return source.pageSize;
  } finally {
    source.close();
  }
}

function denseTrace(path: string): LoadedTrace {
  const hit = traces.get(path);
  if (hit) return hit;
  const source = openTrace(path, OPEN_OPTIONS);
  let trace: DenseTrace;
  try {
    trace = buildDenseTrace(source);
  } finally {
    source.close();
  }
  const entry = { trace, nextUse: null, pageSize: source.pageSize };
  if (traces.size >= KEEP_TRACES) traces.delete(traces.keys().next().value!);
  traces.set(path, entry);
  return entry;
}

/** The policy's factory, or an InputError listing the policies. */
export function cachePolicy(name: string, at: InputLocation) {
  const factory = findPolicy(name.toLowerCase());
  if (!factory) throw new InputError(at, `a policy among ${POLICIES.map((p) => p.name).join(', ')}`, quote(name));
  return factory;
}

/**
 * `1024` frames, `25%` of the distinct pages, or a memory size in pages of `pageSize` bytes (the
 * trace's: a compact trace's own, else 4 KiB), as `pageout compare` counts them.
 */
export function cacheFrames(size: RawValue, distinctPages: number, pageSize: number, at: InputLocation): number {
  if (typeof size === 'boolean') throw new InputError(at, 'a cache size: frames (1024), a share (25%) or a memory size (4MiB)', quote(size));
  if (typeof size === 'string') {
    const share = parsePercent(size, at);
    if (share !== null) return Math.max(1, Math.round(share * distinctPages));
    if (/[a-z]/i.test(size)) return parseMemory(size, pageSize, at);
  }
  const n = parseCount(size, at, 'a cache size: frames ≥ 1 (1024), a share (25%) or a memory size (4MiB)');
  if (n < 1) throw new InputError(at, 'a cache size of at least 1 frame', quote(size));
  return n;
}

/** A warm-up's spelling: references from 0 (none), as `pageout compare --warmup` counts them. */
export function cacheWarmup(warmup: RawValue | undefined, at: InputLocation): number {
  if (warmup === undefined) return 0;
  const expected = 'a count of references from 0 (none), such as 100000';
  if (typeof warmup === 'boolean') throw new InputError(at, expected, quote(warmup));
  return parseCount(warmup, at, expected);
}

export function runCachePoint(c: { trace: string; policy: string; size: RawValue; warmup?: RawValue }, at: (key: string) => InputLocation): CachePointResult {
  const factory = cachePolicy(c.policy, at('policy'));
  const warmup = cacheWarmup(c.warmup, at('warmup'));
  const entry = denseTrace(c.trace);
  const frames = cacheFrames(c.size, entry.trace.pageCount, entry.pageSize, at('size'));
  if (warmup >= entry.trace.requests) {
    throw new InputError(at('warmup'), `fewer references than ${basename(c.trace)} holds (${entry.trace.requests.toLocaleString('en-US')})`, quote(c.warmup!));
  }
  const spec = policySpec(factory, factory.parseParams(new Map(), at('policy')));
  if (factory.needsNextUse && entry.nextUse === null) entry.nextUse = nextUseOf(entry.trace);
  const row = runPolicy(entry.trace, spec, frames, entry.nextUse ?? undefined, warmup);
  return {
    traceFile: c.trace, policyName: row.policy, frames: row.frames, warmup, requests: row.requests, distinctPages: entry.trace.pageCount,
    misses: row.misses, missRatio: row.missRatio, writebacks: row.writebacks, note: row.note ?? '',
  };
}
