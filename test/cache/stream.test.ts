/**
 * Streaming replay (src/cache/stream.ts): one policy at one size, and the LRU curves, read straight
 * from a trace with per-page arrays grown as pages appear, must give exactly what the loaded-trace
 * path gives: misses, write-backs, references, distinct pages, every point of the curves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  buildDenseTrace,
  findPolicy,
  lruCurve,
  POLICIES,
  policySpec,
  runPolicy,
  shardsCurve,
  streamCurves,
  streamPolicy,
  type PolicySpec,
} from '../../src/cache/index.js';
import { REF_WRITE, type RefBatch, type RefSource } from '../../src/kernel/ref-source.js';
import { openTrace } from '../../src/workload/trace/index.js';
import { HAVE_TRACES, tracePath } from './traces.js';

const AT = { file: 'test' };
const STREAMABLE = POLICIES.filter((p) => !p.needsNextUse);

interface Rec {
  page: number;
  write: boolean;
  count: number;
}

/** Records as a RefSource handing out at most `batchLimit` records a read (batches of odd sizes). */
function recordsSource(records: readonly Rec[], batchLimit: number): RefSource {
  let at = 0;
  return {
    description: 'records',
    close() {},
    read(b: RefBatch) {
      let k = 0;
      while (k < Math.min(b.capacity, batchLimit) && at < records.length) {
        const r = records[at++]!;
        b.page[k] = r.page;
        b.flags[k] = r.write ? REF_WRITE : 0;
        b.count[k] = r.count;
        k++;
      }
      return k;
    },
  };
}

function specOf(name: string): PolicySpec {
  const f = findPolicy(name)!;
  return policySpec(f, f.parseParams(new Map(), AT));
}

// pages from a small range (hits), and large sparse numbers (the hashed side of the id map)
const page = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 2 ** 40, max: 2 ** 40 + 5 }));
const rec = fc.record({ page, write: fc.boolean(), count: fc.oneof(fc.constant(1), fc.constant(1), fc.integer({ min: 2, max: 4 })) });

test('every policy streamed with growing arrays equals its run over the loaded trace (random traces, 1–12 frames)', () => {
  fc.assert(
    fc.property(fc.array(rec, { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 50 }), (records, frames, batchLimit) => {
      const loaded = buildDenseTrace(recordsSource(records, 1 << 30));
      for (const f of STREAMABLE) {
        const spec = specOf(f.name);
        const expected = runPolicy(loaded, spec, frames);
        // initialPages 1: every doubling of the page count happens mid-stream
        const { row, trace } = streamPolicy(recordsSource(records, batchLimit), spec, frames, { initialPages: 1 });
        assert.deepEqual(row, expected, `${f.name} at ${frames} frames`);
        assert.equal(trace.pageCount, loaded.pageCount);
        assert.equal(trace.requests, loaded.requests);
      }
    }),
    { numRuns: 120, seed: 20261126 },
  );
});

test('the streamed LRU curves equal lruCurve and shardsCurve over the loaded trace', () => {
  fc.assert(
    fc.property(fc.array(rec, { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (records, batchLimit) => {
      const loaded = buildDenseTrace(recordsSource(records, 1 << 30));
      const { exact, sampled, trace } = streamCurves(recordsSource(records, batchLimit), { exact: true, sampleRate: 0.5 }, { initialPages: 1 });
      const wantExact = lruCurve(loaded);
      const wantSampled = shardsCurve(loaded, 0.5);
      assert.deepEqual([...exact!.histogram], [...wantExact.histogram]);
      assert.equal(exact!.coldMisses, wantExact.coldMisses);
      assert.equal(sampled!.sampledPages, wantSampled.sampledPages);
      for (let c = 1; c <= loaded.pageCount + 1; c++) {
        assert.equal(exact!.missesAt(c), wantExact.missesAt(c), `exact at ${c}`);
        assert.equal(sampled!.missRatioAt(c), wantSampled.missRatioAt(c), `sampled at ${c}`);
      }
      assert.equal(trace.pageCount, loaded.pageCount);
    }),
    { numRuns: 150, seed: 11 },
  );
});

test('below a policy\'s smallest size the streamed row says why, and still counts the references', () => {
  const records = [1, 2, 3, 1].map((p) => ({ page: p, write: false, count: 2 }));
  const lirs = findPolicy('lirs')!;
  const { row, trace } = streamPolicy(recordsSource(records, 3), specOf('lirs'), lirs.minCapacity - 1);
  assert.equal(row.misses, null);
  assert.equal(row.note, `lirs needs at least ${lirs.minCapacity} frames`);
  assert.equal(row.requests, 8);
  assert.equal(trace.pageCount, 3);
});

test('OPT cannot stream: it needs the next use of every reference', () => {
  assert.throws(() => streamPolicy(recordsSource([{ page: 1, write: false, count: 1 }], 1), specOf('opt'), 1), /opt needs the whole trace/);
});

test('streamed from the shared trace files, every policy equals the loaded-trace run', { skip: !HAVE_TRACES && 'no ../shared/traces' }, () => {
  for (const name of ['cpp', 'sprite', 'spec-gcc', 'cloudPhysicsIO']) {
    const read = () => openTrace(tracePath(name));
    const source = read();
    const loaded = buildDenseTrace(source);
    source.close();
    for (const frames of [Math.max(2, Math.round(loaded.pageCount / 10)), Math.round(loaded.pageCount / 2)]) {
      for (const f of STREAMABLE) {
        const spec = specOf(f.name);
        const s = read();
        const { row } = streamPolicy(s, spec, frames, { initialPages: 64 });
        s.close();
        assert.deepEqual(row, runPolicy(loaded, spec, frames), `${name}: ${f.name} at ${frames} frames`);
      }
    }
    const s = read();
    const { exact } = streamCurves(s, { exact: true });
    s.close();
    assert.deepEqual([...exact!.histogram], [...lruCurve(loaded).histogram], `${name}: LRU curve`);
  }
});
