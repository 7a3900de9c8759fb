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

test('SHARDS errors on the shared traces stay within what the README states', { skip: !HAVE_TRACES }, () => {
  // measured mean |Δ miss ratio| over 24 log-spaced sizes; bounds are the README's, rounded up
  const cases: [string, number, number][] = [
    ['sprite', 0.1, 0.02],
    ['multi3', 0.1, 0.03],
    ['cloudPhysicsIO', 0.1, 0.06],
    ['cloudPhysicsIO', 0.01, 0.08],
    ['loop', 0.1, 1e-12],
  ];
  for (const [name, rate, bound] of cases) {
    const t = sharedTrace(name);
    const sizes = defaultSizes(t.pageCount);
    const sampled = shardsCurve(t, rate);
    const err = curveError(lruCurve(t), sampled, sizes);
    assert.ok(err.mean <= bound, `${name} at rate ${rate}: mean error ${err.mean}`);
    assert.ok(sampled.sampledPages < t.pageCount * rate * 2 && sampled.sampledPages > t.pageCount * rate * 0.5, `${name}: ${sampled.sampledPages} pages sampled`);
  }
});

test('SHARDS_adj divides by the expected sample: on cloudPhysicsIO it is closer than the plain estimate', { skip: !HAVE_TRACES }, () => {
  const t = sharedTrace('cloudPhysicsIO');
  const sizes = defaultSizes(t.pageCount);
  const exact = lruCurve(t);
  const plain = curveError(exact, shardsCurve(t, 0.1), sizes).mean;
  const adjusted = curveError(exact, shardsCurve(t, 0.1, true), sizes).mean;
  assert.ok(adjusted <= 0.03 && adjusted < plain, `adjusted ${adjusted}, plain ${plain}`);
});
