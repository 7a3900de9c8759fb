/** `pageout inspect TRACE`: what a trace holds (references, footprint, mix, footprint curve, Denning's working set). */
import type { Command } from 'commander';
import { action, checkOutputs, COMMAND_LINE, createProgressBar, flagError, withExamples, writeJson } from '../common.js';
import { InputError } from '../../errors.js';
import { parseCount, parseMemory } from '../../units.js';
import type { RefBatch, RefSource } from '../../kernel/ref-source.js';
import { formatRatio } from './compare.js';

export interface TraceReadFlags {
  format?: string;
  pageSize?: string;
  csv?: string;
  skipRefs?: string;
  maxRefs?: string;
}

/** --format, --page-size and --csv, shared with `convert`. */
export function addTraceReadOptions(cmd: Command): Command {
  return addSliceOptions(cmd
    .option('--format <format>', 'the input format, when the name and content do not tell (lackey, lirs, spec, csv, oracleGeneral, compact)')
    .option('--page-size <bytes>', 'bytes per page for byte-address traces (lackey, spec, csv in bytes); default 4096')
    .option('--csv <columns>', 'CSV columns, e.g. offset=lbn,length=size,op=op,unit=id (unit: bytes, id or bytes per unit; also time=, header=yes|no, read=/write=/instr= op values separated by /)'));
}

/** --skip-refs and --max-refs: a slice of the trace, in references (repeats counted). */
export function addSliceOptions(cmd: Command): Command {
  return cmd
    .option('--skip-refs <n>', 'leave out the trace\'s first N references')
    .option('--max-refs <n>', 'read at most N references (after any skipped), and stop reading there');
}

/** The slice the flags ask for, checked. */
function parseSlice(flags: TraceReadFlags): { skipRefs?: number; maxRefs?: number } {
  const slice: { skipRefs?: number; maxRefs?: number } = {};
  if (flags.skipRefs !== undefined) {
    slice.skipRefs = parseCount(flags.skipRefs, { file: COMMAND_LINE, field: '--skip-refs' }, 'a count of references from 0, such as 1000000');
  }
  if (flags.maxRefs !== undefined) {
    const expected = 'a count of references from 1, such as 1000000';
    const n = parseCount(flags.maxRefs, { file: COMMAND_LINE, field: '--max-refs' }, expected);
    if (n < 1) throw flagError('--max-refs', expected, flags.maxRefs);
    slice.maxRefs = n;
  }
  return slice;
}

/** The slice as JSON reports give it (`slice: {skipRefs, maxRefs}`, the flags given), or nothing. */
export function sliceJson(flags: TraceReadFlags): { slice?: { skipRefs?: number; maxRefs?: number } } {
  return flags.skipRefs === undefined && flags.maxRefs === undefined ? {} : { slice: parseSlice(flags) };
}

/**
 * The words for a slice after the trace's name (" (references 1,000,001 to 2,000,000)"), or '' for
 * the whole trace; `references` is how many the slice held (sliceWords without it: what was asked).
 */
export function describeSlice(flags: TraceReadFlags, references?: number): string {
  const words = sliceWords(flags, references);
  return words === '' ? '' : ` (${words})`;
}

/**
 * "references 1,001 to 2,000", or '' for the whole trace. Before the count is known (a header
 * written first), what was asked: "at most 1,000 references from reference 1,001".
 */
export function sliceWords(flags: TraceReadFlags, references?: number): string {
  if (flags.skipRefs === undefined && flags.maxRefs === undefined) return '';
  const { skipRefs = 0, maxRefs } = parseSlice(flags);
  const first = (skipRefs + 1).toLocaleString('en-US');
  if (references !== undefined) return `references ${first} to ${(skipRefs + references).toLocaleString('en-US')}`;
  const from = skipRefs > 0 ? ` from reference ${first}` : '';
  return maxRefs === undefined ? `the references${from} on` : `at most ${maxRefs.toLocaleString('en-US')} references${from}`;
}

/**
 * Trace options from the shared flags (modules load lazily so --help stays instant). `csvFlag` is
 * the name the command gives the CSV column flag (compare and mrc call it --csv-columns, their
 * --csv being an output), for the messages that suggest it.
 */
async function traceReadOptions(flags: TraceReadFlags, csvFlag = '--csv') {
  const { parseTraceFormat, parseCsvColumnsSpec } = await import('../../workload/trace/browser.js');
  const options: import('../../workload/trace/browser.js').TraceOptions = {};
  if (flags.format !== undefined) options.format = parseTraceFormat(flags.format, '--format');
  if (flags.pageSize !== undefined) options.pageSize = parsePageSizeFlag(flags.pageSize);
  if (flags.csv !== undefined) options.csv = parseCsvColumnsSpec(flags.csv, csvFlag);
  else if (csvFlag !== '--csv') options.csv = { flag: csvFlag };
  return { ...options, ...parseSlice(flags) };
}

/**
 * Open a trace as the shared flags say. A compact trace carries its own page size: a --page-size
 * naming another is refused, where it used to be ignored and every count came out in the trace's
 * pages (64 B, say) while the user read them as 4 KiB ones.
 */
export async function openTraceWithFlags(path: string, flags: TraceReadFlags, csvFlag = '--csv') {
  const options = await traceReadOptions(flags, csvFlag);
  const { openTrace } = await import('../../workload/trace/index.js');
  const source = openTrace(path, options);
  if (options.pageSize !== undefined && source.format === 'compact' && source.pageSize !== options.pageSize) {
    source.close();
    throw flagError('--page-size', `the page size ${path} carries (${source.pageSize} bytes), or none: a compact trace keeps its own`, flags.pageSize);
  }
  return source;
}

/**
 * Hardware pages and cache lines are powers of two; anything else (4069, 1000) is far more likely
 * a typo than a wish, and would divide every address by it without a word. 1 byte to 1 GiB covers
 * a byte-granular cache, 64-byte cache lines and the largest huge pages.
 */
const PAGE_SIZE_EXPECTED = 'a power of two from 1 byte to 1GiB, such as 4096, 16KiB or 64 (a cache line)';

function parsePageSizeFlag(raw: string): number {
  // a page size in pages means nothing (parseMemory would read `4096p` as 4096 one-byte pages)
  if (/\d\s*p(ages)?\s*$/i.test(raw)) throw flagError('--page-size', PAGE_SIZE_EXPECTED, raw);
  let bytes: number;
  try {
    bytes = parseMemory(raw, 1, { file: 'command line', field: '--page-size' });
  } catch (e) {
    if (e instanceof InputError) throw flagError('--page-size', PAGE_SIZE_EXPECTED, raw);
    throw e;
  }
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 2 ** 30 || (bytes & (bytes - 1)) !== 0) throw flagError('--page-size', PAGE_SIZE_EXPECTED, raw);
  return bytes;
}

export function register(program: Command): void {
  const cmd = program
    .command('inspect')
    .argument('<trace>', 'a trace file (lackey, LIRS, SPEC, CSV, oracleGeneral, compact; .gz and .zst read as they are)')
    .description('Count a trace\'s references, distinct pages, write and instruction fractions, its footprint curve and Denning\'s working set by window')
    .option('--json <file>', 'also write the figures as JSON to FILE (- for stdout, instead of the text)')
    .option('-q, --quiet', 'no progress bar and no text summary');
  addTraceReadOptions(cmd);
  withExamples(cmd, [
    'pageout inspect ../shared/traces/lirs/loop.trace.gz',
    'pageout inspect sort.pgt --json sort.json',
    'pageout inspect --page-size 16KiB gcc.trace.gz',
    'pageout inspect blocks.csv --csv offset=lba,length=bytes,op=rw,unit=512',
  ]);
  cmd.action(action(async (path: string, flags: TraceReadFlags & { json?: string; quiet?: boolean }) => {
    checkOutputs({ json: flags.json }, [path]);
    const { inspectTrace } = await import('../../workload/trace/index.js');
    const { WindowedWorkingSet } = await import('../../cache/index.js');
    const source = await openTraceWithFlags(path, flags);
    const bar = createProgressBar({ quiet: flags.quiet || flags.json === '-', unit: 'references' });
    const windows = new WindowedWorkingSet();
    let result;
    try {
      // Denning's working set in the same pass: each batch is seen as it goes by
      const observed: RefSource = {
        description: source.description,
        close: () => source.close(),
        read(batch: RefBatch): number {
          const n = source.read(batch);
          windows.addBatch(batch.page, batch.count, n);
          return n;
        },
      };
      result = inspectTrace(observed, (refs) => bar.update(refs, source.totalRefs ?? NaN));
    } finally {
      bar.stop();
      source.close();
    }
    const header = source.compactHeader;
    const windowPoints = windows.points();
    const report = {
      file: path,
      format: source.format,
      pageSize: source.pageSize,
      ...sliceJson(flags),
      ...(header !== undefined ? { description: header.description, command: header.command } : {}),
      records: result.records,
      references: result.references,
      distinctPages: result.distinctPages,
      distinctWrittenPages: result.distinctWrittenPages,
      distinctInstructionPages: result.distinctInstructionPages,
      footprintBytes: result.distinctPages * source.pageSize,
      writeFraction: result.writeFraction,
      instructionFraction: result.instructionFraction,
      workingSet: result.workingSet,
      windowedWorkingSet: windowPoints,
    };
    if (flags.json !== undefined) writeJson(flags.json, report);
    if (flags.quiet || flags.json === '-') return;
    const { default: Table } = await import('cli-table3');
    const out: string[] = [];
    out.push(`${path}${describeSlice(flags, result.references)}: ${source.format} trace, ${source.pageSize}-byte pages`);
    if (header !== undefined) {
      out.push(`  ${header.description}`);
      if (header.command.length > 0) out.push(`  command: ${header.command.join(' ')}`);
    }
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
    out.push(`  references            ${result.references.toLocaleString('en-US')} in ${result.records.toLocaleString('en-US')} records`);
    out.push(`  distinct pages        ${result.distinctPages.toLocaleString('en-US')} (${formatBytes(result.distinctPages * source.pageSize)})`);
    out.push(`  written pages         ${result.distinctWrittenPages.toLocaleString('en-US')}`);
    out.push(`  instruction pages     ${result.distinctInstructionPages.toLocaleString('en-US')}`);
    out.push(`  write fraction        ${pct(result.writeFraction)}`);
    out.push(`  instruction fraction  ${pct(result.instructionFraction)}`);
    out.push('  footprint (distinct pages after so many references; JSON workingSet):');
    const table = new Table({ head: ['references', 'distinct pages', ''], style: { head: [], border: [], compact: true }, colAligns: ['right', 'right', 'left'] });
    const widest = Math.max(1, result.distinctPages);
    for (const p of result.workingSet) {
      table.push([p.references.toLocaleString('en-US'), p.distinctPages.toLocaleString('en-US'), '#'.repeat(Math.round((30 * p.distinctPages) / widest))]);
    }
    out.push(table.toString().split('\n').map((l) => `  ${l}`).join('\n'));
    out.push('  Denning\'s working set W(t, τ) (the pages of the last τ references): its mean size, and the');
    out.push('  share of references whose page was not among the τ before (the working-set policy\'s misses):');
    const ws = new Table({ head: ['window τ', 'mean pages', 'miss ratio'], style: { head: [], border: [], compact: true }, colAligns: ['right', 'right', 'right'] });
    for (const p of windowPoints) ws.push([p.window.toLocaleString('en-US'), p.meanPages.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }), formatRatio(p.missRatio)]);
    out.push(ws.toString().split('\n').map((l) => `  ${l}`).join('\n'));
    process.stdout.write(out.join('\n') + '\n');
  }));
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
