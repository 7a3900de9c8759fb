/**
 * `pageout mrc TRACE`: miss-ratio curves. The exact LRU curve in one pass (stack distances), or
 * SHARDS-sampled with --sample (its error against the exact curve with --check), and per-policy
 * curves over a size list.
 */
import type { Command } from 'commander';
import { action, collect, flagError, checkOutputs, withExamples, writeCsv, writeJson } from '../common.js';
import { addCacheTraceOptions, COMPACT_TABLE, refuseColumnsAsOutput, formatCount, formatRatio, loadDenseTrace, noteLines, parsePolicies, parseSizes, sliceFlags, withTraceSource, checkWarmup, describeWarmup, parseWarmup, warmupFlags, type CacheTraceFlags } from '../cache-flags.js';
import { describeSlice, sliceJson } from '../trace-flags.js';
import { addMachOptions, machRows, parseMachSettings, type MachFlags } from '../mach-flags.js';
import type { DenseTrace, LruCurve, SampledCurve } from '../../cache/index.js';

interface MrcFlags extends CacheTraceFlags, MachFlags {
  frames?: string;
  memory?: string;
  policies?: string;
  param?: string[];
  sample?: string;
  check?: boolean;
  adjust?: boolean;
  json?: string;
  csv?: string;
  report?: string;
}

interface CurvePoint {
  frames: number;
  misses: number | null;
  missRatio: number | null;
  /** why the counts are null (the policy cannot run at this size), as in compare's rows */
  note?: string;
}

interface Curve {
  policy: string;
  method: 'stack-distance' | 'shards' | 'simulation';
  points: CurvePoint[];
}

/** The JSON's `sampling`: what SHARDS kept, and with --check its error against the exact curve. */
interface Sampling {
  rate: number;
  adjusted: boolean;
  sampledPages: number;
  sampledRequests: number;
  error?: { meanAbsolute: number; maxAbsolute: number; over: string };
}

/** Below this many sampled pages the summary warns that the sampled curve is coarse. */
const FEW_SAMPLED_PAGES = 1000;

/** The summary's lines about sampling: what was kept, the error (measured, or how to measure it). */
function samplingLines(s: Sampling): string[] {
  const method = s.adjusted ? 'SHARDS_adj (--adjust)' : 'SHARDS';
  let line = `${method} at rate ${s.rate}: ${formatCount(s.sampledPages)} ${s.sampledPages === 1 ? 'page' : 'pages'} and ${formatCount(s.sampledRequests)} references sampled`;
  line += s.error
    ? `; error against the exact curve: mean |Δ| ${s.error.meanAbsolute.toFixed(4)}, max |Δ| ${s.error.maxAbsolute.toFixed(4)}`
    : '; add --check to measure its error against the exact curve (README: typical errors on the shared traces)';
  const lines = [line];
  if (s.sampledPages < FEW_SAMPLED_PAGES) {
    // with --check the error was measured: say it, not a guess
    const expect = s.error ? `here mean |Δ| ${s.error.meanAbsolute.toFixed(4)}, as measured above` : 'expect several percent';
    lines.push(`warning: only ${formatCount(s.sampledPages)} ${s.sampledPages === 1 ? 'page' : 'pages'} sampled; SHARDS's error grows as the sampled pages shrink (${expect})`);
  }
  return lines;
}

/** A curve's name in the table and the report: the policy, or which LRU curve it is. */
function curveLabel(c: Curve): string {
  return c.method === 'simulation' ? c.policy : `lru (${c.method === 'shards' ? 'SHARDS' : 'exact'})`;
}

function parseRate(raw: string): number {
  const v = /^\s*\d*\.?\d+(e-?\d+)?\s*%?\s*$/.test(raw) ? Number(raw.replace('%', '')) / (raw.includes('%') ? 100 : 1) : NaN;
  if (!(v > 0 && v <= 1)) throw flagError('--sample', 'a sampling rate above 0 and at most 1 (0.01 or 1%)', raw);
  return v;
}

export function register(program: Command): void {
  const cmd = program
    .command('mrc')
    .argument('<trace>', 'a trace file (LIRS, SPEC, lackey, CSV, oracleGeneral, compact; .gz and .zst read as they are)')
    .description('Miss-ratio curves: the exact LRU curve in one pass, SHARDS sampling, and per-policy curves over a size list')
    .option('-f, --frames <list>', 'sizes in frames (default: 24 sizes from 1 frame to every distinct page, log-spaced)')
    .option('-m, --memory <list>', 'sizes as shares of the distinct pages (10%,25%) or sizes (64MiB)')
    .option('-p, --policies <list>', 'also simulate these policies at every size (lru,arc,…, and mach; default none)')
    .option('--param <policy.key=value>', 'set a policy parameter; repeatable', collect)
    .option('--sample <rate>', 'SHARDS spatial sampling of the LRU curve at this rate (0.01 or 1%)')
    .option('--check', 'with --sample, also compute the exact curve and state the sampling error')
    .option('--adjust', 'with --sample, SHARDS_adj: divide by the references the sample should hold, not those it holds')
    .option('--json <file>', 'write the curves as JSON to FILE (- for stdout)')
    .option('--csv <file>', 'write one row per curve point as CSV to FILE (- for stdout)')
    .option('--report <file.html>', 'write a self-contained HTML report with the curves')
    .option('-q, --quiet', 'no progress bar and no table');
  addCacheTraceOptions(cmd);
  addMachOptions(cmd);
  withExamples(cmd, [
    'pageout mrc ../shared/traces/lirs/sprite.trace.gz',
    'pageout mrc gcc.trace.gz --frames 100,1000,10000 --policies lru,clock,arc',
    'pageout mrc big.oracleGeneral.bin --sample 0.01 --check --json curve.json',
    'pageout mrc sort.pgt.gz --policies lru,clock,arc,lirs --report mrc.html',
  ]);
  cmd.action(action(async (path: string, flags: MrcFlags) => {
    const rate = flags.sample !== undefined ? parseRate(flags.sample) : null;
    if (flags.check && rate === null) throw flagError('--check', '--sample RATE alongside it', '--check alone');
    if (flags.adjust && rate === null) throw flagError('--adjust', '--sample RATE alongside it', '--adjust alone');
    const { specs, mach } = await parsePolicies(flags.policies ?? '', flags.param, true, '');
    refuseColumnsAsOutput(flags.csv);
    const machSettings = await parseMachSettings(flags, mach);
    const warmup = parseWarmup(flags);
    const quiet = checkOutputs(flags, [path]) || flags.quiet === true;
    const { lruCurve, shardsCurve, streamCurves, curveError, defaultSizes, comparePolicies, curveAfterWarmup, prefixOf } = await import('../../cache/index.js');
    const sizesGiven = flags.frames !== undefined || flags.memory !== undefined;
    // bad sizes are reported before the trace is read; memory sizes count the trace's own pages,
    // known once it is open, so they are counted again then
    if (sizesGiven) parseSizes(flags, 0, 1, ''); // the spelling only: 1-byte pages are always whole
    const sizesFor = (pageCount: number, pageSize: number) => (sizesGiven ? parseSizes(flags, pageCount, pageSize, '') : defaultSizes(pageCount));
    const curves: Curve[] = [];
    let sampling: Sampling | undefined;
    let trace: { requests: number; pageCount: number };
    let sizes: number[];
    let exact: LruCurve | null;
    let sampled: SampledCurve | null;
    let loaded: (DenseTrace & { pageSize: number }) | null = null;
    if (specs.length === 0 && !mach && !flags.check) {
      // the LRU curve alone, exact or sampled: one pass, nothing of the trace kept
      const want = rate === null ? { exact: true } : { exact: false, sampleRate: rate, adjust: flags.adjust === true };
      let pageSize = 0;
      const streamed = await withTraceSource(path, flags, quiet, (source, onProgress) => {
        const curves = streamCurves(source, want, { onProgress });
        pageSize = source.pageSize;
        return curves;
      });
      ({ exact, sampled, trace } = streamed);
      sizes = sizesFor(trace.pageCount, pageSize);
      checkWarmup(flags, warmup, trace.requests);
      if (warmup > 0) {
        // the curves are causal: after the warm-up, the whole trace's less the warm-up's own
        const before = await withTraceSource(path, warmupFlags(flags, warmup), true, (source) => streamCurves(source, want));
        if (exact !== null) exact = curveAfterWarmup(exact, before.exact!, warmup, trace.requests);
        if (sampled !== null) sampled = curveAfterWarmup(sampled, before.sampled!, warmup, trace.requests);
      }
    } else {
      loaded = await loadDenseTrace(path, flags, quiet);
      trace = loaded;
      checkWarmup(flags, warmup, loaded.requests);
      sizes = sizesFor(loaded.pageCount, loaded.pageSize);
      sampled = rate === null ? null : shardsCurve(loaded, rate, flags.adjust === true);
      exact = rate === null || flags.check ? lruCurve(loaded) : null;
      if (warmup > 0) {
        const before = prefixOf(loaded, warmup);
        if (sampled !== null) sampled = curveAfterWarmup(sampled, shardsCurve(before, rate!, flags.adjust === true), warmup, loaded.requests);
        if (exact !== null) exact = curveAfterWarmup(exact, lruCurve(before), warmup, loaded.requests);
      }
    }
    // no page sampled: the curve would read 0 at every size, a perfect cache that is not there
    if (sampled !== null && sampled.sampledPages === 0 && trace.pageCount > 0) {
      throw flagError('--sample', `a rate that samples at least one page of this trace's ${formatCount(trace.pageCount)} distinct pages`, flags.sample);
    }
    const pointsOf = (curve: LruCurve, round: boolean) =>
      sizes.map((c) => ({ frames: c, misses: round ? Math.round(curve.missesAt(c)) : curve.missesAt(c), missRatio: curve.missRatioAt(c) }));
    if (sampled === null) {
      curves.push({ policy: 'lru', method: 'stack-distance', points: pointsOf(exact!, false) });
    } else {
      curves.push({ policy: 'lru', method: 'shards', points: pointsOf(sampled, true) });
      // no wall-clock time here: the same trace and flags give a byte-identical file
      sampling = { rate: sampled.rate, adjusted: flags.adjust === true, sampledPages: sampled.sampledPages, sampledRequests: sampled.requests };
      if (flags.check) {
        const err = curveError(exact!, sampled, sizes);
        sampling.error = { meanAbsolute: err.mean, maxAbsolute: err.max, over: `${sizes.length} sizes` };
        curves.push({ policy: 'lru', method: 'stack-distance', points: pointsOf(exact!, false) });
      }
    }
    const rows = loaded === null ? [] : comparePolicies(loaded, specs, sizes, undefined, warmup);
    if (mach && loaded !== null) rows.push(...(await machRows(loaded, sizes, machSettings, warmup)));
    // one curve per row label, in the order the rows first name them: the policies, then mach
    for (const label of new Set(rows.map((r) => r.policy))) {
      curves.push({
        policy: label,
        method: 'simulation',
        points: rows
          .filter((r) => r.policy === label)
          .map((r) => ({ frames: r.frames, misses: r.misses, missRatio: r.missRatio, ...(r.note !== undefined ? { note: r.note } : {}) })),
      });
    }
    const slice = describeSlice(sliceFlags(flags), trace.requests);
    const report = { trace: path, ...sliceJson(sliceFlags(flags)), ...(warmup > 0 ? { warmup } : {}), requests: trace.requests - warmup, distinctPages: trace.pageCount, sizes, curves, ...(sampling ? { sampling } : {}) };
    if (flags.json !== undefined) writeJson(flags.json, report);
    if (flags.csv !== undefined) {
      const csvRows = curves.flatMap((c) => c.points.map((p) => ({ policy: c.policy, method: c.method, frames: p.frames, misses: p.misses, missRatio: p.missRatio, note: p.note })));
      writeCsv(flags.csv, csvRows, ['policy', 'method', 'frames', 'misses', 'missRatio', 'note']);
    }
    if (flags.report !== undefined) {
      const { writeHtmlReport, curvesReportData } = await import('../../report/html.js');
      writeHtmlReport(flags.report, curvesReportData({
        kind: 'mrc',
        title: `pageout mrc ${path}`,
        subtitle: `${trace.requests.toLocaleString('en-US')} references${slice}, ${trace.pageCount.toLocaleString('en-US')} distinct pages${describeWarmup(warmup)}`,
        sizeUnit: 'frames',
        curves: curves.map((c) => {
          const points = c.points.filter((p) => p.missRatio !== null);
          return { policy: curveLabel(c), sizes: points.map((p) => p.frames), missRatios: points.map((p) => p.missRatio!) };
        }),
      }));
    }
    if (quiet) return;
    const { default: Table } = await import('cli-table3');
    const head = ['frames', ...curves.map(curveLabel)];
    const table = new Table({ head, colAligns: head.map(() => 'right' as const), style: { head: [], border: [] }, chars: COMPACT_TABLE });
    sizes.forEach((c, i) => table.push([c.toLocaleString('en-US'), ...curves.map((k) => formatRatio(k.points[i]!.missRatio))]));
    const out = [`${path}${slice}: ${trace.requests.toLocaleString('en-US')} references, ${trace.pageCount.toLocaleString('en-US')} distinct pages; miss ratio by frames${warmup > 0 ? `, counted${describeWarmup(warmup)}` : ''}`, table.toString()];
    // as compare prints them: why a policy has no figure at a size (CLOCK-Pro below 5 frames)
    out.push(...noteLines(curves.flatMap((c) => c.points.map((p) => ({ policy: c.policy, frames: p.frames, note: p.note })))));
    if (sampling) out.push(...samplingLines(sampling));
    process.stdout.write(out.join('\n') + '\n');
  }));
}
