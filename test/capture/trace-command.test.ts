/**
 * `pageout trace` on real programs under valgrind: the trace it writes is a compact trace that
 * openTrace reads, with the command line in its header; bad usage and a missing valgrind end
 * with exit code 2 and a message saying what to do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefBatch, REF_INSTR, REF_WRITE } from '../../src/kernel/ref-source.js';
import { openTrace } from '../../src/workload/trace/index.js';
import { findValgrind } from '../../src/workload/capture.js';
import { runCli } from '../cli/harness.js';

const haveValgrind = (() => {
  try {
    findValgrind();
    return true;
  } catch {
    return false;
  }
})();

function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-trace-test-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Every record of a trace: counts by kind and the distinct pages. */
function summarise(path: string): { records: number; references: number; instr: number; writes: number; pages: number; command: string[] } {
  const source = openTrace(path);
  const batch = new RefBatch(4096);
  const pages = new Set<number>();
  let records = 0;
  let references = 0;
  let instr = 0;
  let writes = 0;
  try {
    for (let n = source.read(batch); n > 0; n = source.read(batch)) {
      for (let i = 0; i < n; i++) {
        records++;
        references += batch.count[i]!;
        if (batch.flags[i]! & REF_INSTR) instr += batch.count[i]!;
        if (batch.flags[i]! & REF_WRITE) writes += batch.count[i]!;
        pages.add(batch.page[i]!);
      }
    }
    return { records, references, instr, writes, pages: pages.size, command: source.compactHeader?.command ?? [] };
  } finally {
    source.close();
  }
}

test('tracing /bin/true writes a compact trace with the command in its header', { skip: !haveValgrind && 'valgrind is not installed' }, async () => {
  await withTempDir(async (dir) => {
    const out = join(dir, 'true.pgt');
    const r = await runCli(['trace', '--out', out, '--', '/bin/true', 'ignored-argument']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^wrote .*true\.pgt: \d+ records, \d+ references from \d+ lackey lines .* the program ended with exit status 0\n$/);
    const t = summarise(out);
    assert.deepEqual(t.command, ['/bin/true', 'ignored-argument']);
    // the dynamic loader alone runs tens of thousands of instructions over dozens of pages
    assert.ok(t.references > 50_000, `references ${t.references}`);
    assert.ok(t.instr > 0 && t.instr < t.references, 'instruction and data references');
    assert.ok(t.writes > 0, 'writes (the stack, the loader\'s relocations)');
    assert.ok(t.pages > 20, `distinct pages ${t.pages}`);
    assert.ok(t.records < t.references, 'consecutive references to one page are collapsed');
  });
});

test('a program\'s read(2) buffer shows up as writes only when syscalls are traced', { skip: !haveValgrind && 'valgrind is not installed' }, async () => {
  await withTempDir(async (dir) => {
    const input = join(dir, 'input.bin');
    const lines = 3300; // 16.5 KB: five pages
    writeFileSync(input, 'line\n'.repeat(lines));
    const withCopies = join(dir, 'sort.pgt.gz');
    const without = join(dir, 'sort-no-syscalls.pgt');
    const programOutput = join(dir, 'program-output.bin');
    let r = await runCli(['trace', '--out', withCopies, '--program-output', programOutput, '--', 'sort', '--parallel=1', input]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(programOutput).length, 5 * lines, 'the program\'s stdout went to --program-output');
    assert.match(r.stderr, /\d+ read\/write buffers as \d+ lines/);
    r = await runCli(['trace', '--no-syscalls', '--quiet', '--out', without, '--program-output', programOutput, '--', 'sort', '--parallel=1', input]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', '--quiet prints nothing');
    const a = summarise(withCopies);
    const b = summarise(without);
    // sort reads 16 KiB into its buffer: ≥ 4 pages written by the kernel's copy, unseen by lackey
    assert.ok(a.writes >= b.writes + 4, `writes with copies ${a.writes}, without ${b.writes}`);
  });
});

test('bad usage and a missing valgrind exit with code 2 and say what to do', async () => {
  let r = await runCli(['trace']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing required argument 'command'/);
  if (haveValgrind) {
    r = await runCli(['trace', '--out', 'x.pgt.zst', '--', '/bin/true']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: command line --out: expected a .pgt or .pgt.gz name (compress with the zstd tool afterwards for .zst), got 'x.pgt.zst'\n");
  }
  r = await runCli(['trace', '--page-size', '3000', '--', '/bin/true']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: command line --page-size: expected a power of two from 256 bytes to 16MiB, got '3000'$/m);

  const savedPath = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    r = await runCli(['trace', '--out', join(tmpdir(), 'never-written.pgt'), '--', '/bin/true']);
  } finally {
    process.env.PATH = savedPath;
  }
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error: command line valgrind: expected valgrind on the PATH to trace a program (install it: apt-get install valgrind, dnf install valgrind or brew install valgrind), got none found\n');
  assert.ok(!existsSync(join(tmpdir(), 'never-written.pgt')));
});

test('a program valgrind cannot start is bad input, not a crash', { skip: !haveValgrind && 'valgrind is not installed' }, async () => {
  await withTempDir(async (dir) => {
    const r = await runCli(['trace', '--out', join(dir, 'x.pgt'), '--program-output', join(dir, 'out.txt'), '--', join(dir, 'no-such-program')]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: command line CMD: expected a program valgrind can run, got '.*no-such-program' \(valgrind exit status \d+; its message is in .*out\.txt\)$/m);
    assert.match(readFileSync(join(dir, 'out.txt'), 'utf8'), /no-such-program/);
    assert.ok(!existsSync(join(dir, 'x.pgt')), 'no empty trace is left behind');
  });
});

test('an output that cannot be written is bad input, found before the program runs', { skip: !haveValgrind && 'valgrind is not installed' }, async () => {
  for (const out of ['/nonexistent-dir/x.pgt', '/nonexistent-dir/x.pgt.gz']) {
    const r = await runCli(['trace', '--out', out, '--', '/bin/true']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `error: ${out}: expected a writable file, got no such directory\n`);
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) test(`${signal} (${signal === 'SIGINT' ? 'Ctrl-C' : '`timeout`'}) ends the program and keeps the trace of what ran`, { skip: !haveValgrind && 'valgrind is not installed' }, async () => {
  await withTempDir(async (dir) => {
    const input = join(dir, 'words.txt');
    writeFileSync(input, Array.from({ length: 200_000 }, (_, i) => `${(i * 7919) % 200_003} word\n`).join(''));
    const out = join(dir, 'sort.pgt');
    // what a terminal's Ctrl-C (or `timeout`) delivers to pageout; the handler passes it on to the program
    const timer = setTimeout(() => process.emit(signal), 2_000);
    let r;
    try {
      r = await runCli(['trace', '--out', out, '--program-output', join(dir, 'sorted.txt'), '--', 'sort', '--parallel=1', input]);
    } finally {
      clearTimeout(timer);
    }
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /the program ended with an interrupt \(the trace holds what ran until then\)\n$/);
    const t = summarise(out);
    assert.ok(t.references > 1_000, `references ${t.references}`);
    assert.deepEqual(t.command, ['sort', '--parallel=1', input]);
  });
});
