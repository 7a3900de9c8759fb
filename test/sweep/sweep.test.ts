import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/kernel/index.js';
import { runCsvRow, type FlatRow } from '../../src/report/rows.js';
import { parseCsv } from '../../src/sweep/output.js';
import { runSweep, sweepRow } from '../../src/sweep/run.js';
import { parseSweepSpec, readSweepSpec } from '../../src/sweep/spec.js';
import { applyOverrides, loadScenario } from '../../src/workload/index.js';
import { runCli } from '../cli/harness.js';
import { checkPage, closeBrowser } from '../report/browser.js';

after(closeBrowser);

const SMALL = fileURLToPath(new URL('./fixtures/small.yaml', import.meta.url));
const TINY = fileURLToPath(new URL('../cli/fixtures/tiny.yaml', import.meta.url));

async function rows(workers: number): Promise<FlatRow[]> {
  const out: FlatRow[] = [];
  await runSweep(readSweepSpec(SMALL), { workers, onOutcome: (p, o) => out.push(sweepRow(p, o)) });
  return out;
}

test('a sweep on worker threads gives the rows of its points run one by one', async () => {
  const parallel = await rows(2);
  assert.equal(parallel.length, 4);
  assert.deepEqual(parallel.map((r) => r.point), [0, 1, 2, 3], 'rows come in point order');
  assert.ok(parallel.every((r) => r.status === 'ok'), JSON.stringify(parallel.map((r) => r.error)));
  assert.deepEqual(parallel, await rows(0));
  // and point 3 equals the same scenario run by hand with the same values
  const byHand = runScenario(applyOverrides(loadScenario(TINY), { maxTime: '1s', memory: '2560KiB', set: { vm_pageout_burst_max: 32 } }));
  const { point, id, memory, ['tunables.vm_pageout_burst_max']: burst, status, error, ...result } = parallel[3]!;
  assert.deepEqual([point, id, memory, burst, status, error], [3, 'memory=2560KiB tunables.vm_pageout_burst_max=32', '2560KiB', 32, 'ok', '']);
  assert.deepEqual(result, runCsvRow(byHand));
});

test('a failing point is reported in its row and the others still run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    const file = join(dir, 'fail.yaml');
    writeFileSync(file, `base: ${TINY}\nfixed: { maxTime: 200ms }\nvary:\n  memory: [16, 640]\n`);
    const csv = join(dir, 'out.csv');
    const html = join(dir, 'sweep.html');
    const r = await runCli(['sweep', file, '--csv', csv, '--workers', '2', '--quiet', '--report', html]);
    assert.equal(r.code, 2, 'the failure was bad input (too little memory for the preset)');
    assert.match(r.stderr, /^error: point 0 \(memory=16\): .*expected at least \d+ pages/m);
    const [header, ...records] = parseCsv(readFileSync(csv, 'utf8'));
    const status = header!.indexOf('status');
    assert.deepEqual(records.map((x) => x[status]), ['bad-input', 'ok']);
    // the combined report: both points in its table, the one that ran charted
    const page = await checkPage(html);
    assert.deepEqual(page.errors, []);
    assert.equal(page.chartsReported, 6);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.match(page.text, /Sweep points/);
    assert.match(page.text, /expected at least \d+ pages/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--resume keeps the rows that succeeded and runs only what is missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    const csv = join(dir, 'out.csv');
    const first = await runCli(['sweep', SMALL, '--csv', csv, '--workers', '2']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^4 points run$/m);
    const full = readFileSync(csv, 'utf8');
    const [header, ...records] = full.trimEnd().split('\n');
    // lose point 1 and mark point 2 as failed: both must run again, 0 and 3 must not
    const statusCol = parseCsv(header!)[0]!.indexOf('status');
    const failed = parseCsv(records[2]!)[0]!;
    failed[statusCol] = 'error';
    writeFileSync(csv, [header, records[0], failed.join(','), records[3]].join('\n') + '\n');
    const again = await runCli(['sweep', SMALL, '--csv', csv, '--workers', '2', '--resume']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^2 points run, 2 kept from /m);
    const table = again.stdout.split('\n').filter((l) => /^│ \d /.test(l)).map((l) => l.split('│')[1]!.trim());
    assert.deepEqual(table, ['1', '2'], 'only the missing and failed points ran');
    const after = readFileSync(csv, 'utf8').trimEnd().split('\n');
    assert.deepEqual([...after].sort(), [...full.trimEnd().split('\n')].sort(), 'the same rows as a full sweep');
    // both outputs: a point is done only when both files hold it
    const jsonl = join(dir, 'out.jsonl');
    writeFileSync(jsonl, '');
    const both = await runCli(['sweep', SMALL, '--csv', csv, '--json', jsonl, '--resume', '--workers', '2']);
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stdout, /^4 points run$/m, 'the empty JSON Lines file holds none of them');
    assert.equal(readFileSync(jsonl, 'utf8').trimEnd().split('\n').length, 4);
    assert.deepEqual(readFileSync(csv, 'utf8').trimEnd().split('\n').sort(), [...full.trimEnd().split('\n')].sort(), 'no duplicate rows');
    // nothing left to do
    const third = await runCli(['sweep', SMALL, '--csv', csv, '--resume', '--quiet']);
    assert.equal(third.code, 0);
    assert.deepEqual(readFileSync(csv, 'utf8').trimEnd().split('\n').sort(), [...full.trimEnd().split('\n')].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bundled workers find the shipped scenarios by name, as the main thread does', async () => {
  const spec = parseSweepSpec('fixed: { maxTime: 20ms }\nvary:\n  scenario: [default]\n', join(tmpdir(), 'named.yaml'));
  const rows: FlatRow[] = [];
  await runSweep(spec, { workers: 1, onOutcome: (p, o) => rows.push(sweepRow(p, o)) });
  assert.equal(rows[0]!.status, 'ok', String(rows[0]!.error));
  assert.equal(rows[0]!.scenario, 'default');
  assert.equal(rows[0]!.simulatedTimeNs, 20_000_000);
});
