/** The compact format: collapsing, exact round trips, header, chunking, truncation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { REF_INSTR, REF_WRITE } from '../../src/kernel/ref-source.js';
import { CompactTraceWriter } from '../../src/workload/trace/compact.js';
import { CompactParser, COMPACT_COUNTS_OFFSET, COMPACT_MAGIC } from '../../src/workload/trace/compact-format.js';
import { openTrace, openTraceBytes } from '../../src/workload/trace/index.js';
import { RefStage } from '../../src/workload/trace/sink.js';
import { ArraySink, drain } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pageout-compact-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let serial = 0;

function write(records: Array<[number, number, number]>, header = { pageSize: 4096, description: 'test' }): { path: string; counts: { records: number; references: number } } {
  const path = join(dir, `t${serial++}.pgt`);
  const w = new CompactTraceWriter(path, header);
  for (const [p, f, c] of records) w.ref(p, f, c);
  return { path, counts: w.close() };
}

function readBack(path: string, chunk = 1 << 20): Array<[number, number, number]> {
  const sink = new ArraySink();
  const parser = new CompactParser(path, sink);
  const bytes = readFileSync(path);
  for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
  parser.end();
  return sink.records;
}

/**
 * readBack through a RefStage, the sink trace readers use: with it the parser decodes the bulk of
 * each chunk in its fast loop (ArraySink sees only the careful one).
 */
function readBackStaged(path: string, chunk: number): Array<[number, number, number]> {
  const stage = new RefStage(16);
  const parser = new CompactParser(path, stage);
  const bytes = readFileSync(path);
  const out: Array<[number, number, number]> = [];
  const take = () => {
    for (let k = 0; k < stage.length; k++) out.push([stage.page[k]!, stage.flags[k]!, stage.count[k]!]);
    stage.clear();
  };
  for (let i = 0; i < bytes.length; i += chunk) {
    parser.push(bytes.subarray(i, i + chunk));
    take();
  }
  parser.end();
  return out;
}

test('consecutive references to one page with the same flags collapse into one record with a count', () => {
  const { path, counts } = write([[5, 0, 1], [5, 0, 1], [5, 0, 3], [5, REF_WRITE, 1], [5, REF_WRITE, 1], [6, 0, 1], [5, 0, 1]]);
  assert.deepEqual(counts, { records: 4, references: 9 });
  assert.deepEqual(readBack(path), [[5, 0, 5], [5, REF_WRITE, 2], [6, 0, 1], [5, 0, 1]]);
});

test('a count that would pass 2^32 − 1 starts a new record', () => {
  const max = 0xffffffff;
  const { path, counts } = write([[1, 0, max - 1], [1, 0, 1], [1, 0, 1]]);
  assert.deepEqual(counts, { records: 2, references: max + 1 });
  assert.deepEqual(readBack(path), [[1, 0, max], [1, 0, 1]]);
});

test('header keeps page size, description and command line; counts are patched at close', () => {
  const path = join(dir, 'h.pgt');
  const w = new CompactTraceWriter(path, { pageSize: 16384, description: 'lackey trace of sort — ünïcode', command: ['sort', '-n', 'a file.txt'] });
  w.ref(1, REF_INSTR, 1);
  w.ref(2, 0, 1);
  w.close();
  const source = openTrace(path);
  assert.deepEqual(source.compactHeader, {
    version: 1, pageSize: 16384, description: 'lackey trace of sort — ünïcode', command: ['sort', '-n', 'a file.txt'],
    records: 2, references: 2, headerBytes: source.compactHeader!.headerBytes,
  });
  assert.equal(source.pageSize, 16384);
  assert.equal(source.totalRefs, 2);
  assert.deepEqual(Array.from(readFileSync(path).subarray(0, 8)), Array.from(COMPACT_MAGIC));
  source.close();
});

test('any record stream round-trips exactly (pages up to 2^53 − 1, all flags, counts), in any chunking', () => {
  const record = fc.tuple(
    // deltas of every varint length: the reader's bulk loop takes those below 2^24, its careful one the rest
    fc.oneof(fc.nat({ max: 100 }), fc.nat({ max: 1 << 10 }), fc.nat({ max: 1 << 17 }), fc.nat({ max: 1 << 24 }), fc.nat({ max: 1 << 30 }), fc.constantFrom(0, 2 ** 31, 2 ** 32 + 7, 2 ** 52, Number.MAX_SAFE_INTEGER)),
    fc.nat({ max: 3 }),
    fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 0xffffffff })),
  );
  const chunking = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 4096 }));
  fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 200 }), chunking, (records, chunk) => {
    const { path, counts } = write(records);
    // the expected stream: consecutive equal (page, flags) merged while the count fits
    const expected: Array<[number, number, number]> = [];
    for (const [p, f, c] of records) {
      const last = expected[expected.length - 1];
      if (last && last[0] === p && last[1] === f && last[2] + c <= 0xffffffff) last[2] += c;
      else expected.push([p, f, c]);
    }
    assert.deepEqual(readBack(path, chunk), expected);
    assert.deepEqual(readBackStaged(path, chunk), expected);
    assert.equal(counts.records, expected.length);
    assert.equal(counts.references, records.reduce((n, r) => n + r[2], 0));
  }), { numRuns: 300 });
});

test('per-kind deltas keep an alternating code/data stream near one byte a record', () => {
  const records: Array<[number, number, number]> = [];
  for (let i = 0; i < 10000; i++) {
    records.push([0x401000 + (i >> 6), REF_INSTR, 1]);
    records.push([0x1fff000 - (i >> 8), i & 1 ? REF_WRITE : 0, 1]);
  }
  const { path } = write(records);
  const bytes = readFileSync(path).length;
  assert.ok(bytes < 20000 * 1.1 + 200, `${bytes} bytes for 20000 records`);
});

test('a truncated compact file ends with an error naming the offset, not a shorter trace', () => {
  // 999 one-byte records (delta +1), then one of 4 bytes (delta 2^20: 3 varint bytes)
  const records: Array<[number, number, number]> = [];
  for (let i = 1; i < 1000; i++) records.push([i, 0, 1]);
  records.push([999 + (1 << 20), 0, 1]);
  const { path } = write(records, { pageSize: 4096, description: 'x' });
  const bytes = readFileSync(path);
  const cut = join(dir, 'cut.pgt');
  // cut inside the last record: its bytes run out
  writeFileSync(cut, bytes.subarray(0, bytes.length - 2));
  assert.throws(() => drain(openTrace(cut)), {
    name: 'InputError',
    message: `${cut} (byte ${bytes.length - 4}): expected a complete record, got end of file after 2 byte(s) of it (truncated)`,
  });
  // cut between records: the header's count says what is missing
  writeFileSync(cut, bytes.subarray(0, bytes.length - 4));
  assert.throws(() => drain(openTrace(cut)), {
    name: 'InputError',
    message: `${cut} (byte ${bytes.length - 4}): expected 1000 records (1000 references) as the header says, got 999 records (999 references): the file is truncated`,
  });
  // whole records, but a header whose reference count is off: not called truncated
  const wrongCount = Buffer.from(bytes);
  const view = new DataView(wrongCount.buffer, wrongCount.byteOffset, wrongCount.byteLength);
  const refsAt = COMPACT_COUNTS_OFFSET + 8; // the reference count follows the record count
  view.setBigUint64(refsAt, view.getBigUint64(refsAt, true) + 5n, true);
  writeFileSync(cut, wrongCount);
  assert.throws(() => drain(openTrace(cut)), {
    name: 'InputError',
    message: `${cut} (byte ${bytes.length}): expected 1000 records (1005 references) as the header says, got 1000 records (1000 references): the records are all there, so the header's reference count or a record's repeat count is wrong`,
  });
  // cut inside the header
  writeFileSync(cut, bytes.subarray(0, 20));
  assert.throws(() => drain(openTrace(cut)), {
    name: 'InputError',
    message: `${cut} (byte 20): expected a complete compact trace header, got end of file (truncated)`,
  });
});

test('a trace whose writer never closed is refused', () => {
  // a crash between open and close: the header on disk still has all-ones counts
  const path = join(dir, 'open.pgt');
  const w = new CompactTraceWriter(path, { pageSize: 4096, description: 'test' });
  const header = readFileSync(path);
  w.close();
  const records = readFileSync(write([[1, 0, 1], [2, 0, 1]]).path).subarray(header.length);
  assert.throws(() => drain(openTraceBytes(Buffer.concat([header, records]), 'open.pgt')), {
    name: 'InputError',
    message: 'open.pgt (byte 24): expected a closed compact trace (counts in the header), got one its writer never closed, 2 records long',
  });
});

test('a header is checked field by field: the page size as --page-size takes it, reserved bytes 0, lengths that fit', () => {
  const good = readFileSync(write([[1, 0, 1], [2, 0, 1]]).path);
  const patched = (offset: number, value: number, bytes = 4): Buffer => {
    const b = Buffer.from(good);
    if (bytes === 4) b.writeUInt32LE(value, offset);
    else b.writeUInt16LE(value, offset);
    return b;
  };
  const refused = (bytes: Buffer, message: string) => assert.throws(() => drain(openTraceBytes(bytes, 'h.pgt')), { name: 'InputError', message });
  // a page size of 3 bytes divided every address by 3 and was reported as such
  refused(patched(16, 3), 'h.pgt (byte 16): expected a page size that is a power of two from 1 byte to 1GiB, got 3');
  refused(patched(16, 0xffffffff), 'h.pgt (byte 16): expected a page size that is a power of two from 1 byte to 1GiB, got 4294967295');
  refused(patched(10, 5, 2), 'h.pgt (byte 10): expected a reserved header byte of 0, got byte 05');
  refused(patched(21, 1, 2), 'h.pgt (byte 21): expected a reserved header byte of 0, got byte 01');
  // the argument count that cannot fit is named at its own field, not as an impossible header length
  refused(patched(44, 0x10000000), 'h.pgt (byte 44): expected an argument count of at most 262131 (the header holds at most 1048576 bytes), got 268435456');
  assert.throws(() => new CompactTraceWriter(join(dir, 'w.pgt'), { pageSize: 3, description: 'x' }), /bad page size 3/);
});
