/**
 * The flags `pageout compare` and `pageout mrc` share: how to read the trace (format, page size,
 * CSV columns, a slice, a warm-up), the sizes (--frames, --memory), the policies and their
 * parameters, and how their tables print ratios and counts.
 */
import type { Command } from 'commander';
import { COMMAND_LINE, createProgressBar, flagError, parseList } from './common.js';
import { InputError, InputErrors, quote } from '../errors.js';
import { parseCount, parseMemory, parsePercent } from '../units.js';
import { addSliceOptions, openTraceWithFlags, type TraceReadFlags } from './trace-flags.js';
import type { DenseTrace, PolicySpec } from '../cache/index.js';
import type { TraceRefSource } from '../workload/trace/index.js';

export interface CacheTraceFlags {
  format?: string;
  pageSize?: string;
  csvColumns?: string;
  skipRefs?: string;
  maxRefs?: string;
  warmup?: string;
  quiet?: boolean;
}

/** --format, --page-size, --csv-columns (here --csv names an output file, as elsewhere), --warmup, --skip-refs and --max-refs. */
export function addCacheTraceOptions(cmd: Command): Command {
  return addSliceOptions(cmd
    .option('--format <format>', 'the input format, when the name and content do not tell (lackey, lirs, spec, csv, oracleGeneral, compact)')
    .option('--page-size <bytes>', 'bytes per page for byte-address traces; default 4096')
    .option('--csv-columns <columns>', 'columns of a CSV trace, as `pageout inspect --csv` takes them')
    .option('--warmup <n>', 'replay the first N references (of the slice) without counting them: they only fill the cache'));
}

/**
 * --warmup N, checked before the trace is read; 0 without it. `--warmup 0` is none, as a sweep's
 * `warmup: 0` is, so a script may pass 0 among its values.
 */
export function parseWarmup(flags: CacheTraceFlags): number {
  if (flags.warmup === undefined) return 0;
  return parseCount(flags.warmup, { file: COMMAND_LINE, field: '--warmup' }, 'a count of references from 0 (none), such as 100000');
}

/** The flags that read just the warm-up: the same trace and slice, cut after `warmup` references. */
export function warmupFlags(flags: CacheTraceFlags, warmup: number): CacheTraceFlags {
  return { ...flags, maxRefs: String(warmup) };
}

/** A warm-up must leave references to count: refused once the trace's length is known. */
export function checkWarmup(flags: CacheTraceFlags, warmup: number, requests: number): void {
  if (warmup > 0 && warmup >= requests) {
    throw flagError('--warmup', `fewer references than the trace${flags.skipRefs !== undefined || flags.maxRefs !== undefined ? '\'s slice' : ''} holds (${formatCount(requests)})`, flags.warmup);
  }
}

/** " after a warm-up of 1,000 references", or nothing. */
export function describeWarmup(warmup: number): string {
  return warmup === 0 ? '' : ` after a warm-up of ${formatCount(warmup)} references`;
}

/** The --skip-refs / --max-refs flags of a cache command, as the trace readers' flags. */
export function sliceFlags(flags: CacheTraceFlags): TraceReadFlags {
  const slice: TraceReadFlags = {};
  if (flags.skipRefs !== undefined) slice.skipRefs = flags.skipRefs;
  if (flags.maxRefs !== undefined) slice.maxRefs = flags.maxRefs;
  return slice;
}

/**
 * Open the trace for one pass and run `work` on it with a progress bar of references read;
 * closes the trace whatever happens.
 */
export async function withTraceSource<T>(
  path: string,
  flags: CacheTraceFlags,
  quiet: boolean,
  work: (source: TraceRefSource, onProgress: (refs: number) => void) => T,
): Promise<T> {
  const readFlags: TraceReadFlags = sliceFlags(flags);
  if (flags.format !== undefined) readFlags.format = flags.format;
  if (flags.pageSize !== undefined) readFlags.pageSize = flags.pageSize;
  if (flags.csvColumns !== undefined) readFlags.csv = flags.csvColumns;
  const source = await openTraceWithFlags(path, readFlags, '--csv-columns');
  const bar = createProgressBar({ quiet, unit: 'references read' });
  try {
    return work(source, (refs) => bar.update(refs, source.totalRefs ?? NaN));
  } finally {
    bar.stop();
    source.close();
  }
}

/**
 * Read the whole trace and remap its pages to dense ids, with a progress bar; with the trace's
 * page size (a compact trace's own, else --page-size or 4096), in which `--memory 64MiB` counts.
 */
export async function loadDenseTrace(path: string, flags: CacheTraceFlags, quiet: boolean): Promise<DenseTrace & { pageSize: number }> {
  const { buildDenseTrace } = await import('../cache/index.js');
  return withTraceSource(path, flags, quiet, (source, onProgress) => ({ ...buildDenseTrace(source, onProgress), pageSize: source.pageSize }));
}

/** True when the sizes asked for are shares of the distinct pages, known only once the trace is read. */
export function sizesNeedPageCount(flags: { frames?: string; memory?: string }, fallback: string): boolean {
  return flags.frames === undefined && parseList(flags.memory ?? fallback).some((item) => item.trim().endsWith('%'));
}

/** What --frames takes: counts are numbers, so exact only up to 2^53 − 1. */
const FRAME_COUNT = `a frame count from 1 to ${Number.MAX_SAFE_INTEGER}`;

/**
 * Frame counts from `--frames 100,1000` or `--memory 10%,25%,64MiB` (a share of the distinct pages,
 * or a memory size in pages of `pageSize` bytes). Every bad item is reported at once.
 */
export function parseSizes(flags: { frames?: string; memory?: string }, distinctPages: number, pageSize: number, fallback: string): number[] {
  if (flags.frames !== undefined && flags.memory !== undefined) {
    throw flagError('--memory', 'either --frames or --memory, not both', flags.memory);
  }
  const errors: InputError[] = [];
  const sizes: number[] = [];
  if (flags.frames !== undefined) {
    const at = { file: COMMAND_LINE, field: '--frames' };
    const items = parseList(flags.frames, '--frames');
    if (items.length === 0) errors.push(flagError('--frames', 'frame counts such as 100,1000', flags.frames));
    for (const item of items) {
      try {
        const n = parseCount(item, at, FRAME_COUNT);
        if (n < 1) throw new InputError(at, FRAME_COUNT, quote(item));
        sizes.push(n);
      } catch (e) {
        if (e instanceof InputError) errors.push(e);
        else throw e;
      }
    }
  } else {
    const raw = flags.memory ?? fallback;
    const at = { file: COMMAND_LINE, field: '--memory' };
    const items = parseList(raw, '--memory');
    if (items.length === 0) errors.push(flagError('--memory', 'sizes such as 10%,25% or 64MiB', raw));
    for (const item of items) {
      try {
        const share = parsePercent(item, at);
        sizes.push(share !== null ? Math.max(1, Math.round(share * distinctPages)) : parseMemory(item, pageSize, at));
      } catch (e) {
        if (e instanceof InputError) errors.push(e);
        else throw e;
      }
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrors(errors);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/**
 * Policies from `--policies lru,arc` (default: all) and their parameters from repeatable
 * `--param arc.key=value`. `allowMach` lets `mach` through (it is not a PolicyFactory).
 */
export async function parsePolicies(
  list: string | undefined,
  params: readonly string[] | undefined,
  allowMach: boolean,
  defaultList: string,
): Promise<{ specs: PolicySpec[]; mach: boolean }> {
  const { POLICIES, findPolicy, policySpec } = await import('../cache/index.js');
  const known = [...POLICIES.map((p) => p.name), ...(allowMach ? ['mach'] : [])];
  const errors: InputError[] = [];
  const names = parseList(list ?? defaultList, '--policies');
  if (names.length === 0 && defaultList !== '') errors.push(flagError('--policies', `policy names among ${known.join(', ')}`, list ?? ''));
  const raw = new Map<string, Map<string, string>>();
  for (const p of params ?? []) {
    const m = /^\s*([A-Za-z0-9-]+)\.([A-Za-z0-9_]+)\s*=\s*(.*?)\s*$/.exec(p);
    if (!m) {
      errors.push(flagError('--param', 'policy.key=value, e.g. 2q.kin=0.3', p));
      continue;
    }
    const name = m[1]!.toLowerCase();
    if (!findPolicy(name)) {
      errors.push(new InputError({ file: COMMAND_LINE, field: '--param' }, `a policy with parameters (${POLICIES.filter((f) => f.params.length > 0).map((f) => f.name).join(', ')})`, quote(m[1]!)));
      continue;
    }
    if (!raw.has(name)) raw.set(name, new Map());
    const given = raw.get(name)!;
    // a second value for one parameter is a typo or a leftover: neither should silently win
    if (given.has(m[2]!)) {
      errors.push(flagError('--param', `each parameter once (${name}.${m[2]} is already ${given.get(m[2]!)})`, p));
      continue;
    }
    given.set(m[2]!, m[3]!);
  }
  const specs: PolicySpec[] = [];
  let mach = false;
  const seen = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    // a policy named twice is one policy, as a size given twice is one size: the same rows twice
    // would only be noise in the table and duplicate keys in the JSON
    if (seen.has(lower)) continue;
    seen.add(lower);
    if (allowMach && lower === 'mach') {
      mach = true;
      continue;
    }
    const factory = findPolicy(lower);
    if (!factory) {
      errors.push(new InputError({ file: COMMAND_LINE, field: '--policies' }, `policy names among ${known.join(', ')}`, quote(name)));
      continue;
    }
    try {
      specs.push(policySpec(factory, factory.parseParams(raw.get(lower) ?? new Map(), { file: COMMAND_LINE, field: '--param' })));
    } catch (e) {
      if (e instanceof InputError) errors.push(e);
      else throw e;
    }
  }
  for (const name of raw.keys()) {
    if (!names.some((n) => n.toLowerCase() === name)) {
      errors.push(flagError('--param', `parameters of a policy named in --policies (${names.length === 0 ? 'none is' : names.join(', ')})`, name));
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrors(errors);
  return { specs, mach };
}

/**
 * `--csv offset=lba` is the column spec `inspect` and `convert` take, given where compare and mrc
 * take an output file: say so, rather than write a file named `offset=lba` and read the trace
 * with the default columns.
 */
export function refuseColumnsAsOutput(csv: string | undefined): void {
  if (csv !== undefined && /^\w+=/.test(csv) && !/\.csv$/i.test(csv)) {
    throw flagError('--csv', 'an output file name (the trace\'s CSV columns go in --csv-columns)', csv);
  }
}

/** cli-table3 borders without a rule between rows. */
export const COMPACT_TABLE = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Four decimals, or three significant digits below 0.001, where four decimals would tie policies (cc1: 0.0002 for all). */
export function formatRatio(r: number | null): string {
  if (r === null) return '—';
  return r !== 0 && r < 0.001 ? r.toPrecision(3) : r.toFixed(4);
}

export function formatCount(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

/**
 * The `note:` lines under a table: why a policy has no figure at some sizes (CLOCK-Pro below 5
 * frames, mach below its least memory), one line per policy and reason with the sizes listed.
 */
export function noteLines(items: readonly { policy: string; frames: number; note?: string | undefined }[]): string[] {
  const sizes = new Map<string, { policy: string; note: string; frames: number[] }>();
  for (const { policy, frames, note } of items) {
    if (note === undefined) continue;
    const key = `${policy}\u0000${note}`;
    let entry = sizes.get(key);
    if (entry === undefined) sizes.set(key, (entry = { policy, note, frames: [] }));
    entry.frames.push(frames);
  }
  return [...sizes.values()].map((e) => `note: ${e.policy} at ${e.frames.map(formatCount).join(', ')} frames: ${e.note}`);
}
