/**
 * Capturing a real program's page references: run it under valgrind lackey and stream lackey's
 * output, through the rep-string / syscall filter (./lackey-fold.ts) and the lackey parser,
 * straight into a compact trace. No text file in between: lackey prints ~14 bytes per access,
 * gigabytes for a second of native run time (reference/lackey-notes.md).
 *
 * Lackey writes its log to a FIFO on descriptor 3 (`--log-fd=3`), so the program's own stdout and
 * stderr stay the program's. We drain the FIFO in large reads from the thread pool; lackey issues
 * one write(2) per line, so what costs is its side, not ours.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, createReadStream, createWriteStream, existsSync, mkdtempSync, openSync, read, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InputError, quote, writeProblem } from '../errors.js';
import { writeFailure } from '../write-file.js';
import { LackeyTextParser } from './trace/lackey.js';
import { CompactTraceWriter } from './trace/compact.js';
import { LackeyFoldFilter, type FoldStats } from './lackey-fold.js';

export interface CaptureOptions {
  /** the program and its arguments */
  command: string[];
  /** the compact trace to write; `.gz` compresses it */
  out: string;
  pageSize: number;
  /** turn read/write system calls into references over their buffers (default true) */
  syscalls?: boolean;
  /** where the program's stdout/stderr go: inherit (default) or a file path */
  programOutput?: string;
  /** called after each chunk of lackey output */
  onProgress?: (p: CaptureProgress) => void;
  /** the valgrind executable, a name looked up on the PATH or a path; default `valgrind` */
  valgrind?: string;
}

export interface CaptureProgress {
  lackeyLines: number;
  lackeyBytes: number;
  records: number;
}

export interface CaptureResult extends FoldStats {
  out: string;
  records: number;
  references: number;
  lackeyBytes: number;
  /** the traced program's exit status (valgrind passes it on), or the signal that ended it */
  exitCode: number | null;
  signal: string | null;
  /** stopped by Ctrl-C: the trace holds what ran until then */
  interrupted: boolean;
  valgrindVersion: string;
}

const READ_BYTES = 1 << 20;

/** The valgrind executable on the PATH, or an InputError saying how to install it. */
export function findValgrind(name = 'valgrind', path = process.env.PATH ?? ''): string {
  if (name.includes('/')) {
    if (isExecutable(name)) return name;
  } else {
    for (const dir of path.split(delimiter)) {
      if (dir && isExecutable(join(dir, name))) return join(dir, name);
    }
  }
  throw new InputError(
    { file: 'command line', field: 'valgrind' },
    'valgrind on the PATH to trace a program (install it: apt-get install valgrind, dnf install valgrind or brew install valgrind)',
    'none found',
  );
}

function openForWriting(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (e) {
    throw new InputError({ file: path }, 'a writable file', writeProblem(e));
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `sort.pgt` for `sort -n x`; `sort-2.pgt` if that exists, and so on. */
export function defaultTraceName(command: readonly string[], dir = '.'): string {
  const base = basename(command[0] ?? 'trace').replace(/[^A-Za-z0-9._-]/g, '_') || 'trace';
  for (let k = 1; ; k++) {
    const name = k === 1 ? `${base}.pgt` : `${base}-${k}.pgt`;
    if (!existsSync(join(dir, name))) return join(dir, name);
  }
}

export async function captureTrace(opts: CaptureOptions): Promise<CaptureResult> {
  const valgrind = findValgrind(opts.valgrind);
  const valgrindVersion = execFileSync(valgrind, ['--version'], { encoding: 'utf8' }).trim();
  if (opts.command.length === 0) throw new InputError({ file: 'command line', field: 'CMD' }, 'a program to trace after --', 'nothing');
  const syscalls = opts.syscalls ?? true;
  if (/\.(zst|zstd)$/i.test(opts.out)) {
    // Node 20 has no zstd compressor; a .zst name on an uncompressed file would mislead
    throw new InputError({ file: 'command line', field: '--out' }, 'a .pgt or .pgt.gz name (compress with the zstd tool afterwards for .zst)', quote(opts.out));
  }
  const compress = /\.gz$/i.test(opts.out);
  // Fail on an unwritable output before the (long) run, not after it.
  const outputFd = opts.programOutput === undefined ? null : openForWriting(opts.programOutput);
  const workDir = mkdtempSync(join(tmpdir(), 'pageout-trace-'));
  const fifo = join(workDir, 'lackey.fifo');
  const rawOut = compress ? join(workDir, 'trace.pgt') : opts.out;
  let keepOutput = false;
  try {
    if (compress) closeSync(openForWriting(opts.out));
    execFileSync('mkfifo', [fifo]);
    // Open order matters: a FIFO's blocking open waits for the other end. A non-blocking reader
    // first, then the writer lackey inherits, then the blocking reader we read from (it returns at
    // once since a writer exists, even if the program dies before we read).
    const probeFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(fifo, constants.O_WRONLY);
    const readFd = openSync(fifo, constants.O_RDONLY);
    closeSync(probeFd);
    const description = `lackey trace of ${opts.command.join(' ')} (${valgrindVersion}, ${opts.pageSize}-byte pages, ` +
      `rep-string iterations folded${syscalls ? ', read/write buffers as references' : ''})`;
    let writer: CompactTraceWriter;
    try {
      writer = new CompactTraceWriter(rawOut, { pageSize: opts.pageSize, description, command: opts.command });
    } catch (e) {
      closeSync(readFd);
      closeSync(writeFd);
      // the writer says which file and why (rawOut is opts.out, or a temporary one beside it)
      throw e;
    }
    let records = 0;
    const counting = {
      ref(page: number, flags: number, count: number): void {
        records++;
        writer.ref(page, flags, count);
      },
    };
    const parser = new LackeyTextParser(opts.pageSize, counting, { file: 'lackey output' });
    const filter = new LackeyFoldFilter(opts.pageSize, (bytes) => parser.push(bytes), { syscalls });
    const args = ['--tool=lackey', '--trace-mem=yes', '--log-fd=3', ...(syscalls ? ['--trace-syscalls=yes'] : []), '--', ...opts.command];
    const child = spawn(valgrind, args, {
      stdio: ['inherit', outputFd ?? 'inherit', outputFd ?? 'inherit', writeFd],
    });
    closeSync(writeFd); // lackey holds the only writer now: its exit ends our reads
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    // Ctrl-C reaches the program too (same process group) and ends it; we keep the trace so far.
    // A SIGTERM (`timeout`, a job manager) is sent to us alone: passed on, it ends the program the
    // same way, where it used to kill us and leave a compact file its writer never closed.
    let interrupted = false;
    const onInterrupt = (signal: NodeJS.Signals): void => {
      interrupted = true;
      child.kill(signal);
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    let lackeyBytes = 0;
    const chunk = Buffer.allocUnsafe(READ_BYTES);
    try {
      for (;;) {
        const n = await new Promise<number>((resolve, reject) => {
          read(readFd, chunk, 0, READ_BYTES, null, (err, bytes) => (err ? reject(err) : resolve(bytes)));
        });
        if (n === 0) break;
        lackeyBytes += n;
        filter.push(chunk.subarray(0, n));
        opts.onProgress?.({ lackeyLines: filter.stats.lines, lackeyBytes, records });
      }
      filter.end({ dropPartialLine: interrupted });
      parser.end();
    } catch (e) {
      child.kill('SIGKILL');
      await exited.catch(() => undefined);
      writer.close();
      throw e;
    } finally {
      closeSync(readFd);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    }
    const { code, signal } = await exited;
    const counts = writer.close();
    if (filter.stats.lines === 0) {
      throw new InputError({ file: 'command line', field: 'CMD' }, 'a program valgrind can run', `${quote(opts.command[0])} (valgrind exit status ${code ?? signal}; its message is ${opts.programOutput === undefined ? 'above' : `in ${opts.programOutput}`})`);
    }
    if (compress) {
      try {
        await pipeline(createReadStream(rawOut), createGzip({ level: 9 }), createWriteStream(opts.out));
      } catch (e) {
        throw writeFailure(e, opts.out);
      }
    }
    keepOutput = true;
    return {
      ...filter.stats, out: opts.out, records: counts.records, references: counts.references, lackeyBytes,
      exitCode: code, signal, interrupted, valgrindVersion,
    };
  } finally {
    if (outputFd !== null) closeSync(outputFd);
    // a failed capture leaves no half-written trace behind to be mistaken for a whole one
    if (!keepOutput && existsSync(opts.out)) unlinkSync(opts.out);
    rmSync(workDir, { recursive: true, force: true });
  }
}
