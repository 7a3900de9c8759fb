/** `pageout trace -- CMD ARGS…`: run a real program under valgrind lackey into a compact trace. */
import type { Command } from 'commander';
import { action, createProgressBar, flagError, withExamples } from '../common.js';
import { parseMemory } from '../../units.js';

interface TraceFlags {
  out?: string;
  pageSize: string;
  syscalls: boolean;
  programOutput?: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('trace')
    .argument('<command...>', 'the program to trace and its arguments (put them after --)')
    .description('Run a program under valgrind lackey and stream its page references into a compact trace (.pgt)')
    .option('-o, --out <file>', 'the trace to write (.pgt, or .pgt.gz to compress); default: <program>.pgt here')
    .option('--page-size <bytes>', 'page size the addresses are divided by (4096, 4KiB, 16KiB)', '4096')
    .option('--no-syscalls', 'do not turn read/write system-call buffers into references (lackey cannot see the kernel copy)')
    .option('--program-output <file>', 'send the program\'s stdout and stderr to FILE instead of the terminal')
    .option('-q, --quiet', 'no progress indicator and no summary');
  withExamples(cmd, [
    'pageout trace -- ls -l /usr/bin',
    'LC_ALL=C pageout trace --out sort.pgt.gz -- sort --parallel=1 -o sorted.txt words.txt',
    'pageout trace --page-size 16KiB --program-output /dev/null -- python3 -c "sum(range(10**5))"',
  ]);
  cmd.action(action(async (command: string[], flags: TraceFlags) => {
    const pageSize = parseMemory(flags.pageSize, 1, { file: 'command line', field: '--page-size' });
    if ((pageSize & (pageSize - 1)) !== 0 || pageSize < 256 || pageSize > 1 << 24) {
      throw flagError('--page-size', 'a power of two from 256 bytes to 16MiB', flags.pageSize);
    }
    const { captureTrace, defaultTraceName } = await import('../../workload/capture.js');
    const out = flags.out ?? defaultTraceName(command);
    const bar = createProgressBar({ quiet: flags.quiet, unit: 'lackey lines', delayMs: 500 });
    const started = Date.now();
    let result;
    try {
      result = await captureTrace({
        command, out, pageSize, syscalls: flags.syscalls,
        ...(flags.programOutput !== undefined ? { programOutput: flags.programOutput } : {}),
        onProgress: (p) => bar.update(p.lackeyLines, NaN, `${(p.lackeyBytes / 1e6).toFixed(0)} MB read, ${p.records} records`),
      });
    } finally {
      bar.stop();
    }
    if (flags.quiet) return;
    const seconds = (Date.now() - started) / 1000;
    const status = result.interrupted ? 'an interrupt (the trace holds what ran until then)'
      : result.signal !== null ? `killed by ${result.signal}` : `exit status ${result.exitCode}`;
    process.stderr.write(
      `wrote ${result.out}: ${result.records} records, ${result.references} references ` +
      `from ${result.lines} lackey lines (${result.foldedLines} folded rep-string lines, ` +
      `${result.syscallsCopied} read/write buffers as ${result.syscallLines} lines) in ${seconds.toFixed(1)} s; ` +
      `the program ended with ${status}\n`,
    );
  }));
}
