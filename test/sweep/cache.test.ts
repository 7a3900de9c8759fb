import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { buildDenseTrace, findPolicy, policySpec, runPolicy } from '../../src/cache/index.js';
import { InputErrors } from '../../src/errors.js';
import type { FlatRow } from '../../src/report/rows.js';
import { runSweep, sweepColumns, sweepRow } from '../../src/sweep/run.js';
import { expandSweep, parseSweepSpec } from '../../src/sweep/spec.js';
import { openTrace } from '../../src/workload/trace/index.js';

const TRACE = fileURLToPath(new URL('../trace/fixtures/true-excerpt.lackey', import.meta.url));
const FILE = fileURLToPath(new URL('./fixtures/inline-cache.yaml', import.meta.url));

const TEXT = `fixed:
  trace: ../../trace/fixtures/true-excerpt.lackey
vary:
  policy: [lru, ARC, opt, sieve]
  size: [3, 8, 50%]
`;

test('a cache-mode sweep gives the rows pageout compare computes, on workers or not', async () => {
  const spec = parseSweepSpec(TEXT, FILE);
  assert.equal(spec.mode, 'cache');
  assert.deepEqual(sweepColumns(spec).slice(0, 6), ['point', 'id', 'vary.policy', 'vary.size', 'status', 'error']);
  const run = async (workers: number): Promise<FlatRow[]> => {
    const rows: FlatRow[] = [];
    await runSweep(spec, { workers, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
    return rows;
  };
  const parallel = await run(2);
  assert.equal(parallel.length, 12);
  assert.deepEqual(parallel, await run(0));

  const source = openTrace(TRACE, { pageSize: 4096 });
  const trace = buildDenseTrace(source);
  source.close();
  for (const row of parallel) {
    assert.equal(row.status, 'ok', String(row.error));
    const factory = findPolicy(String(row['vary.policy']))!;
    const frames = row['vary.size'] === '50%' ? Math.round(trace.pageCount / 2) : Number(row['vary.size']);
    const expected = runPolicy(trace, policySpec(factory, factory.parseParams(new Map(), { file: 'x' })), frames);
    assert.deepEqual([row.frames, row.misses, row.writebacks, row.requests, row.distinctPages], [frames, expected.misses, expected.writebacks, trace.requests, trace.pageCount], row.id as string);
  }
  assert.equal(parallel[3]!.id, 'policy=arc size=3');
});

test('cache-mode sweep files: bad policies, mixed modes and missing keys are reported with lines', async () => {
  assert.throws(() => parseSweepSpec('base: tight\nvary:\n  policy: [lru]\n  size: [4]\n  trace: [x]\n', FILE), /expected either cache-mode parameters \(trace, policy, size\) or kernel-mode ones, got both \(base with policy, size, trace\)/);
  assert.throws(() => parseSweepSpec('vary:\n  policy: [lru]\n  memory: [4]\n', FILE), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    const text = e.errors.map((x) => x.message).join('\n');
    assert.match(text, /got both \(memory with policy\)/);
    assert.match(text, /expected a value for size \(in fixed or vary\) in a cache-mode sweep, got none/);
    return true;
  });
  const spec = parseSweepSpec(`vary:\n  trace: [${TRACE}, /no/such.trace]\n  policy: [lru, belady]\n  size: [4, lots]\n`, FILE);
  assert.equal(expandSweep(spec).length, 8);
  await assert.rejects(runSweep(spec, { workers: 0 }), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => x.message), [
      `${FILE}:2 vary.trace: expected a readable trace file, got '/no/such.trace' (no such file)`,
      `${FILE}:3 vary.policy: expected a policy among opt, lru, fifo, clock, 2q, arc, lirs, clock-pro, sieve, s3fifo, lfu, mru, random, got 'belady'`,
      `${FILE}:4 vary.size: expected a memory size such as 64MiB, 512KiB or a page count such as 16384, got 'lots'`,
    ]);
    return true;
  });
});

test('a size in bytes counts the trace\'s own pages, as pageout compare counts them', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { CompactTraceWriter } = await import('../../src/workload/trace/compact.js');
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    const path = join(dir, 'p16k.pgt');
    const w = new CompactTraceWriter(path, { pageSize: 16384, description: 'sixteen' });
    for (let i = 0; i < 500; i++) w.ref((i * 7) % 200, 0, 1);
    w.close();
    const spec = parseSweepSpec(`vary:\n  trace: [${path}]\n  policy: [lru]\n  size: [1MiB]\n`, FILE);
    const rows: FlatRow[] = [];
    await runSweep(spec, { workers: 0, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
    assert.equal(rows[0]!.status, 'ok', String(rows[0]!.error));
    assert.equal(rows[0]!.frames, 64, '1 MiB of 16 KiB pages');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cache-mode sweep takes warmup, as pageout compare --warmup counts it', async () => {
  const spec = parseSweepSpec(`fixed:\n  trace: ${TRACE}\n  size: 8\nvary:\n  policy: [lru, opt]\n  warmup: [0, 40]\n`, FILE);
  const rows: FlatRow[] = [];
  await runSweep(spec, { workers: 0, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
  const source = openTrace(TRACE, { pageSize: 4096 });
  const trace = buildDenseTrace(source);
  source.close();
  assert.equal(rows.length, 4);
  for (const row of rows) {
    assert.equal(row.status, 'ok', String(row.error));
    const factory = findPolicy(String(row['vary.policy']))!;
    const warmup = Number(row['vary.warmup']);
    const expected = runPolicy(trace, policySpec(factory, {}), 8, undefined, warmup);
    assert.deepEqual([row.warmup, row.requests, row.misses, row.writebacks], [warmup, trace.requests - warmup, expected.misses, expected.writebacks], row.id as string);
  }
  assert.notEqual(rows[0]!.misses, rows[1]!.misses, 'a warm-up leaves misses out');

  const bad = parseSweepSpec(`fixed:\n  trace: ${TRACE}\n  size: 8\n  policy: lru\nvary:\n  warmup: [soon]\n`, FILE);
  await assert.rejects(runSweep(bad, { workers: 0 }), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => x.message), [`${FILE}:6 vary.warmup: expected a count of references from 0 (none), such as 100000, got 'soon'`]);
    return true;
  });
  const tooLong = parseSweepSpec(`fixed:\n  trace: ${TRACE}\n  size: 8\n  warmup: ${trace.requests}\nvary:\n  policy: [lru]\n`, FILE);
  const outcomes: FlatRow[] = [];
  await runSweep(tooLong, { workers: 0, onOutcome: (p, o) => outcomes.push(sweepRow(p, o)) });
  assert.equal(outcomes[0]!.status, 'bad-input');
  assert.equal(outcomes[0]!.error, `${FILE}:4 fixed.warmup: expected fewer references than true-excerpt.lackey holds (${trace.requests.toLocaleString('en-US')}), got ${trace.requests}`);
});
