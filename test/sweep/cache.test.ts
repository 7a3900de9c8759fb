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
  assert.throws(() => parseSweepSpec('base: tight\nvary:\n  policy: [lru]\n  size: [4]\n  trace: [x]\n', FILE), /expected either cache-mode parameters \(trace, policy, size; preset, fixes, tunables and options for mach points\) or kernel-mode ones, got both \(base with policy, size, trace\)/);
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
      `${FILE}:3 vary.policy: expected a policy among opt, lru, fifo, clock, 2q, arc, lirs, clock-pro, sieve, s3fifo, lfu, mru, random, lru-k, car, mach, got 'belady'`,
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

/** A compact trace of `refs` references over `pages` pages (a quarter of them writes), in a temp dir. */
async function compactTrace(dir: string, pages: number, refs: number): Promise<string> {
  const { join } = await import('node:path');
  const { CompactTraceWriter } = await import('../../src/workload/trace/compact.js');
  const { Rng } = await import('../../src/sim/rng.js');
  const path = join(dir, 'mixed.pgt');
  const w = new CompactTraceWriter(path, { pageSize: 4096, description: 'mixed' });
  const rng = new Rng(7);
  // a hot set of a tenth of the pages takes half the references, so sizes and policies differ
  for (let i = 0; i < refs; i++) w.ref(rng.next() < 0.5 ? Math.floor(rng.next() * (pages / 10)) : Math.floor(rng.next() * pages), rng.next() < 0.25 ? 1 : 0, 1);
  w.close();
  return path;
}

test('a cache-mode sweep takes policy parameters, a slice, and mach points configured as compare --mach-preset', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { machRow } = await import('../../src/cache/mach-row.js');
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    const path = await compactTrace(dir, 800, 20_000);
    const spec = parseSweepSpec(`fixed:\n  trace: ${path}\n  size: 300\n  skipRefs: 1000\n  maxRefs: 15000\nvary:\n  policy: [s3fifo, mach]\n  param.s3fifo.small: [0.05, 0.3]\n  preset: [gnumach-1999, cmu-1987]\n`, FILE);
    const rows: FlatRow[] = [];
    await runSweep(spec, { workers: 0, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
    const source = openTrace(path, { skipRefs: 1000, maxRefs: 15000 });
    const trace = buildDenseTrace(source);
    source.close();
    assert.equal(trace.requests, 15000);
    const s3fifo = findPolicy('s3fifo')!;
    const expected = (policy: string, small: number, preset: 'gnumach-1999' | 'cmu-1987') => (policy === 's3fifo'
      ? runPolicy(trace, policySpec(s3fifo, s3fifo.parseParams(new Map([['small', String(small)]]), { file: 'x' })), 300)
      : machRow(trace, 300, { preset, label: `mach(${preset})` }));
    assert.equal(rows.length, 8);
    for (const row of rows) {
      assert.equal(row.status, 'ok', String(row.error));
      const want = expected(String(row['vary.policy']), Number(row['vary.param.s3fifo.small']), row['vary.preset'] as 'gnumach-1999' | 'cmu-1987');
      assert.deepEqual([row.policyName, row.requests, row.misses, row.writebacks], [want.policy, 15000, want.misses, want.writebacks], String(row.id));
    }
    assert.deepEqual(rows.map((r) => r.policyName), [
      's3fifo(small=0.05)', 's3fifo(small=0.05)', 's3fifo(small=0.3)', 's3fifo(small=0.3)',
      'mach(gnumach-1999)', 'mach(cmu-1987)', 'mach(gnumach-1999)', 'mach(cmu-1987)',
    ]);
    // each setting changes the numbers, so the rows above could not match by accident
    assert.notEqual(rows[0]!.misses, rows[2]!.misses, 'small changes s3fifo');
    assert.notEqual(rows[4]!.misses, rows[5]!.misses, 'the preset changes mach');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a cache-mode sweep reads a headerless CSV with its csv columns and pageSize, as compare --csv-columns --page-size', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { parseCsvColumnsSpec } = await import('../../src/workload/trace/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    const csv = join(dir, 'h.csv');
    writeFileSync(csv, Array.from({ length: 3000 }, (_, i) => `${i},${((i * 7919) % 201) * 4096},${i % 3 === 0 ? 'W' : 'R'}\n`).join(''));
    const columns = 'time=0,offset=1,op=2,unit=bytes';
    const spec = parseSweepSpec(`fixed:\n  trace: ${csv}\n  csv: ${columns}\n  size: 50\nvary:\n  policy: [lru]\n  pageSize: [4096, 8KiB]\n`, FILE);
    const rows: FlatRow[] = [];
    await runSweep(spec, { workers: 0, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
    for (const [i, pageSize] of [4096, 8192].entries()) {
      const source = openTrace(csv, { pageSize, csv: parseCsvColumnsSpec(columns, 'x') });
      const trace = buildDenseTrace(source);
      source.close();
      const want = runPolicy(trace, policySpec(findPolicy('lru')!, {}), 50);
      assert.deepEqual([rows[i]!.status, rows[i]!.distinctPages, rows[i]!.misses, rows[i]!.writebacks], ['ok', trace.pageCount, want.misses, want.writebacks]);
    }
    assert.deepEqual([rows[0]!.distinctPages, rows[1]!.distinctPages], [201, 101]);

    const bare = parseSweepSpec(`fixed:\n  trace: ${csv}\n  size: 50\nvary:\n  policy: [lru]\n`, FILE);
    await assert.rejects(runSweep(bare, { workers: 0 }), (e: unknown) => {
      assert.ok(e instanceof InputErrors);
      assert.deepEqual(e.errors.map((x) => x.message), [`${csv}:1 csv offset: expected a header naming the offset column, or the offset column given (csv: offset=N), got '0,0,W'`]);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cache-mode sweep values: trace reading, policy parameters and mach settings are checked, each at its line', async () => {
  const text = `fixed:
  trace: ${TRACE}
  maxRefs: 0
  format: lackie
vary:
  policy: [lru, s3fifo]
  size: [8]
  param.s3fifo.smal: [0.05]
  param.arc.p: [1]
  param.belady.x: [1]
  fixes: [B2]
  vm_pageout_burst_max: [3]
`;
  await assert.rejects(runSweep(parseSweepSpec(text, FILE), { workers: 0 }), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => x.message), [
      `${FILE}:3 fixed.maxRefs: expected a count of references from 1, such as 1000000, got 0`,
      `${FILE}:4 fixed.format: expected one of lackey, lirs, spec, csv, oracleGeneral, compact, got 'lackie'`,
      `${FILE}:8 vary.param.s3fifo.smal: expected a parameter of s3fifo (it has: small, ghost, threshold), got 'smal'`,
      `${FILE}:9 vary.param.arc.p: expected parameters of a policy the sweep runs (lru, s3fifo), got 'arc'`,
      `${FILE}:10 vary.param.belady.x: expected a policy with parameters (clock, 2q, lirs, clock-pro, s3fifo, random, lru-k), got 'belady'`,
      `${FILE}:11 vary.fixes: expected mach among the sweep's policies (fixes configures its kernel), got 'lru, s3fifo'`,
      `${FILE}:12 vary.vm_pageout_burst_max: expected mach among the sweep's policies (vm_pageout_burst_max configures its kernel), got 'lru, s3fifo'`,
    ]);
    return true;
  });
  // no value of a list readable: no points, and the problems of the values said, not a crash
  const unreadable = `fixed:\n  trace: ${TRACE}\n  size: 8\nvary:\n  policy: [s3fifo]\n  pageSize: [[1]]\n  param.s3fifo.small: [{a: 1}]\n`;
  const { checkSweep } = await import('../../src/sweep/run.js');
  const { parseSweepFile } = await import('../../src/sweep/spec.js');
  await assert.rejects(checkSweep(parseSweepFile(unreadable, FILE)), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => x.message), [
      `${FILE}:6 vary.pageSize[0]: expected a value for pageSize, got a list`,
      `${FILE}:7 vary.param.s3fifo.small[0]: expected a value for param.s3fifo.small, got a mapping`,
    ]);
    return true;
  });
  const mach = `fixed:\n  trace: ${TRACE}\n  pageSize: 64\n  policy: mach\n  size: 300\nvary:\n  fixes: [B7]\n  tunables.vm_page_free_target: [100KB]\n  options.checks: [loud]\n`;
  await assert.rejects(runSweep(parseSweepSpec(mach, FILE), { workers: 0 }), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    assert.deepEqual(e.errors.map((x) => x.message), [
      `${FILE}:7 vary.fixes: expected defect names among B1, B2, B3 (or all / none), got 'B7'`,
      `${FILE}:8 vary.tunables.vm_page_free_target: expected a whole number of 64-byte pages, got '100KB' (1562.5 pages; KB is 1,000 bytes, KiB 1,024)`,
      `${FILE}:9 vary.options.checks: expected 'normal' or 'full', got 'loud'`,
    ]);
    return true;
  });
});

test('a cache sweep report draws a curve per labelled policy, not one per value of another policy\'s parameter', async () => {
  const { cacheSweepReportData } = await import('../../src/report/sweep-report.js');
  const rows: FlatRow[] = [];
  for (const policy of ['lru', 's3fifo', 'mach']) {
    for (const size of [10, 20]) {
      for (const small of [0.05, 0.3]) {
        for (const fixes of ['none', 'B2']) {
          const policyName = policy === 's3fifo' ? `s3fifo(small=${small})` : policy === 'mach' ? `mach(fix=${fixes})` : 'lru';
          const missRatio = (policy === 's3fifo' ? small : policy === 'mach' ? (fixes === 'B2' ? 0.7 : 0.8) : 0.5) / size;
          rows.push({ status: 'ok', traceFile: '/t/a.pgt', policyName, frames: size, missRatio, 'vary.policy': policy, policy, size, 'param.s3fifo.small': small, fixes });
        }
      }
    }
  }
  const { isMachKey, policyParamOf } = await import('../../src/sweep/spec.js');
  const data = cacheSweepReportData('t', ['policy', 'size', 'param.s3fifo.small', 'fixes'], rows, (a) => policyParamOf(a) !== null || isMachKey(a));
  assert.deepEqual(data.curves!.curves.map((c) => [c.policy, c.sizes, c.missRatios]), [
    ['lru', [10, 20], [0.5 / 10, 0.5 / 20]],
    ['s3fifo(small=0.05)', [10, 20], [0.05 / 10, 0.05 / 20]],
    ['s3fifo(small=0.3)', [10, 20], [0.3 / 10, 0.3 / 20]],
    ['mach(fix=none)', [10, 20], [0.8 / 10, 0.8 / 20]],
    ['mach(fix=B2)', [10, 20], [0.7 / 10, 0.7 / 20]],
  ]);
});
