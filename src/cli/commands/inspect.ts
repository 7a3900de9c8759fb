/** `pageout inspect TRACE`: what a trace holds (references, footprint, mix, footprint curve, Denning's working set). */
import type { Command } from 'commander';
import { action, checkOutputs, createProgressBar, withExamples, writeJson } from '../common.js';
import type { RefBatch, RefSource } from '../../kernel/ref-source.js';
import { formatRatio } from '../cache-flags.js';
import { addTraceReadOptions, describeSlice, openTraceWithFlags, sliceJson, type TraceReadFlags } from '../trace-flags.js';

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
    'pageout inspect big.oracleGeneral.bin --skip-refs 1000000 --max-refs 1000000',
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
