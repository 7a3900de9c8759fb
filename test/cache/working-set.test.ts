/**
 * Denning's working set: the one-pass figures equal W(t, τ) counted reference by reference, on
 * random traces with repeated records, and `pageout inspect` reports them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WindowedWorkingSet } from '../../src/cache/index.js';
import { Rng } from '../../src/sim/rng.js';
import { CompactTraceWriter } from '../../src/workload/trace/compact.js';
import { runCli } from '../cli/harness.js';

/** Mean |W(t, τ)| and the references missing W(t − 1, τ), straight from the definition. */
function bruteForce(refs: readonly number[], window: number): { meanPages: number; missRatio: number } {
  let sizes = 0;
  let misses = 0;
  for (let t = 0; t < refs.length; t++) {
    const before = new Set(refs.slice(Math.max(0, t - window), t));
    if (!before.has(refs[t]!)) misses++;
    sizes += new Set(refs.slice(Math.max(0, t - window + 1), t + 1)).size;
  }
  return { meanPages: sizes / refs.length, missRatio: misses / refs.length };
}

test('mean working-set size and miss ratio equal W(t, τ) counted at every t, for every window', () => {
  const rng = new Rng(23);
  for (let trial = 0; trial < 30; trial++) {
    const ws = new WindowedWorkingSet();
    const refs: number[] = [];
    const pages = 1 + rng.below(30);
    const records = 1 + rng.below(300);
    const batchPages = new Float64Array(records);
    const batchCounts = new Uint32Array(records);
    for (let r = 0; r < records; r++) {
      const page = 1000 * rng.below(pages); // not dense: the page numbers are remapped
      const count = rng.below(6) === 0 ? 1 + rng.below(9) : 1;
      batchPages[r] = page;
      batchCounts[r] = count;
      for (let k = 0; k < count; k++) refs.push(page);
    }
    // odd trials one record at a time, even ones in batches of random length (as inspect feeds it)
    for (let r = 0; r < records;) {
      const n = trial % 2 === 1 ? 1 : Math.min(records - r, 1 + rng.below(40));
      if (n === 1) ws.add(batchPages[r]!, batchCounts[r]!);
      else ws.addBatch(batchPages.subarray(r, r + n), batchCounts.subarray(r, r + n), n);
      r += n;
    }
    const points = ws.points();
    assert.deepEqual(points.map((p) => p.window), points.map((_, i) => 2 ** i));
    assert.ok(points[points.length - 1]!.window >= refs.length && (points.length === 1 || points[points.length - 2]!.window < refs.length));
    for (const p of points) {
      const want = bruteForce(refs, p.window);
      assert.ok(Math.abs(p.meanPages - want.meanPages) < 1e-9, `trial ${trial} τ ${p.window}: mean ${p.meanPages} against ${want.meanPages}`);
      assert.ok(Math.abs(p.missRatio - want.missRatio) < 1e-12, `trial ${trial} τ ${p.window}: miss ratio ${p.missRatio} against ${want.missRatio}`);
    }
  }
  assert.deepEqual(new WindowedWorkingSet().points(), []);
});

test('inspect prints Denning\'s working set and writes it as windowedWorkingSet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-ws-'));
  try {
    const path = join(dir, 'loop.pgt');
    const w = new CompactTraceWriter(path, { pageSize: 4096, description: 'a loop over 100 pages' });
    for (let i = 0; i < 1000; i++) w.ref(i % 100, 0, 1);
    w.close();
    const json = await runCli(['inspect', path, '--json', '-']);
    assert.equal(json.code, 0, json.stderr);
    const points = JSON.parse(json.stdout).windowedWorkingSet as { window: number; meanPages: number; missRatio: number }[];
    // a loop: a window shorter than the loop holds τ pages (t + 1 in the first τ references) and
    // misses every reference; one at least as long holds the loop, and only the first pass misses
    assert.deepEqual(points.find((p) => p.window === 64), { window: 64, meanPages: (64 * 65 / 2 + (1000 - 64) * 64) / 1000, missRatio: 1 });
    const whole = points.find((p) => p.window === 128)!;
    assert.equal(whole.missRatio, 0.1);
    const text = await runCli(['inspect', path]);
    assert.match(text.stdout, /Denning's working set W\(t, τ\)/);
    assert.match(text.stdout, /│\s+64 │\s+62\.0 │\s+1\.0000 │/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
