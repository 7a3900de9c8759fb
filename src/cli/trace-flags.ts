/**
 * The flags every command that reads a trace shares (inspect, convert, compare, mrc): its format,
 * page size and CSV columns, and a slice of it (--skip-refs, --max-refs), with the words and JSON
 * that describe a slice. Modules load lazily so `--help` stays instant.
 */
import type { Command } from 'commander';
import { COMMAND_LINE, flagError } from './common.js';
import { InputError } from '../errors.js';
import { parseCount, parseTracePageSize } from '../units.js';

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
  const { parseTraceFormat, parseCsvColumnsSpec } = await import('../workload/trace/browser.js');
  const options: import('../workload/trace/browser.js').TraceOptions = {};
  if (flags.format !== undefined) options.format = parseTraceFormat(flags.format, '--format');
  if (flags.pageSize !== undefined) options.pageSize = parseTracePageSize(flags.pageSize, { file: COMMAND_LINE, field: '--page-size' });
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
  const { openTrace } = await import('../workload/trace/index.js');
  const source = openTrace(path, options);
  if (options.pageSize !== undefined && source.format === 'compact' && source.pageSize !== options.pageSize) {
    source.close();
    throw flagError('--page-size', `the page size ${path} carries (${source.pageSize} bytes), or none: a compact trace keeps its own`, flags.pageSize);
  }
  return source;
}
