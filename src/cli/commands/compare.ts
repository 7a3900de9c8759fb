/**
 * `pageout compare TRACE`: replacement policies side by side on one trace (cache mode), with
 * Mach's daemon as the `mach` row. The flags it shares with `pageout mrc` are in ../cache-flags.ts.
 */
import type { Command } from 'commander';
import { action, collect, createProgressBar, checkOutputs, withExamples, writeCsv, writeJson, parseList } from '../common.js';
import {
  addCacheTraceOptions,
  checkWarmup,
  COMPACT_TABLE,
  describeWarmup,
  formatCount,
  formatRatio,
  loadDenseTrace,
  noteLines,
  parsePolicies,
  parseSizes,
  parseWarmup,
  refuseColumnsAsOutput,
  sizesNeedPageCount,
  sliceFlags,
  withTraceSource,
  type CacheTraceFlags,
} from '../cache-flags.js';
import { describeSlice } from '../trace-flags.js';
import type { CompareRow } from '../../cache/index.js';
import { addMachOptions, machRows, parseMachSettings, type MachFlags } from '../mach-flags.js';

interface CompareFlags extends CacheTraceFlags, MachFlags {
  frames?: string;
  memory?: string;
  policies?: string;
  param?: string[];
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
    .option('--json <file>', 'write the rows as a JSON array to FILE (- for stdout)')
    .option('--csv <file>', 'write the rows as CSV to FILE (- for stdout)')
    .option('--report <file.html>', 'write a self-contained HTML report: miss-ratio curves per policy and the table')
    .option('-q, --quiet', 'no progress bar and no table');
  addCacheTraceOptions(cmd);
  addMachOptions(cmd);
  withExamples(cmd, [
    'pageout compare ../shared/traces/lirs/multi2.trace.gz --frames 100,1000',
    'pageout compare sort.pgt.gz --memory 5%,10%,25%,50% --report curves.html',
    'pageout compare gcc.trace.gz --memory 10%,25% --policies opt,lru,clock,arc,mach',
    'pageout compare sprite.trace.gz --policies lru,2q --param 2q.kin=0.3 --json rows.json',
    'pageout compare sort.pgt.gz --frames 1000 --policies opt,lru,mach --mach-fix B2 --mach-set vm_pageout_burst_max=32',
    'pageout compare cc1.pgt.gz --max-refs 10000000 --warmup 1000000 --frames 300,1000 --policies opt,lru,lfu,random',
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
      const { comparePolicies, prefixOf } = await import('../../cache/index.js');
      warmupPages = warmup > 0 ? prefixOf(loaded, warmup).pageCount : 0;
      const bar = createProgressBar({ quiet, unit: 'runs' });
      const total = sizes.length * (specs.length + (mach ? (warmup > 0 ? 2 : 1) : 0));
      let done = 0;
      try {
        rows = comparePolicies(loaded, specs, sizes, () => bar.update(++done, total), warmup);
        if (mach) {
          rows.push(...(await machRows(loaded, sizes, machSettings, warmup, () => bar.update(++done, total))));
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
    let lastFrames = -1;
    for (const r of rows) {
      const first = r.frames !== lastFrames;
      lastFrames = r.frames;
      table.push([first ? formatCount(r.frames) : '', r.policy, formatRatio(r.missRatio), formatCount(r.misses), formatCount(r.writebacks)]);
    }
    process.stdout.write(
      `${path}${describeSlice(sliceFlags(flags), trace.requests)}: ${formatCount(trace.requests)} references, ${formatCount(trace.pageCount)} distinct pages` +
        `${warmup > 0 ? `; counted${describeWarmup(warmup)}` : ''}\n${table.toString()}\n` +
        `every row's misses include the ${formatCount(compulsoryMisses)} compulsory ones, each page's first reference${warmup > 0 ? ' after the warm-up' : ''}\n` +
        noteLines(rows).map((n) => `${n}\n`).join(''),
    );
  }));
}
