/**
 * --warmup: the first references fill the cache and are not counted. Every policy's counts equal
 * a replay that counts reference by reference; the causal ones (all but OPT) also equal the whole
 * run less a run over the warm-up alone, which is how the LRU curves and the mach row get theirs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  afterWarmup,
  buildDenseTrace,
  denseTraceOf,
  lruCurve,
  curveAfterWarmup,
  POLICIES,
  policySpec,
  prefixOf,
  runPolicy,
  type DenseTrace,
} from '../../src/cache/index.js';
import { NEVER } from '../../src/cache/policy.js';
import { REF_WRITE, type RefBatch, type RefSource } from '../../src/kernel/ref-source.js';
import { CompactTraceWriter } from '../../src/workload/trace/compact.js';
import { runCli } from '../cli/harness.js';

const AT = { file: 'test' };

/** A trace with repeated records: [page, write, count] each. */
const recordsArb = fc
  .integer({ min: 1, max: 25 })
  .chain((pages) => fc.array(fc.tuple(fc.integer({ min: 0, max: pages - 1 }), fc.boolean(), fc.integer({ min: 1, max: 4 })), { minLength: 2, maxLength: 150 }));

/**
 * The dense trace of `records`, read through a RefSource so repeat counts arrive as a compact
 * trace's do (and stay repeats), and its references expanded.
 */
function traceOf(records: [number, boolean, number][]): { trace: DenseTrace; pages: number[]; writes: boolean[] } {
  const pages: number[] = [];
  const writes: boolean[] = [];
  for (const [p, w, c] of records) for (let k = 0; k < c; k++) { pages.push(p); writes.push(w); }
  let done = false;
  const source: RefSource = {
    description: 'records',
    close() {},
    read(b: RefBatch) {
      if (done) return 0;
      done = true;
      records.forEach(([p, w, c], i) => { b.page[i] = p; b.flags[i] = w ? REF_WRITE : 0; b.count[i] = c; });
      return records.length;
    },
  };
  return { trace: buildDenseTrace(source), pages, writes };
}

/** Misses and write-backs counted reference by reference from index `warmup` on. */
function countedFrom(spec: ReturnType<typeof policySpec>, frames: number, trace: DenseTrace, pages: number[], writes: boolean[], warmup: number) {
  const policy = spec.factory.create(frames, spec.params, trace.pageCount);
  // next uses by reference, for OPT
  const ids = pages.map((p) => trace.pages.indexOf(p));
  let misses = 0;
  let before = 0;
  for (let t = 0; t < ids.length; t++) {
    if (t === warmup) before = policy.writebacks;
    const next = ids.indexOf(ids[t]!, t + 1);
    const hit = policy.access(ids[t]!, writes[t]!, next === -1 ? NEVER : next);
    if (t >= warmup && !hit) misses++;
  }
  return { misses, writebacks: policy.writebacks - before };
}

test('prefixOf is the trace of the first n references, a repeated record cut inside', () => {
  fc.assert(
    fc.property(recordsArb, fc.nat(), (records, pick) => {
      const { trace, pages, writes } = traceOf(records);
      const n = 1 + (pick % (trace.requests - 1));
      const prefix = prefixOf(trace, n);
      const fresh = denseTraceOf(pages.slice(0, n), writes.slice(0, n));
      assert.equal(prefix.requests, n);
      assert.equal(prefix.pageCount, fresh.pageCount);
      assert.deepEqual([...prefix.pages], [...fresh.pages]);
      // the same references: expand both
      const expand = (t: DenseTrace) => {
        const out: number[] = [];
        let k = 0;
        for (let r = 0; r < t.records; r++) {
          const c = k < t.repeatAt.length && t.repeatAt[k] === r ? t.repeatCount[k++]! : 1;
          for (let j = 0; j < c; j++) out.push(t.ids[r]! * 2 + t.writes[r]!);
        }
        return out;
      };
      assert.deepEqual(expand(prefix), expand(fresh));
    }),
    { numRuns: 300, seed: 21 },
  );
});

test('with a warm-up, every policy counts what a reference-by-reference replay counts after it, and the causal ones the whole run less the warm-up\'s', () => {
  fc.assert(
    fc.property(recordsArb, fc.nat(), fc.integer({ min: 1, max: 12 }), (records, pick, frames) => {
      const { trace, pages, writes } = traceOf(records);
      const warmup = 1 + (pick % (trace.requests - 1));
      for (const f of POLICIES) {
        if (frames < f.minCapacity) continue;
        const spec = policySpec(f, f.parseParams(new Map(), AT));
        const row = runPolicy(trace, spec, frames, undefined, warmup);
        const want = countedFrom(spec, frames, trace, pages, writes, warmup);
        assert.equal(row.requests, trace.requests - warmup, f.name);
        assert.deepEqual([row.misses, row.writebacks], [want.misses, want.writebacks], `${f.name} at ${frames} frames, warm-up ${warmup}`);
        if (f.needsNextUse) continue; // OPT's first choices depend on what follows the warm-up
        const subtracted = afterWarmup(runPolicy(trace, spec, frames), runPolicy(prefixOf(trace, warmup), spec, frames), warmup);
        assert.deepEqual([subtracted.misses, subtracted.writebacks], [row.misses, row.writebacks], `${f.name}: whole less warm-up`);
      }
      // the exact LRU curve the same way, at every size
      const curve = curveAfterWarmup(lruCurve(trace), lruCurve(prefixOf(trace, warmup)), warmup, trace.requests);
      const lru = policySpec(POLICIES.find((p) => p.name === 'lru')!, {});
      assert.equal(curve.missesAt(frames), runPolicy(trace, lru, frames, undefined, warmup).misses);
    }),
    { numRuns: 150, seed: 22 },
  );
});

test('compare and mrc --warmup: streamed and loaded agree, mach is its whole run less the warm-up\'s, and the messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-warmup-'));
  try {
    const path = join(dir, 'loop.pgt');
    const w = new CompactTraceWriter(path, { pageSize: 4096, description: 'test' });
    let loop = 0;
    for (let i = 0; i < 30000; i++) w.ref(i % 3 === 0 ? 1000 + (loop++ % 600) : 1000 + ((i * 13) % 40), i % 5 === 0 ? 1 : 0, i % 7 === 0 ? 3 : 1);
    w.close();
    const json = async (args: string[]) => {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const loaded = await json(['compare', path, '--frames', '300', '--policies', 'lru,opt,mach', '--warmup', '5000', '--json', '-']);
    const streamed = await json(['compare', path, '--frames', '300', '--policies', 'lru', '--warmup', '5000', '--json', '-']);
    assert.deepEqual(streamed[0], loaded.find((r: { policy: string }) => r.policy === 'lru'));
    assert.equal(streamed[0].requests, (await json(['compare', path, '--frames', '300', '--policies', 'lru', '--json', '-']))[0].requests - 5000);
    // mach: the whole run less the run over the first 5,000 references
    const whole = (await json(['compare', path, '--frames', '300', '--policies', 'mach', '--json', '-']))[0];
    const first = (await json(['compare', path, '--frames', '300', '--policies', 'mach', '--max-refs', '5000', '--json', '-']))[0];
    const mach = loaded.find((r: { policy: string }) => r.policy === 'mach');
    assert.deepEqual([mach.misses, mach.writebacks], [whole.misses - first.misses, whole.writebacks - first.writebacks]);
    // every page appears in the first loop: no compulsory miss is left after 5,000 references
    assert.equal(mach.compulsoryMisses, 0);
    // mrc's one-pass curve, streamed, equals LRU simulated with the warm-up
    const curve = await json(['mrc', path, '--frames', '300', '--warmup', '5000', '--json', '-']);
    assert.equal(curve.warmup, 5000);
    assert.equal(curve.curves[0].points[0].misses, streamed[0].misses);
    const text = await runCli(['compare', path, '--frames', '300', '--policies', 'lru', '--warmup', '5000']);
    assert.match(text.stdout, /; counted after a warm-up of 5,000 references\n/);
    assert.match(text.stdout, /every row's misses include the 0 compulsory ones, each page's first reference after the warm-up\n$/);

    const refused = async (args: string[], message: string) => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `error: ${message}\n`);
    };
    await refused(['compare', path, '--frames', '300', '--warmup', '-1'], "command line --warmup: expected a count of references from 0 (none), such as 100000, got '-1'");
    // --warmup 0 is none, as a sweep's warmup: 0 is
    const none = await json(['compare', path, '--frames', '300', '--policies', 'lru', '--warmup', '0', '--json', '-']);
    const plain = await json(['compare', path, '--frames', '300', '--policies', 'lru', '--json', '-']);
    assert.deepEqual(none, plain);
    const total = whole.requests;
    for (const policies of ['lru', 'lru,fifo']) {
      await refused(['compare', path, '--frames', '300', '--policies', policies, '--warmup', String(total)], `command line --warmup: expected fewer references than the trace holds (${total.toLocaleString('en-US')}), got '${total}'`);
    }
    await refused(['mrc', path, '--warmup', '100', '--max-refs', '100'], "command line --warmup: expected fewer references than the trace's slice holds (100), got '100'");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
