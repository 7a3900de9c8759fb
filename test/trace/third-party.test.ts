/**
 * Every reader reads the third-party traces in ../shared/traces and finds the counts in their
 * README (references / distinct pages). The SPEC traces have no published counts: theirs are
 * pinned here and were cross-checked with a Python one-liner
 * (`int(addr, 16) // 4096` over `gzip.open(f, 'rt')`) when this test was written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { nodeGunzip, openTrace, openTraceBytes } from '../../src/workload/trace/index.js';
import { HAVE_SHARED_TRACES, SHARED_TRACES, drain } from './helpers.js';

const skip = !HAVE_SHARED_TRACES && '../shared/traces is not beside the checkout';

/** From ../shared/traces/README.md; gli: see the test below. */
const LIRS: Record<string, [number, number]> = {
  '2_pools': [100_000, 9_939], backf: [9_000, 751], cpp: [9_047, 1_223], cs: [6_781, 1_409],
  gli: [6_015, 2_529], loop: [505_500, 1_011], multi1: [15_858, 2_606], multi2: [26_311, 5_684],
  multi3: [30_241, 7_454], ps: [10_448, 3_083], scan: [50_025, 2_001], sprite: [133_996, 7_075],
  zigzag: [52_001, 2_001],
};

for (const [name, [references, distinct]] of Object.entries(LIRS)) {
  test(`LIRS ${name}: ${references} references, ${distinct} distinct blocks`, { skip }, () => {
    const source = openTrace(`${SHARED_TRACES}lirs/${name}.trace.gz`);
    assert.equal(source.format, 'lirs');
    const r = drain(source);
    assert.equal(r.references, references);
    assert.equal(r.records, references);
    assert.equal(r.distinctPages, distinct);
    assert.equal(r.writes, 0);
  });
}

test('LIRS gli: the README counts its trailing blank line as a reference; it is not one', { skip }, () => {
  // README says 6,016 / 2,530: that is `wc -l`, and line 6016 of gli is empty. A blank line
  // names no block, so the reader skips it: 6,015 references to 2,529 blocks.
  const text = gunzipSync(readFileSync(`${SHARED_TRACES}lirs/gli.trace.gz`)).toString('latin1');
  const lines = text.split('\n');
  assert.equal(lines.length - 1, 6016);
  assert.equal(lines[6015], '');
  assert.equal(lines.slice(0, 6015).filter((l) => /^\d+$/.test(l)).length, 6015);
});

test('LIRS loop has CRLF line ends and reads the same as with LF', { skip }, () => {
  const raw = gunzipSync(readFileSync(`${SHARED_TRACES}lirs/loop.trace.gz`));
  assert.ok(raw.includes('\r\n'));
  const lf = Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  const a = drain(openTraceBytes(raw, 'loop.trace'));
  const b = drain(openTraceBytes(lf, 'loop.trace'));
  assert.deepEqual(a, b);
});

test('cloudPhysics oracleGeneral: 113,872 requests, 48,974 distinct blocks', { skip }, () => {
  const source = openTrace(`${SHARED_TRACES}cloudphysics/cloudPhysicsIO.oracleGeneral.bin.gz`);
  assert.equal(source.format, 'oracleGeneral');
  const r = drain(source);
  assert.equal(r.references, 113_872);
  assert.equal(r.distinctPages, 48_974);
  assert.equal(r.writes, 0); // the format has no operation field
});

test('cloudPhysics CSV: the same 113,872 / 48,974, lbn read as block ids, SCSI opcodes as read/write', { skip }, () => {
  const source = openTrace(`${SHARED_TRACES}cloudphysics/cloudPhysicsIO.csv.gz`);
  assert.equal(source.format, 'csv');
  const r = drain(source, true);
  assert.equal(r.references, 113_872);
  assert.equal(r.distinctPages, 48_974);
  // op 2a (SCSI WRITE(10)) on 66,898 lines, 28 (READ(10)) on 46,974 (counted with awk -F,)
  assert.equal(r.writes, 66_898);
  // and the same blocks in the same order as the oracleGeneral form
  const oracle = drain(openTrace(`${SHARED_TRACES}cloudphysics/cloudPhysicsIO.oracleGeneral.bin.gz`), true);
  assert.deepEqual(r.refs!.map(([p]) => p), oracle.refs!.map(([p]) => p));
});

test('cloudPhysics CSV in byte mode: 512-byte sectors spread over 4 KiB pages', { skip }, () => {
  // lbn × 512 bytes, size bytes long; counted independently with awk and with Python:
  // for each line, pages (lbn*512) // 4096 .. (lbn*512 + size - 1) // 4096
  const r = drain(openTrace(`${SHARED_TRACES}cloudphysics/cloudPhysicsIO.csv.gz`, { csv: { offsetUnit: 512 } }));
  assert.equal(r.references, 1_141_869);
  assert.equal(r.distinctPages, 269_210);
});

/** [references, distinct 4 KiB pages, stores, distinct 16 KiB pages] */
const SPEC: Record<string, [number, number, number, number]> = {
  gcc: [515_683, 294, 197_486, 173],
  gzip: [481_044, 39_856, 160_603, 9_980],
  mcf: [727_230, 1_442, 721_258, 372],
  swim: [303_193, 135, 82_525, 69],
  twolf: [482_824, 89, 131_421, 54],
};

for (const [name, [references, distinct, stores, distinct16k]] of Object.entries(SPEC)) {
  test(`SPEC ${name}: ${references} references, ${distinct} distinct 4 KiB pages, ${stores} stores`, { skip }, () => {
    const source = openTrace(`${SHARED_TRACES}spec-address/${name}.trace.gz`);
    assert.equal(source.format, 'spec');
    const r = drain(source);
    assert.equal(r.references, references);
    assert.equal(r.distinctPages, distinct);
    assert.equal(r.writes, stores);
    const big = drain(openTrace(`${SHARED_TRACES}spec-address/${name}.trace.gz`, { pageSize: 16384 }));
    assert.equal(big.distinctPages, distinct16k);
  });
}

test('openTraceBytes with the Node gunzip hook reads what openTrace reads', { skip }, () => {
  const bytes = readFileSync(`${SHARED_TRACES}lirs/sprite.trace.gz`);
  const r = drain(openTraceBytes(bytes, 'sprite.trace.gz', { gunzip: nodeGunzip }));
  assert.deepEqual([r.references, r.distinctPages], [133_996, 7_075]);
});
