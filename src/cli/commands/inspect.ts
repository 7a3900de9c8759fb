/** `pageout inspect TRACE`: what a trace holds (references, footprint, mix, working-set curve). */
import type { Command } from 'commander';
import { action, checkOutputs, createProgressBar, flagError, withExamples, writeJson } from '../common.js';
import { InputError } from '../../errors.js';
import { parseMemory } from '../../units.js';

export interface TraceReadFlags {
  format?: string;
  pageSize?: string;
  csv?: string;
}

/** --format, --page-size and --csv, shared with `convert`. */
export function addTraceReadOptions(cmd: Command): Command {
  return cmd
    .option('--format <format>', 'the input format, when the name and content do not tell (lackey, lirs, spec, csv, oracleGeneral, compact)')
    .option('--page-size <bytes>', 'bytes per page for byte-address traces (lackey, spec, csv in bytes); default 4096')
    .option('--csv <columns>', 'CSV columns, e.g. offset=lbn,length=size,op=op,unit=id (unit: bytes, id or bytes per unit; also time=, header=yes|no, read=/write=/instr= op values separated by /)');
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
  return options;
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
    .description('Count a trace\'s references, distinct pages, write and instruction fractions, and its working-set curve')
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
    const source = await openTraceWithFlags(path, flags);
    const bar = createProgressBar({ quiet: flags.quiet || flags.json === '-', unit: 'references' });
    let result;
    try {
      result = inspectTrace(source, (refs) => bar.update(refs, source.totalRefs ?? NaN));
    } finally {
      bar.stop();
      source.close();
    }
    const header = source.compactHeader;
    const report = {
      file: path,
      format: source.format,
      pageSize: source.pageSize,
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
    };
    if (flags.json !== undefined) writeJson(flags.json, report);
    if (flags.quiet || flags.json === '-') return;
    const { default: Table } = await import('cli-table3');
    const out: string[] = [];
    out.push(`${path}: ${source.format} trace, ${source.pageSize}-byte pages`);
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
    out.push('  working set (distinct pages after so many references):');
    const table = new Table({ head: ['references', 'distinct pages', ''], style: { head: [], border: [], compact: true }, colAligns: ['right', 'right', 'left'] });
    const widest = Math.max(1, result.distinctPages);
    for (const p of result.workingSet) {
      table.push([p.references.toLocaleString('en-US'), p.distinctPages.toLocaleString('en-US'), '#'.repeat(Math.round((30 * p.distinctPages) / widest))]);
    }
    out.push(table.toString().split('\n').map((l) => `  ${l}`).join('\n'));
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
