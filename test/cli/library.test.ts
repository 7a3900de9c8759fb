import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
// the package's own name: what users import (package.json "exports")
import { applyOverrides, collectRun, expandSweep, loadScenario, parseSweepSpec, RefBatch, runScenario, runSweep, sweepRow } from 'pageout';
import { runCli } from './harness.js';

const TINY = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));

test('the README example works through the package name', () => {
  const scenario = applyOverrides(loadScenario(TINY), { memory: '2560KiB', maxTime: '300ms' });
  const result = runScenario(scenario);
  assert.equal(result.outcome, 'completed');
  assert.equal(result.simulatedTimeNs, 300_000_000);
  assert.ok(result.vmStat.faults > 0);
  assert.ok(new RefBatch(4).capacity === 4);
});

test('the CLI is a thin layer: pageout run --json equals collectRun on the same scenario', async () => {
  const scenario = applyOverrides(loadScenario(TINY), { maxTime: '300ms', set: { vm_pageout_burst_max: 12 } });
  const { result, series } = collectRun(scenario, { sampleIntervalNs: 5_000_000, maxPoints: 32 });
  assert.ok(series && series.t.length <= 32 && series.t.length > 0);
  const cli = await runCli(['run', TINY, '--max-time', '300ms', '--set', 'vm_pageout_burst_max=12', '--json', '-']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), result);
});

test('sweeps from the library, in this thread', async () => {
  const spec = parseSweepSpec(`base: ${TINY}\nfixed: { maxTime: 100ms, memory: 8MiB }\nvary:\n  preset: [gnumach-1999, gnumach-2014]\n`, 'inline.yaml');
  assert.deepEqual(expandSweep(spec).map((p) => p.id), ['preset=gnumach-1999', 'preset=gnumach-2014']);
  const rows: Record<string, unknown>[] = [];
  await runSweep(spec, { workers: 0, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
  assert.deepEqual(rows.map((r) => [r.status, r.preset]), [['ok', 'gnumach-1999'], ['ok', 'gnumach-2014']]);
});

test('compare and mrc from the library equal the cache layer run by hand', async () => {
  const { compare, mrc, readTrace, buildDenseTrace, findPolicy, policySpec, runPolicy, lruCurve, streamPolicy } = await import('pageout');
  const path = fileURLToPath(new URL('../trace/fixtures/true-excerpt.lackey', import.meta.url));
  const rows = compare(path, ['lru', 'OPT'], [4, 8]);
  assert.deepEqual(rows.map((r) => [r.policy, r.frames]), [['lru', 4], ['opt', 4], ['lru', 8], ['opt', 8]]);
  const source = readTrace(path, { pageSize: 4096 });
  const trace = buildDenseTrace(source);
  source.close();
  const lru = findPolicy('lru')!;
  assert.deepEqual(rows[0], runPolicy(trace, policySpec(lru, lru.parseParams(new Map(), { file: 'x' })), 4));
  assert.equal(mrc(path).missesAt(8), lruCurve(trace).missesAt(8));
  const streamed = readTrace(path, { pageSize: 4096 });
  assert.deepEqual(streamPolicy(streamed, policySpec(lru, {}), 4).row, rows[0]);
  streamed.close();
  assert.equal(mrc(trace).missesAt(4), rows[0]!.misses);
  assert.throws(() => compare(trace, ['belady'], [4]), /compare\(\) policies: expected a policy among .*, got 'belady'/);
});

test('parseScenario over traces held in memory runs as the same scenario read from disk', async () => {
  const { parseScenario, parseScenarioText, openTraceBytes } = await import('pageout');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const blocks = Array.from({ length: 4000 }, (_, i) => ((i * 7) % 900) + 1).join('\n') + '\n';
  const text = 'machine: { memory: 300 }\nmaxTime: 200ms\ntasks:\n  - trace: loop.lirs\n';
  const held = new Map([['/held/loop.lirs', new TextEncoder().encode(blocks)]]);
  const fromMemory = parseScenario(text, 'held.yaml', {
    locate: (path) => `/held/${path}`,
    exists: (file) => held.has(file),
    openTrace: (file, options) => openTraceBytes(held.get(file)!, file, options),
  });
  const dir = mkdtempSync(join(tmpdir(), 'pageout-held-'));
  try {
    writeFileSync(join(dir, 'loop.lirs'), blocks);
    const fromDisk = parseScenarioText(text, 'held.yaml', dir);
    const result = runScenario(fromMemory);
    assert.ok(result.vmStat.pageouts + result.vmStat.faults > 0);
    assert.deepEqual(result, runScenario(fromDisk));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
