/** `pageout convert IN OUT`: rewrite a trace in another format (compact, lackey, lirs, csv). */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { action, createProgressBar, flagError, sameFile, withExamples } from '../common.js';
import { addTraceReadOptions, describeSlice, openTraceWithFlags, sliceWords, type TraceReadFlags } from '../trace-flags.js';

export function register(program: Command): void {
  const cmd = program
    .command('convert')
    .argument('<in>', 'the trace to read (any format pageout reads; .gz and .zst read as they are)')
    .argument('<out>', 'the trace to write; its extension names the format (.pgt, .lackey, .lirs or .trace, .csv, .oracleGeneral.bin) unless --to says')
    .description('Convert a trace between formats; the compact format (.pgt) keeps everything and is the smallest')
    .option('--to <format>', 'the output format: compact, lackey, lirs, csv or oracleGeneral (libCacheSim\'s binary, with next uses)')
    .option('-q, --quiet', 'no progress bar and no summary');
  addTraceReadOptions(cmd);
  withExamples(cmd, [
    'pageout convert ../shared/traces/spec-address/gcc.trace.gz gcc.pgt',
    'pageout convert sort.pgt sort.lackey',
    'pageout convert --csv offset=lbn,unit=id blocks.csv.gz blocks.pgt',
    'pageout convert --to csv sort.pgt sort-pages.txt',
    'pageout convert sort.pgt sort.oracleGeneral.bin',
  ]);
  cmd.action(action(async (input: string, output: string, flags: TraceReadFlags & { to?: string; quiet?: boolean }) => {
    const { createTraceWriter } = await import('../../workload/trace/index.js');
    const { outputFormatFromName, parseOutputFormat, TRACE_OUTPUT_FORMATS } = await import('../../workload/trace/writers.js');
    const { DEFAULT_PAGE_SIZE } = await import('../../workload/trace/formats.js');
    const { RefBatch } = await import('../../kernel/ref-source.js');
    // compressed output is not written: under --to, a .gz name would hold plain data
    if (/\.(gz|zst|zstd)$/i.test(output)) {
      throw flagError('<out>', 'an uncompressed file name (convert writes plain files; gzip or zstd it afterwards, and every command reads it as it is)', output);
    }
    const to = flags.to !== undefined ? parseOutputFormat(flags.to, '--to') : outputFormatFromName(output);
    if (to === undefined) {
      throw flagError('<out>', `a name ending in .pgt, .lackey, .lirs, .trace, .csv or .oracleGeneral.bin, or --to ${TRACE_OUTPUT_FORMATS.join('|')}`, output);
    }
    if (sameFile(input, output)) throw flagError('<out>', 'a file other than the input (the output is written from the start while the input is read)', output);
    const source = await openTraceWithFlags(input, flags);
    const header = source.compactHeader;
    // a slice says so in its header: the references it holds are not the whole program's
    const slice = sliceWords(flags, source.totalRefs);
    const description = (header?.description ?? `converted from ${basename(input)} (${source.format})`) + (slice === '' ? '' : `, ${slice}`);
    const bar = createProgressBar({ quiet: flags.quiet, unit: 'references' });
    let counts;
    let written = false;
    try {
      const writer = createTraceWriter(output, to, {
        pageSize: source.pageSize,
        description,
        ...(header !== undefined && header.command.length > 0 ? { command: header.command } : {}),
      });
      try {
        const batch = new RefBatch(8192);
        for (;;) {
          const n = source.read(batch);
          if (n === 0) break;
          const { page, flags: kinds, count } = batch;
          for (let i = 0; i < n; i++) writer.ref(page[i]!, kinds[i]!, count[i]!);
          bar.update(source.references, source.totalRefs ?? NaN);
        }
        written = true;
      } finally {
        counts = writer.close();
        // a half-written trace would pass for a short one: remove it
        if (!written) rmSync(output, { force: true });
      }
    } finally {
      bar.stop();
      source.close();
    }
    if (to !== 'compact' && source.pageSize !== DEFAULT_PAGE_SIZE) {
      // the text formats have nowhere to keep it, and read back at 4096 bytes the pages change
      // (lackey) or the footprint does (lirs, csv): not a thing to lose silently, even with -q
      process.stderr.write(`warning: ${to} has no page size: read ${output} back with --page-size ${source.pageSize} to get ${source.pageSize}-byte pages again\n`);
    }
    if (!flags.quiet) {
      process.stderr.write(`wrote ${output} (${to}): ${counts.references.toLocaleString('en-US')} references in ${counts.records.toLocaleString('en-US')} records, from ${input}${describeSlice(flags, counts.references)} (${source.format}, ${source.pageSize}-byte pages)\n`);
    }
  }));
}

