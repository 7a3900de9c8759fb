/** The one-pass LRU miss-ratio curve against per-size LRU runs, and SHARDS sampling. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildDenseTrace,
  curveError,
  defaultSizes,
  denseTraceOf,
  lruCurve,
  Lru,
  replay,
  shardsCurve,
  type DenseTrace,
} from '../../src/cache/index.js';
import { shardsHash } from '../../src/cache/mrc.js';
import { REF_WRITE, type RefBatch, type RefSource } from '../../src/kernel/ref-source.js';
import { HAVE_TRACES, sharedTrace } from './traces.js';

function lruMisses(trace: DenseTrace, frames: number): number {
  return replay(trace, new Lru(frames, trace.pageCount)).misses;
}

test('the one-pass curve equals an LRU run at every size, for random traces (slot renumbering included)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 600 }), (pages) => {
      const trace = denseTraceOf(pages);
      const curve = lruCurve(trace);
      for (let c = 1; c <= trace.pageCount + 1; c++) assert.equal(curve.missesAt(c), lruMisses(trace, c), `at ${c} frames`);
    }),
    { numRuns: 200, seed: 3 },
  );
});

test('repeat counts: a record of count c is c references, the last c − 1 at distance 1', () => {
  const records: [number, number][] = [[5, 3], [6, 1], [5, 2], [7, 4], [6, 1]];
  let at = 0;
  const source: RefSource = {
    description: 'records',
    close() {},
    read(b: RefBatch) {
      let k = 0;
      for (; at < records.length && k < b.capacity; at++, k++) {
        b.page[k] = records[at]![0];
        b.count[k] = records[at]![1];
        b.flags[k] = k === 0 ? REF_WRITE : 0;
      }
      return k;
    },
  };
  const trace = buildDenseTrace(source);
  assert.equal(trace.requests, 11);
  const curve = lruCurve(trace);
  // first refs: 5, 6, 7 cold; 5 again at distance 2, 6 again at distance 3; repeats 2 + 1 + 3 at distance 1
  assert.deepEqual([curve.coldMisses, curve.histogram[1], curve.histogram[2], curve.histogram[3]], [3, 6, 1, 1]);
  for (let c = 1; c <= 4; c++) assert.equal(curve.missesAt(c), lruMisses(trace, c));
});

test('on the shared traces the one-pass curve equals per-size LRU runs exactly', { skip: !HAVE_TRACES }, () => {
  const cpp = sharedTrace('cpp');
  const curve = lruCurve(cpp);
  for (let c = 1; c <= cpp.pageCount; c++) assert.equal(curve.missesAt(c), lruMisses(cpp, c), `cpp at ${c}`);
  for (const name of ['sprite', 'multi3', 'loop', 'spec-gcc', 'cloudPhysicsIO']) {
    const t = sharedTrace(name);
    const k = lruCurve(t);
    for (const c of defaultSizes(t.pageCount, 12)) assert.equal(k.missesAt(c), lruMisses(t, c), `${name} at ${c}`);
  }
});

test('SHARDS at rate 1 is the exact curve', { skip: !HAVE_TRACES }, () => {
  const t = sharedTrace('multi2');
  const sizes = defaultSizes(t.pageCount);
  assert.deepEqual(curveError(lruCurve(t), shardsCurve(t, 1), sizes), { mean: 0, max: 0 });
});

test('the sampling hash is MurmurHash3_x86_32 of the page as 8 little-endian bytes, seeded', () => {
  // expected values from Python's mmh3 5.x: mmh3.hash(struct.pack('<Q', page), 0x7feb352d, signed=False)
  const cases: [number, number][] = [
    [0, 1541489397],
    [1, 4247159243],
    [2, 19262320],
    [12345, 3588302103],
    [2 ** 32 + 7, 1753064347],
    [2 ** 52 + 3, 669321767],
  ];
  for (const [page, hash] of cases) assert.equal(shardsHash(page), hash, `page ${page}`);
});

test('SHARDS does not keep page 0 at every rate: it is sampled only when its hash is under the threshold', () => {
  // traces number pages from 0; an unseeded murmur3 finaliser hashes 0 to 0, below every threshold
  assert.equal(shardsCurve(denseTraceOf([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 0]), 0.001).sampledPages, 0);
  const onlyZero = denseTraceOf([0, 0, 0]);
  const zeroAt = shardsHash(0) / 2 ** 32; // ≈ 0.359
  assert.equal(shardsCurve(onlyZero, zeroAt * 0.99).sampledPages, 0);
  assert.equal(shardsCurve(onlyZero, zeroAt * 1.01).sampledPages, 1);
});

test('the sampling hash keeps a share of pages close to the rate, for page numbers of every shape', () => {
  const n = 1_000_000;
  const shapes: [string, (i: number) => number][] = [
    ['consecutive pages', (i) => i],
    ['byte addresses of 4 KiB pages', (i) => i * 4096],
    ['1 MiB strides', (i) => i * 1048576],
    ['numbers above 2^32', (i) => 2 ** 40 + i * 7],
  ];
  for (const [shape, pageAt] of shapes) {
    const hashes = new Float64Array(n);
    for (let i = 0; i < n; i++) hashes[i] = shardsHash(pageAt(i));
    for (const rate of [0.5, 0.1, 0.01, 0.001]) {
      const threshold = rate * 2 ** 32;
      let kept = 0;
      for (let i = 0; i < n; i++) if (hashes[i]! < threshold) kept++;
      // a fair hash keeps a binomial(n, rate) count: within 4 standard deviations of n × rate
      const sd = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(kept - n * rate) <= 4 * sd, `${shape} at rate ${rate}: ${kept} of ${n} kept`);
    }
  }
});

test('SHARDS errors on the shared traces are the figures the README gives', { skip: !HAVE_TRACES }, () => {
  // mean |Δ miss ratio| over 24 log-spaced sizes, as `pageout mrc --sample RATE --check` prints it
  const cases: [string, number, string][] = [
    ['sprite', 0.1, '0.0094'],
    ['multi3', 0.1, '0.0175'],
    ['cloudPhysicsIO', 0.1, '0.0394'],
    ['cloudPhysicsIO', 0.01, '0.0833'],
    ['loop', 0.1, '0.0000'],
  ];
  for (const [name, rate, mean] of cases) {
    const t = sharedTrace(name);
    const sizes = defaultSizes(t.pageCount);
    const sampled = shardsCurve(t, rate);
    const err = curveError(lruCurve(t), sampled, sizes);
    assert.equal(err.mean.toFixed(4), mean, `${name} at rate ${rate}`);
    assert.ok(sampled.sampledPages < t.pageCount * rate * 2 && sampled.sampledPages > t.pageCount * rate * 0.5, `${name}: ${sampled.sampledPages} pages sampled`);
  }
});

test('SHARDS_adj divides by the expected sample: on cloudPhysicsIO it is closer than the plain estimate', { skip: !HAVE_TRACES }, () => {
  const t = sharedTrace('cloudPhysicsIO');
  const sizes = defaultSizes(t.pageCount);
  const exact = lruCurve(t);
  const plain = curveError(exact, shardsCurve(t, 0.1), sizes).mean;
  const adjusted = curveError(exact, shardsCurve(t, 0.1, true), sizes).mean;
  assert.deepEqual([adjusted.toFixed(4), plain.toFixed(4)], ['0.0192', '0.0394']); // the README's figures
});
