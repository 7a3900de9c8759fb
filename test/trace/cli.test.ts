/**
 * `pageout convert` and `pageout inspect`: round trips keep counts and kinds, inspect's JSON,
 * and the exact message for each kind of bad trace input (exit 2, no stack).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../cli/harness.js';
import { CompactTraceWriter, openTrace } from '../../src/workload/trace/index.js';
import { REF_INSTR, REF_WRITE } from '../../src/kernel/ref-source.js';
import { FIXTURES, HAVE_SHARED_TRACES, SHARED_TRACES, drain } from './helpers.js';

const needsShared = !HAVE_SHARED_TRACES && '../shared/traces is not beside the checkout';

const dir = mkdtempSync(join(tmpdir(), 'pageout-convert-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 0, `pageout ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function bad(args: string[], message: string): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 2, `exit code of pageout ${args.join(' ')}; stderr: ${r.stderr}`);
  assert.equal(r.stderr, `error: ${message}\n`);
}

test('lackey → compact → lackey / csv → compact keeps every reference, its kind and order', async () => {
  const lackey = `${FIXTURES}true-excerpt.lackey`;
  const original = drain(openTrace(lackey));
  const pgt = join(dir, 'true.pgt');
  await ok(['convert', '-q', lackey, pgt]);
  const compact = drain(openTrace(pgt));
  assert.equal(compact.references, original.references);
  assert.equal(compact.fingerprint, original.fingerprint);
  assert.ok(compact.records < original.records, 'same-page runs collapsed');
  for (const ext of ['lackey', 'csv']) {
    const text = join(dir, `back.${ext}`);
    await ok(['convert', '-q', pgt, text]);
    const again = join(dir, `again-${ext}.pgt`);
    await ok(['convert', '-q', text, again]);
    const r = drain(openTrace(again));
    assert.deepEqual([r.references, r.writes, r.instructions, r.distinctPages, r.fingerprint],
      [original.references, original.writes, original.instructions, original.distinctPages, original.fingerprint], ext);
  }
});

test('LIRS → compact → lirs gives the same ids; a page size is kept in the compact header', { skip: needsShared }, async () => {
  const src = `${SHARED_TRACES}lirs/multi2.trace.gz`;
  const pgt = join(dir, 'multi2.pgt');
  await ok(['convert', '-q', src, pgt]);
  const lirs = join(dir, 'multi2.lirs');
  await ok(['convert', '-q', pgt, lirs]);
  assert.equal(drain(openTrace(lirs)).fingerprint, drain(openTrace(src)).fingerprint);
  const spec16 = join(dir, 'swim16k.pgt');
  await ok(['convert', '-q', '--page-size', '16KiB', `${SHARED_TRACES}spec-address/swim.trace.gz`, spec16]);
  const source = openTrace(spec16);
  assert.equal(source.pageSize, 16384);
  assert.equal(drain(source).distinctPages, 69);
});

test('convert to oracleGeneral: a record a reference, each with its next use counted from 1 as libCacheSim\'s traceConv writes it', async () => {
  const input = join(dir, 'og-in.pgt');
  const w = new CompactTraceWriter(input, { pageSize: 16384, description: 'test' });
  const refs: number[] = [];
  const records: Array<[number, number, number]> = [[7, 0, 3], [2 ** 40 + 5, REF_WRITE, 1], [7, REF_INSTR, 1], [9, 0, 2], [2 ** 40 + 5, 0, 1]];
  for (const [page, flags, count] of records) {
    w.ref(page, flags, count);
    for (let k = 0; k < count; k++) refs.push(page);
  }
  w.close();
  const output = join(dir, 'og.oracleGeneral.bin');
  await ok(['convert', input, output, '-q']);
  const bytes = readFileSync(output);
  assert.equal(bytes.length, 24 * refs.length);
  for (let i = 0; i < refs.length; i++) {
    const at = 24 * i;
    const next = refs.indexOf(refs[i]!, i + 1);
    assert.deepEqual(
      [bytes.readUInt32LE(at), Number(bytes.readBigUInt64LE(at + 4)), bytes.readUInt32LE(at + 12), Number(bytes.readBigInt64LE(at + 16))],
      [0, refs[i], 16384, next === -1 ? -1 : next + 1],
      `record ${i}`,
    );
  }
  // read back: the same pages in the same order, every one a read (the format has no kind)
  const back = drain(openTrace(output), true);
  assert.deepEqual(back.refs, refs.map((p) => [p, 0]));
  assert.equal((await runCli(['convert', input, join(dir, 'og2.bin'), '--to', 'oraclegeneral', '-q'])).code, 0);
  assert.deepEqual(readFileSync(join(dir, 'og2.bin')), bytes);
});

test('gzip-compressed compact traces read as they are', async () => {
  const pgt = join(dir, 'true.pgt');
  await ok(['convert', '-q', `${FIXTURES}true-excerpt.lackey`, pgt]);
  const gz = join(dir, 'true.pgt.gz');
  writeFileSync(gz, gzipSync(readFileSync(pgt)));
  assert.deepEqual(drain(openTrace(gz)), drain(openTrace(pgt)));
});

test('inspect --json writes references, distinct pages, fractions and a working-set curve', { skip: needsShared }, async () => {
  const json = join(dir, 'gcc.json');
  const text = await ok(['inspect', `${SHARED_TRACES}spec-address/gcc.trace.gz`, '--json', json]);
  assert.match(text, /references\s+515,683/);
  assert.match(text, /distinct pages\s+294 /);
  const r = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(r.references, 515_683);
  assert.equal(r.distinctPages, 294);
  assert.equal(r.writeFraction, 197_486 / 515_683);
  assert.equal(r.instructionFraction, 0);
  assert.equal(r.format, 'spec');
  const curve = r.workingSet as Array<{ references: number; distinctPages: number }>;
  assert.ok(curve.length >= 15 && curve.length <= 41, `${curve.length} points`);
  assert.deepEqual(curve[curve.length - 1], { references: 515_683, distinctPages: 294 });
  for (let i = 1; i < curve.length; i++) {
    assert.ok(curve[i]!.references > curve[i - 1]!.references);
    assert.ok(curve[i]!.distinctPages >= curve[i - 1]!.distinctPages);
  }
  // the same trace converted to compact (which knows its length up front) gives the same curve
  const pgt = join(dir, 'gcc.pgt');
  await ok(['convert', '-q', `${SHARED_TRACES}spec-address/gcc.trace.gz`, pgt]);
  assert.deepEqual(JSON.parse(await ok(['inspect', pgt, '--json', '-'])).workingSet, curve);
});

test('inspect counts a lackey access spanning two pages as two references, M as a read and a write', async () => {
  const file = join(dir, 'span.lackey');
  writeFileSync(file, 'I  00400ffe,4\n M 00500000,8\n');
  const r = JSON.parse(await ok(['inspect', file, '--json', '-']));
  assert.deepEqual([r.references, r.distinctPages, r.writeFraction, r.instructionFraction], [4, 3, 0.25, 0.5]);
});

test('bad trace input: the exact messages', async () => {
  const empty = join(dir, 'empty.lackey');
  writeFileSync(empty, '');
  await bad(['inspect', empty], `${empty}: expected a lackey trace, got an empty file`);
  const emptyGz = join(dir, 'empty.trace.gz');
  writeFileSync(emptyGz, gzipSync(Buffer.alloc(0)));
  await bad(['inspect', emptyGz], `${emptyGz}: expected a trace, got an empty file`);

  const garbled = join(dir, 'garbled.lackey');
  writeFileSync(garbled, 'I  0401ab70,3\n S 1fff000678,8\n L 1fff00zz78,8\n');
  await bad(['inspect', garbled], `${garbled}:3: expected a lackey line ('I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or '==PID== message'), got ' L 1fff00zz78,8'`);

  const cs = join(dir, 'cs.trace');
  writeFileSync(cs, '0\n1\n2\n');
  await bad(['inspect', '--format', 'spec', cs], `${cs}:1: expected a SPEC address line 'l|s 0xADDR N', got '0' (the file looks like lirs, but --format spec was given)`);
  await bad(['inspect', '--format', 'compact', cs], `${cs} (byte 0): expected a pageout compact trace (magic 89 50 47 54 0d 0a 1a 0a), got byte 30 (the file looks like lirs, but --format compact was given)`);
  await bad(['inspect', '--format', 'oracleGeneral', cs], `${cs} (byte 0): expected whole 24-byte oracleGeneral records, got 6 byte(s) of a record and then end of file (truncated, or not an oracleGeneral trace) (the file looks like lirs, but --format oracleGeneral was given)`);

  await bad(['inspect', '--format', 'pcap', cs], "command line --format: expected one of lackey, lirs, spec, csv, oracleGeneral, compact, got 'pcap'");
  await bad(['convert', '--format', 'pcap', cs, join(dir, 'x.pgt')], "command line --format: expected one of lackey, lirs, spec, csv, oracleGeneral, compact, got 'pcap'");
  await bad(['convert', '--to', 'xml', cs, join(dir, 'x.pgt')], "command line --to: expected one of compact, lackey, lirs, csv, oracleGeneral, got 'xml'");
  for (const args of [[cs, join(dir, 'x.pgt.gz')], ['--to', 'compact', cs, join(dir, 'x.pgt.gz')], ['--to', 'lirs', cs, join(dir, 'x.zst')]]) {
    await bad(['convert', ...args], `command line <out>: expected an uncompressed file name (convert writes plain files; gzip or zstd it afterwards, and every command reads it as it is), got '${args.at(-1)}'`);
  }
  await bad(['convert', cs, join(dir, 'x.bin')], `command line <out>: expected a name ending in .pgt, .lackey, .lirs, .trace, .csv or .oracleGeneral.bin, or --to compact|lackey|lirs|csv|oracleGeneral, got '${join(dir, 'x.bin')}'`);
  await bad(['inspect', join(dir, 'missing.trace')], `${join(dir, 'missing.trace')}: expected a readable trace file, got no such file`);
  const pageSizeExpected = 'expected a power of two from 1 byte to 1GiB, such as 4096, 16KiB or 64 (a cache line)';
  await bad(['inspect', '--page-size', 'big', cs], `command line --page-size: ${pageSizeExpected}, got 'big'`);
  // a typo for 4096 would divide every address by 4069 without a word
  await bad(['inspect', '--page-size', '4069', cs], `command line --page-size: ${pageSizeExpected}, got '4069'`);
  await bad(['inspect', '--page-size', '4096p', cs], `command line --page-size: ${pageSizeExpected}, got '4096p'`);
  await bad(['compare', '--page-size', '0', cs], `command line --page-size: ${pageSizeExpected}, got '0'`);
  await bad(['convert', '--page-size', '2GiB', cs, join(dir, 'x.pgt')], `command line --page-size: ${pageSizeExpected}, got '2GiB'`);
  // a compact trace keeps its own page size: another one is refused, not ignored
  const pgt16 = join(dir, 'sixteen.pgt');
  await ok(['convert', '-q', '--page-size', '16KiB', `${FIXTURES}true-excerpt.lackey`, pgt16]);
  const keeps = `command line --page-size: expected the page size ${pgt16} carries (16384 bytes), or none: a compact trace keeps its own`;
  await bad(['inspect', '--page-size', '4096', pgt16], `${keeps}, got '4096'`);
  await bad(['compare', '--page-size', '4KiB', '--frames', '4', pgt16], `${keeps}, got '4KiB'`);
  await bad(['convert', '--page-size', '4096', pgt16, join(dir, 'again.pgt')], `${keeps}, got '4096'`);
  assert.equal(JSON.parse(await ok(['inspect', '--page-size', '16KiB', pgt16, '--json', '-'])).pageSize, 16384, 'its own size, said again, is fine');
  await bad(['inspect', '--csv', 'offset', cs], "command line --csv: expected comma-separated key=value pairs with keys offset, length, op, time (a column name or 0-based index), unit (bytes, id or a number), header (yes|no), read, write and instr (op values separated by '/'), got 'offset'");
});

test('a truncated compact trace: the message says where and what the header promised', { skip: needsShared }, async () => {
  const pgt = join(dir, 'whole.pgt');
  await ok(['convert', '-q', `${SHARED_TRACES}lirs/cs.trace.gz`, pgt]);
  const truncated = join(dir, 'truncated.pgt');
  const whole = readFileSync(pgt);
  writeFileSync(truncated, whole.subarray(0, whole.length - 100));
  const r = await runCli(['inspect', truncated]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`^error: ${truncated.replace(/[.]/g, '\\.')} \\(byte \\d+\\): expected (6680 records \\(6781 references\\) as the header says, got \\d+ records \\(\\d+ references\\): the file is truncated|a complete record, got end of file after \\d byte\\(s\\) of it \\(truncated\\))\n$`));
});

test('CSV column options: names, indexes, units, op words', async () => {
  const file = join(dir, 'io.csv');
  writeFileSync(file, 'ts,rw,addr,bytes\n1,R,0,4096\n2,W,4096,8192\n3,r,100,1\n');
  const r = JSON.parse(await ok(['inspect', file, '--json', '-']));
  assert.deepEqual([r.references, r.distinctPages, r.writeFraction], [4, 3, 0.5]);
  const noHeader = join(dir, 'io2.csv');
  writeFileSync(noHeader, '7,write,9\n8,read,9\n');
  const r2 = JSON.parse(await ok(['inspect', noHeader, '--csv', 'offset=2,op=1,unit=id', '--json', '-']));
  assert.deepEqual([r2.references, r2.distinctPages, r2.writeFraction], [2, 1, 0.5]);
  await bad(['inspect', noHeader], `${noHeader}:1 csv offset: expected a header naming the offset column, or the offset column given (--csv offset=N), got '7,write,9'`);
  const badOffset = join(dir, 'io4.csv');
  writeFileSync(badOffset, 'op,page\nread,1\nread,abc\n');
  await bad(['inspect', badOffset], `${badOffset}:3: expected a whole number below 2^53 in the offset column (index 1), got 'read,abc'`);
  // compare and mrc name the column flag as they take it (their --csv is an output file)
  for (const command of ['compare', 'mrc']) {
    await bad([command, noHeader, '--frames', '2'], `${noHeader}:1 csv offset: expected a header naming the offset column, or the offset column given (--csv-columns offset=N), got '7,write,9'`);
  }
  await bad(['inspect', '--csv', 'bogus=1', noHeader], "command line --csv: expected comma-separated key=value pairs with keys offset, length, op, time (a column name or 0-based index), unit (bytes, id or a number), header (yes|no), read, write and instr (op values separated by '/'), got 'bogus=1'");
  await bad(['compare', '--csv-columns', 'bogus=1', noHeader], "command line --csv-columns: expected comma-separated key=value pairs with keys offset, length, op, time (a column name or 0-based index), unit (bytes, id or a number), header (yes|no), read, write and instr (op values separated by '/'), got 'bogus=1'");
  const badOp = join(dir, 'io3.csv');
  writeFileSync(badOp, 'op,offset\nread,0\ntrim,4096\n');
  await bad(['inspect', badOp], `${badOp}:3 column index 0 (op): expected an op: read (r/read/rd/l/load/get/28/88/0), write (w/write/wr/s/store/set/put/2a/8a/1) or instruction fetch (instr/i/ifetch/exec/x), got 'trim'`);
});

test('convert leaves no half-written output behind when the input turns out bad', async () => {
  const input = join(dir, 'half.lackey');
  writeFileSync(input, 'I  1000,1\n'.repeat(200_000) + ' Q 2000,1\n');
  const out = join(dir, 'half.pgt');
  await bad(['convert', '-q', input, out], `${input}:200001: expected a lackey line ('I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or '==PID== message'), got ' Q 2000,1'`);
  const { existsSync } = await import('node:fs');
  assert.equal(existsSync(out), false);
});

test('convert refuses to write over its own input, however the path is spelled', async () => {
  const { existsSync, symlinkSync } = await import('node:fs');
  const input = join(dir, 'self.lirs');
  writeFileSync(input, '1\n2\n3\n');
  const link = join(dir, 'self-link.lirs');
  symlinkSync(input, link);
  for (const out of [input, join(dir, '.', 'self.lirs'), link]) {
    await bad(['convert', '-q', input, out], `command line <out>: expected a file other than the input (the output is written from the start while the input is read), got '${out}'`);
  }
  assert.equal(readFileSync(input, 'utf8'), '1\n2\n3\n');
  assert.equal(existsSync(link), true);
});

test('convert to a text format says the page size is lost, and --page-size gets it back', async () => {
  const { CompactTraceWriter } = await import('../../src/workload/trace/compact.js');
  const pgt = join(dir, 'p16k.pgt');
  const w = new CompactTraceWriter(pgt, { pageSize: 16384, description: 'sixteen' });
  for (let i = 0; i < 50; i++) w.ref(100 + (i % 7), i % 3 === 0 ? 1 : 0, 1);
  w.close();
  for (const ext of ['lackey', 'lirs', 'csv']) {
    const text = join(dir, `p16k.${ext}`);
    const r = await runCli(['convert', '-q', pgt, text]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `warning: ${ext} has no page size: read ${text} back with --page-size 16384 to get 16384-byte pages again\n`);
    const back = JSON.parse(await ok(['inspect', text, '--page-size', '16384', '--json', '-']));
    assert.deepEqual([back.pageSize, back.distinctPages, back.references], [16384, 7, 50]);
  }
  const same = await runCli(['convert', '-q', pgt, join(dir, 'p16k-again.pgt')]);
  assert.equal(same.stderr, '', 'compact keeps the page size: nothing to say');
});

test('convert counts the records it wrote: a text line per reference, where compact merges repeats', async () => {
  const { CompactTraceWriter } = await import('../../src/workload/trace/compact.js');
  const pgt = join(dir, 'repeats.pgt');
  const w = new CompactTraceWriter(pgt, { pageSize: 4096, description: 'repeats' });
  w.ref(5, 0, 3);
  w.ref(6, 1, 2);
  w.close();
  const lirs = join(dir, 'repeats.lirs');
  const r = await runCli(['convert', pgt, lirs]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^wrote .*repeats\.lirs \(lirs\): 5 references in 5 records, from /m);
  assert.equal(readFileSync(lirs, 'utf8'), '5\n5\n5\n6\n6\n');
  const back = await runCli(['convert', lirs, join(dir, 'repeats-again.pgt')]);
  assert.match(back.stderr, /^wrote .*repeats-again\.pgt \(compact\): 5 references in 2 records, from /m);
});

test('a UTF-8 byte-order mark before the first line is skipped, in id and CSV traces alike', async () => {
  const bom = '\ufeff';
  const ids = join(dir, 'bom.lirs');
  writeFileSync(ids, `${bom}1\n2\n1\n`);
  const csv = join(dir, 'bom.csv');
  writeFileSync(csv, `${bom}op,offset\nread,0\nwrite,4096\n`);
  for (const [file, refs, pages] of [[ids, 3, 2], [csv, 2, 2]] as const) {
    const r = JSON.parse(await ok(['inspect', file, '--json', '-']));
    assert.deepEqual([r.references, r.distinctPages], [refs, pages], file);
  }
});

test('convert to an output that cannot be written: bad input for every format, not a crash', async () => {
  const input = join(dir, 'w.lirs');
  writeFileSync(input, '1\n2\n');
  for (const ext of ['pgt', 'lirs', 'lackey', 'csv']) {
    const out = join(dir, 'no-such-dir', `x.${ext}`);
    await bad(['convert', '-q', input, out], `${out}: expected a writable file, got no such directory`);
  }
});

test('a pipe as the trace: exit 2 and a message saying why, not a crash on the format sniff', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'compare', '/dev/stdin', '--frames', '2', '--policies', 'lru'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)), input: '1\n2\n1\n', encoding: 'utf8',
  });
  assert.equal(r.status, 2, r.stderr);
  // node hands a child its input through a socket; from a shell's `|` it is a pipe
  assert.match(r.stderr, /^error: \/dev\/stdin: expected a regular trace file \(pageout reads a trace's first bytes twice to tell its format; save a pipe's output to a file first\), got a (socket|pipe)\n$/);
});

test('a truncated gzip or zstd trace is an error, not a shorter trace', async () => {
  const whole = gzipSync(Buffer.from('1\n2\n3\n'.repeat(50_000)));
  const gz = join(dir, 'cut.lirs.gz');
  writeFileSync(gz, whole.subarray(0, 400));
  await bad(['inspect', gz], `${gz}: expected valid gzip-compressed data, got the end of the file in the middle of the compressed data (truncated after byte 400)`);
  const zst = join(dir, 'cut.lackey.zst');
  writeFileSync(zst, readFileSync(`${FIXTURES}true-excerpt.lackey.zst`).subarray(0, 1000));
  await bad(['inspect', zst], `${zst}: expected valid zstd-compressed data, got unexpected EOF at the end of the file (truncated after byte 1000?)`);
});
