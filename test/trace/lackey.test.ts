/** valgrind lackey text: page spanning, `M` as read then write, `I` as instruction, messages skipped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REF_INSTR, REF_WRITE } from '../../src/kernel/ref-source.js';
import { InputError } from '../../src/errors.js';
import { LackeyTextParser } from '../../src/workload/trace/lackey.js';
import { openTrace, openTraceBytes } from '../../src/workload/trace/index.js';
import { ArraySink, FIXTURES, drain, referenceLackey } from './helpers.js';

function parse(text: string, pageSize = 4096): Array<[number, number, number]> {
  const sink = new ArraySink();
  const parser = new LackeyTextParser(pageSize, sink, { file: 't.lackey' });
  parser.push(new TextEncoder().encode(text));
  parser.end();
  return sink.records;
}

test('I is an instruction read, L a read, S a write, M a read then a write on the same page', () => {
  assert.deepEqual(parse('I  00401000,3\n L 00402008,8\n S 00403010,4\n M 00404020,8\n'), [
    [0x401, REF_INSTR, 1],
    [0x402, 0, 1],
    [0x403, REF_WRITE, 1],
    [0x404, 0, 1],
    [0x404, REF_WRITE, 1],
  ]);
});

test('an access crossing a page boundary references both pages; M over two pages reads both, then writes both', () => {
  assert.deepEqual(parse('I  00400ffe,5\n'), [[0x400, REF_INSTR, 1], [0x401, REF_INSTR, 1]]);
  assert.deepEqual(parse(' S 1fff000ffc,8\n'), [[0x1fff000, REF_WRITE, 1], [0x1fff001, REF_WRITE, 1]]);
  assert.deepEqual(parse(' M 00400ff8,16\n'), [[0x400, 0, 1], [0x401, 0, 1], [0x400, REF_WRITE, 1], [0x401, REF_WRITE, 1]]);
  // the last byte of a page is not a crossing; size 0 counts as 1
  assert.deepEqual(parse(' L 00400ff8,8\n L 00400fff,0\n'), [[0x400, 0, 1], [0x400, 0, 1]]);
  // page size is a parameter
  assert.deepEqual(parse(' L 00400ffe,4\n', 8192), [[0x200, 0, 1]]);
});

test('==PID== messages and blank lines are skipped; CRLF is accepted', () => {
  assert.deepEqual(parse('==1== Lackey\n\nI  1000,1\r\n==1== done\n'), [[1, REF_INSTR, 1]]);
});

test('lines split across chunks at every byte parse the same', () => {
  const text = readFileSync(`${FIXTURES}true-excerpt.lackey`);
  const whole = new ArraySink();
  const p1 = new LackeyTextParser(4096, whole);
  p1.push(text);
  p1.end();
  for (const size of [1, 2, 3, 7, 13, 64, 1000]) {
    const pieces = new ArraySink();
    const p2 = new LackeyTextParser(4096, pieces);
    for (let i = 0; i < text.length; i += size) p2.push(text.subarray(i, i + size));
    p2.end();
    assert.deepEqual(pieces.records, whole.records, `chunks of ${size}`);
    assert.equal(p2.lines, p1.lines);
  }
});

test('a real lackey excerpt (/bin/true) matches an independent reference parser', () => {
  const text = readFileSync(`${FIXTURES}true-excerpt.lackey`, 'utf8');
  const expected = referenceLackey(text, 4096);
  const r = drain(openTrace(`${FIXTURES}true-excerpt.lackey`), true);
  assert.deepEqual(r.refs, expected);
  // 595 access lines (606 less 11 ==PID== lines), 9 of them M (two records each), one I crossing a page (line 468)
  assert.equal(r.references, 595 + 9 + 1);
  assert.equal(r.instructions, expected.filter(([, f]) => f === REF_INSTR).length);
  assert.ok(r.writes > 0 && r.instructions > 0);
});

test('the zstd-compressed excerpt reads the same, from a file and from bytes', () => {
  const plain = drain(openTrace(`${FIXTURES}true-excerpt.lackey`));
  assert.deepEqual(drain(openTrace(`${FIXTURES}true-excerpt.lackey.zst`)), plain);
  assert.deepEqual(drain(openTraceBytes(readFileSync(`${FIXTURES}true-excerpt.lackey.zst`), 'x.lackey.zst')), plain);
});

test('the excerpt is recognised as lackey by content when its name says nothing', () => {
  const source = openTraceBytes(readFileSync(`${FIXTURES}true-excerpt.lackey`), 'noname');
  assert.equal(source.format, 'lackey');
  source.close();
});

const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
test('a fresh valgrind lackey trace of /bin/true reads like the reference parser says', { skip: valgrind.status !== 0 && 'valgrind is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-lackey-'));
  try {
    const file = join(dir, 'true.lackey');
    const run = spawnSync('sh', ['-c', `valgrind --tool=lackey --trace-mem=yes --log-fd=3 /bin/true 3>${file}`]);
    assert.equal(run.status, 0, String(run.stderr));
    const text = readFileSync(file, 'utf8');
    const expected = referenceLackey(text, 4096);
    const r = drain(openTrace(file), true);
    assert.equal(r.references, expected.length);
    assert.deepEqual(r.refs, expected);
    const lines = text.split('\n');
    assert.ok(lines.some((l) => l.startsWith(' M')), 'has M lines');
    assert.ok(r.references > lines.filter((l) => /^(I | [LSM])/.test(l)).length, 'M and page-crossing lines add references');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a garbled line is an InputError naming file and line; so is a missing final newline', () => {
  assert.throws(() => parse('I  1000,1\n X 2000,4\n'), (e: unknown) => e instanceof InputError && e.message ===
    "t.lackey:2: expected a lackey line ('I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or '==PID== message'), got ' X 2000,4'");
  assert.throws(() => parse('I  1000,1\n L 2000'), (e: unknown) => e instanceof InputError && e.message ===
    "t.lackey:2: expected a newline at the end of the last line (lackey ends every line; the trace looks truncated), got ' L 2000' and end of input");
});

test('otherLine lets a caller take lines lackey does not define (SYSCALL lines)', () => {
  const seen: Array<[string, number]> = [];
  const sink = new ArraySink();
  const parser = new LackeyTextParser(4096, sink, { otherLine: (line, n) => (seen.push([line, n]), line.startsWith('SYSCALL')) });
  parser.push(new TextEncoder().encode('I  1000,1\nSYSCALL[1,0](read) ... [0x4000]\nI  2000,1\n'));
  parser.end();
  assert.deepEqual(seen, [['SYSCALL[1,0](read) ... [0x4000]', 2]]);
  assert.equal(sink.records.length, 2);
  assert.equal(parser.lines, 3);
});
