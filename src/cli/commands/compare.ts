/**
 * `pageout compare TRACE`: replacement policies side by side on one trace (cache mode), with
 * Mach's daemon as the `mach` row. Also home of the flag parsing `pageout mrc` shares.
 */
import type { Command } from 'commander';
import {
  action,
  collect,
  createProgressBar,
  flagError,
  parseList,
  checkOutputs,
  withExamples,
  writeCsv,
  writeJson,
  COMMAND_LINE,
} from '../common.js';
import { InputError, InputErrors, quote } from '../../errors.js';
import { parseCount, parseMemory, parsePercent } from '../../units.js';
import { addSliceOptions, describeSlice, openTraceWithFlags, type TraceReadFlags } from './inspect.js';
import type { CompareRow, DenseTrace, PolicySpec } from '../../cache/index.js';
import type { MachRowOptions } from '../../cache/mach-row.js';
import type { Scenario } from '../../kernel/index.js';
import type { LocateOverride, ScenarioOverrides } from '../../workload/overrides.js';
import type { TraceRefSource } from '../../workload/trace/index.js';

export interface CacheTraceFlags {
  format?: string;
  pageSize?: string;
  csvColumns?: string;
  skipRefs?: string;
  maxRefs?: string;
  warmup?: string;
  quiet?: boolean;
}

/** --format, --page-size, --csv-columns (here --csv names an output file, as elsewhere), --skip-refs and --max-refs. */
export function addCacheTraceOptions(cmd: Command): Command {
  return addSliceOptions(cmd
    .option('--format <format>', 'the input format, when the name and content do not tell (lackey, lirs, spec, csv, oracleGeneral, compact)')
    .option('--page-size <bytes>', 'bytes per page for byte-address traces; default 4096')
    .option('--csv-columns <columns>', 'columns of a CSV trace, as `pageout inspect --csv` takes them')
    .option('--warmup <n>', 'replay the first N references (of the slice) without counting them: they only fill the cache'));
}

/** --warmup N, checked before the trace is read; 0 without it. */
export function parseWarmup(flags: CacheTraceFlags): number {
  if (flags.warmup === undefined) return 0;
  const expected = 'a count of references from 1, such as 100000';
  const n = parseCount(flags.warmup, { file: COMMAND_LINE, field: '--warmup' }, expected);
  if (n < 1) throw flagError('--warmup', expected, flags.warmup);
  return n;
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
  const { buildDenseTrace } = await import('../../cache/index.js');
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
    const items = parseList(flags.frames);
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
    const items = parseList(raw);
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
  const { POLICIES, findPolicy, policySpec } = await import('../../cache/index.js');
  const known = [...POLICIES.map((p) => p.name), ...(allowMach ? ['mach'] : [])];
  const errors: InputError[] = [];
  const names = parseList(list ?? defaultList);
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
      errors.push(flagError('--param', `parameters of a policy named in --policies (${names.join(', ')})`, name));
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

interface CompareFlags extends CacheTraceFlags {
  frames?: string;
  memory?: string;
  policies?: string;
  param?: string[];
  machPreset?: string;
  machFix?: string;
  machSet?: string[];
  json?: string;
  csv?: string;
  report?: string;
}

const COLUMNS = ['policy', 'frames', 'requests', 'misses', 'missRatio', 'writebacks', 'compulsoryMisses', 'note'] as const;

/** One miss-ratio curve per policy from compare rows (sizes where a policy had no result are left out). */
export function curvesOf(rows: readonly CompareRow[]): { policy: string; sizes: number[]; missRatios: number[] }[] {
  const byPolicy = new Map<string, { policy: string; sizes: number[]; missRatios: number[] }>();
  for (const r of [...rows].sort((a, b) => a.frames - b.frames)) {
    if (r.missRatio === null) continue;
    let c = byPolicy.get(r.policy);
    if (c === undefined) byPolicy.set(r.policy, (c = { policy: r.policy, sizes: [], missRatios: [] }));
    c.sizes.push(r.frames);
    c.missRatios.push(r.missRatio);
  }
  return [...byPolicy.values()];
}

/**
 * --mach-preset, --mach-fix and --mach-set: the overrides `pageout run` takes, applied to the mach
 * row's scenario. Sizes in bytes count the trace's pages, as --memory does (the row's frames are
 * the trace's pages), so values are checked in full once the trace is open (`rowOptions`, before
 * any row runs); names, the preset and the defects are checked before it is read. A configured row
 * is labelled with what changed, as a policy with parameters is.
 */
async function parseMachSettings(flags: CompareFlags, mach: boolean): Promise<{ rowOptions(pageSize: number): MachRowOptions }> {
  const { applyOverrides, parseSetFlags } = await import('../../workload/overrides.js');
  const overrides: ScenarioOverrides = {};
  if (flags.machPreset !== undefined) overrides.preset = flags.machPreset;
  if (flags.machFix !== undefined) overrides.fixes = flags.machFix;
  if (flags.machSet !== undefined) overrides.set = parseSetFlags(flags.machSet, '--mach-set');
  if (Object.keys(overrides).length === 0) return { rowOptions: () => ({}) };
  if (!mach) {
    const named = flags.machPreset !== undefined ? '--mach-preset' : flags.machFix !== undefined ? '--mach-fix' : '--mach-set';
    throw flagError(named, 'mach among --policies (the flag configures its row)', flags.policies ?? '');
  }
  const { machScenario } = await import('../../cache/mach-row.js');
  const { denseTraceOf } = await import('../../cache/index.js');
  const locate: LocateOverride = (key, setName) => {
    const flag = key === 'preset' ? '--mach-preset' : key === 'fixes' ? '--mach-fix' : '--mach-set';
    return { file: COMMAND_LINE, field: setName === undefined ? flag : `${flag} ${setName}` };
  };
  const configure = (pageSize: number, only: ScenarioOverrides = overrides) => (scenario: Scenario): Scenario => {
    const configured = applyOverrides({ ...scenario, machine: { ...scenario.machine, pageSize } }, only, locate);
    return { ...configured, machine: { ...configured.machine, pageSize: scenario.machine.pageSize } };
  };
  const probe = machScenario(denseTraceOf([0]), 1000);
  // before the trace is read: the preset, the defects and the names (each value with a 1, which
  // every tunable and option takes, so only a name can fail)
  const names = Object.fromEntries(Object.keys(overrides.set ?? {}).map((name) => [name, name === 'checks' ? 'normal' : '1']));
  configure(4096, { ...overrides, set: names })(probe);
  const changed = [
    ...(flags.machPreset !== undefined ? [flags.machPreset] : []),
    ...(flags.machFix !== undefined ? [`fix=${flags.machFix.replace(/\s+/g, '')}`] : []),
    ...Object.entries(overrides.set ?? {}).map(([name, value]) => `${name}=${value}`),
  ];
  const label = `mach(${changed.join(',')})`;
  return {
    rowOptions: (pageSize) => {
      configure(pageSize)(probe); // every value, in the trace's pages, before any row runs
      return { configure: configure(pageSize), label };
    },
  };
}

/** The row without its note, so a field added after it keeps `note` last (JSON readers see it as CSV's last column). */
function withoutNote(row: CompareRow): Omit<CompareRow, 'note'> {
  const { note: _note, ...rest } = row;
  return rest;
}

export function register(program: Command): void {
  const cmd = program
    .command('compare')
    .argument('<trace>', 'a trace file (LIRS, SPEC, lackey, CSV, oracleGeneral, compact; .gz and .zst read as they are)')
    .description('Replacement policies side by side on one trace: miss ratio, misses and write-backs per policy and memory size, Mach\'s daemon included')
    .option('-f, --frames <list>', 'memory sizes in frames: 100,1000')
    .option('-m, --memory <list>', 'memory sizes as shares of the distinct pages (10%,25%) or sizes (64MiB); default 1%,10%,25%')
    .option('-p, --policies <list>', 'policies to run (default: all, and mach); `pageout policies` lists them')
    .option('--param <policy.key=value>', 'set a policy parameter (2q.kin=0.3); repeatable', collect)
    .option('--mach-preset <name>', 'the mach row\'s kernel version, as run --preset: cmu-1987, gnumach-1999 (the seed, default), gnumach-2014')
    .option('--mach-fix <defects>', 'fix seed defects in the mach row, as run --fix: B1,B2,B3, all or none (default: faithful)')
    .option('--mach-set <name=value>', 'set a tunable of the mach row, as run --set (vm_pageout_burst_max=32); repeatable', collect)
    .option('--json <file>', 'write the rows as a JSON array to FILE (- for stdout)')
    .option('--csv <file>', 'write the rows as CSV to FILE (- for stdout)')
    .option('--report <file.html>', 'write a self-contained HTML report: miss-ratio curves per policy and the table')
    .option('-q, --quiet', 'no progress bar and no table');
  addCacheTraceOptions(cmd);
  withExamples(cmd, [
    'pageout compare ../shared/traces/lirs/multi2.trace.gz --frames 100,1000',
    'pageout compare sort.pgt.gz --memory 5%,10%,25%,50% --report curves.html',
    'pageout compare gcc.trace.gz --memory 10%,25% --policies opt,lru,clock,arc,mach',
    'pageout compare sprite.trace.gz --policies lru,2q --param 2q.kin=0.3 --json rows.json',
    'pageout compare sort.pgt.gz --frames 1000 --policies opt,lru,mach --mach-fix B2 --mach-set vm_pageout_burst_max=32',
  ]);
  cmd.action(action(async (path: string, flags: CompareFlags) => {
    const { POLICIES } = await import('../../cache/index.js');
    const { specs, mach } = await parsePolicies(flags.policies, flags.param, true, [...POLICIES.map((p) => p.name), 'mach'].join(','));
    refuseColumnsAsOutput(flags.csv);
    const machSettings = await parseMachSettings(flags, mach);
    const warmup = parseWarmup(flags);
    const quiet = checkOutputs(flags, [path]) || flags.quiet === true;
    const fallbackSizes = '1%,10%,25%';
    // every size's spelling checked before the trace is read, at 1-byte pages (always whole): a
    // memory size counts the trace's own pages, known once it is open, so it is counted again then
    const sizesGiven = sizesNeedPageCount(flags, fallbackSizes) ? null : parseSizes(flags, 0, 1, fallbackSizes);
    // one policy at one size needs one pass and nothing of the trace kept: read and replay at once
    const oneRun = specs.length === 1 && !mach && !specs[0]!.factory.needsNextUse && sizesGiven !== null &&
      parseList(flags.frames ?? flags.memory ?? fallbackSizes).length === 1;
    let trace: { requests: number; pageCount: number };
    let rows: (CompareRow & { outcome?: string; compulsoryMisses?: number })[];
    /** distinct pages first referenced during the warm-up (their first misses are not counted) */
    let warmupPages = 0;
    if (oneRun) {
      const { streamPolicy } = await import('../../cache/index.js');
      const streamed = await withTraceSource(path, flags, quiet, (source, onProgress) =>
        streamPolicy(source, specs[0]!, parseSizes(flags, 0, source.pageSize, fallbackSizes)[0]!, { onProgress, warmup }));
      trace = streamed.trace;
      checkWarmup(flags, warmup, trace.requests);
      rows = [streamed.row];
      warmupPages = streamed.trace.warmupPages ?? 0;
    } else {
      const loaded = await loadDenseTrace(path, flags, quiet);
      trace = loaded;
      checkWarmup(flags, warmup, loaded.requests);
      const sizes = parseSizes(flags, loaded.pageCount, loaded.pageSize, fallbackSizes);
      const { comparePolicies, prefixOf, afterWarmup } = await import('../../cache/index.js');
      // the kernel is causal: after a warm-up, its counts are the whole run's less the warm-up's own
      const prefix = warmup > 0 ? prefixOf(loaded, warmup) : null;
      warmupPages = prefix?.pageCount ?? 0;
      const bar = createProgressBar({ quiet, unit: 'runs' });
      const total = sizes.length * (specs.length + (mach ? (prefix !== null ? 2 : 1) : 0));
      let done = 0;
      try {
        rows = comparePolicies(loaded, specs, sizes, () => bar.update(++done, total), warmup);
        if (mach) {
          const { machRow } = await import('../../cache/mach-row.js');
          const options = machSettings.rowOptions(loaded.pageSize);
          for (const frames of sizes) {
            const whole = machRow(loaded, frames, options);
            bar.update(++done, total);
            if (prefix !== null) {
              rows.push(afterWarmup(whole, machRow(prefix, frames, options), warmup));
              bar.update(++done, total);
            } else rows.push(whole);
          }
          rows.sort((a, b) => a.frames - b.frames);
        }
      } finally {
        bar.stop();
      }
    }
    // every page's first reference misses under every policy, mach included: the floor of each
    // row's misses, which OPT meets once the cache holds every page (after a warm-up, the pages
    // first referenced after it)
    const compulsoryMisses = trace.pageCount - warmupPages;
    rows = rows.map((r) => ({ ...withoutNote(r), compulsoryMisses, ...(r.note !== undefined ? { note: r.note } : {}) }));
    if (flags.json !== undefined) writeJson(flags.json, rows);
    if (flags.csv !== undefined) writeCsv(flags.csv, rows as unknown as Record<string, unknown>[], COLUMNS);
    if (flags.report !== undefined) {
      const { writeHtmlReport, curvesReportData } = await import('../../report/html.js');
      writeHtmlReport(flags.report, curvesReportData({
        kind: 'compare',
        title: `pageout compare ${path}`,
        subtitle: `${formatCount(trace.requests)} references${describeSlice(sliceFlags(flags), trace.requests)}, ${formatCount(trace.pageCount)} distinct pages${describeWarmup(warmup)}`,
        sizeUnit: 'frames',
        curves: curvesOf(rows),
        table: { columns: [...COLUMNS], rows: rows.map((r) => COLUMNS.map((c) => (r as unknown as Record<string, string | number | null | undefined>)[c] ?? null)) },
      }));
    }
    if (quiet) return;
    const { default: Table } = await import('cli-table3');
    const table = new Table({
      head: ['frames', 'policy', 'miss ratio', 'misses', 'write-backs'],
      colAligns: ['right', 'left', 'right', 'right', 'right'],
      style: { head: [], border: [] },
      chars: COMPACT_TABLE,
    });
    const notes: string[] = [];
    let lastFrames = -1;
    for (const r of rows) {
      const first = r.frames !== lastFrames;
      lastFrames = r.frames;
      if (r.note !== undefined) notes.push(`${r.policy} at ${formatCount(r.frames)} frames: ${r.note}`);
      table.push([first ? formatCount(r.frames) : '', r.policy, formatRatio(r.missRatio), formatCount(r.misses), formatCount(r.writebacks)]);
    }
    process.stdout.write(
      `${path}${describeSlice(sliceFlags(flags), trace.requests)}: ${formatCount(trace.requests)} references, ${formatCount(trace.pageCount)} distinct pages` +
        `${warmup > 0 ? `; counted${describeWarmup(warmup)}` : ''}\n${table.toString()}\n` +
        `every row's misses include the ${formatCount(compulsoryMisses)} compulsory ones, each page's first reference${warmup > 0 ? ' after the warm-up' : ''}\n` +
        notes.map((n) => `note: ${n}\n`).join(''),
    );
  }));
}
