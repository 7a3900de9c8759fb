import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/kernel/index.js';
import { runCsvRow, type FlatRow } from '../../src/report/rows.js';
import { csvLine, parseCsv } from '../../src/sweep/output.js';
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
  const { point, id, ['vary.memory']: memory, ['vary.tunables.vm_pageout_burst_max']: burst, status, error, ...result } = parallel[3]!;
  assert.deepEqual([point, id, memory, burst, status, error], [3, 'memory=2560KiB tunables.vm_pageout_burst_max=32', '2560KiB', 32, 'ok', '']);
  assert.deepEqual(result, runCsvRow(byHand));
});

/**
 * A lackey trace whose bad record sits far past the first chunk, which is all that opening it
 * reads: the scenario passes every check before the sweep and fails only when it runs.
 */
function traceBadAtTheEnd(): string {
  const good = Array.from({ length: 20_000 }, (_, i) => ` L ${(0x1fff0000 + (i % 300) * 4096).toString(16)},8`);
  return ['I  0401ab70,3', ...good, ' L 1fff00zz78,8'].join('\n') + '\n';
}

test('a failing point is reported in its row and the others still run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    writeFileSync(join(dir, 'late.lackey'), traceBadAtTheEnd());
    writeFileSync(join(dir, 'late.yaml'), 'machine: { memory: 640 }\ntasks:\n  - trace: late.lackey\n');
    const file = join(dir, 'fail.yaml');
    writeFileSync(file, `fixed: { maxTime: 200ms }\nvary:\n  scenario: [late.yaml, ${TINY}]\n`);
    const csv = join(dir, 'out.csv');
    const html = join(dir, 'sweep.html');
    const r = await runCli(['sweep', file, '--csv', csv, '--workers', '2', '--quiet', '--report', html]);
    assert.equal(r.code, 2, 'the failure was bad input (a trace record that is not lackey)');
    const message = `${join(dir, 'late.lackey')}:20002: expected a lackey line ('I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or '==PID== message'), got ' L 1fff00zz78,8'`;
    assert.equal(r.stderr, `error: point 0 (scenario=late.yaml): ${message}\n`);
    const [header, ...records] = parseCsv(readFileSync(csv, 'utf8'));
    const column = (name: string) => records.map((x) => x[header!.indexOf(name)]);
    assert.deepEqual(column('status'), ['bad-input', 'ok']);
    assert.deepEqual(column('error'), [message, '']);
    // the combined report: both points in its table, the one that ran charted
    const page = await checkPage(html);
    assert.deepEqual(page.errors, []);
    assert.equal(page.chartsReported, 6);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.match(page.text, /Sweep points/);
    assert.match(page.text, /expected a lackey line/);
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
    writeFileSync(csv, [header, records[0], csvLine(failed).trimEnd(), records[3]].join('\n') + '\n');
    const again = await runCli(['sweep', SMALL, '--csv', csv, '--workers', '2', '--resume']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^2 points run, 2 kept from /m);
    const table = again.stdout.split('\n').filter((l) => /^│ \d /.test(l)).map((l) => l.split('│')[1]!.trim());
    assert.deepEqual(table, ['1', '2'], 'only the missing and failed points ran');
    const after = readFileSync(csv, 'utf8').trimEnd().split('\n');
    assert.deepEqual(after, full.trimEnd().split('\n'), 'the same rows as a full sweep, in point order');
    writeFileSync(csv, after.slice(0, -1).join('\n') + '\n');
    const last = await runCli(['sweep', SMALL, '--csv', csv, '--workers', '2', '--resume']);
    assert.match(last.stdout, /^1 point run, 3 kept from /m);
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
    // another sweep's rows are not this sweep's to keep
    const changed = join(dir, 'changed.yaml');
    writeFileSync(changed, readFileSync(SMALL, 'utf8').replace('../../cli/fixtures/tiny.yaml', TINY).replace('memory: [512, 2560KiB]', 'memory: [768, 2560KiB]'));
    const foreign = await runCli(['sweep', changed, '--csv', csv, '--resume', '--quiet']);
    assert.equal(foreign.code, 2, foreign.stderr);
    assert.match(foreign.stderr, /^error: .*out\.csv --resume: expected rows of the points of .*changed\.yaml \(it was written by another sweep, or by this one before it changed: resume with that one, or write a new file\), got point 0 \(memory=512 tunables\.vm_pageout_burst_max=8\), which .*changed\.yaml does not have\n$/);
    assert.deepEqual(readFileSync(csv, 'utf8').trimEnd().split('\n').sort(), [...full.trimEnd().split('\n')].sort(), 'the file is left as it was');
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

test('rows keep the varied value as written under vary.<key> beside the result field of the same name, each column once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    // a scenario file whose name (from its `name:`) differs from the path the sweep writes
    writeFileSync(join(dir, 'my-tiny.yaml'), readFileSync(TINY, 'utf8'));
    const file = join(dir, 'columns.yaml');
    writeFileSync(file, 'fixed: { maxTime: 50ms }\nvary:\n  scenario: [my-tiny.yaml, too-small]\n  preset: [cmu-1987]\n  seed: [7]\n');
    const csv = join(dir, 'out.csv');
    const jsonl = join(dir, 'out.jsonl');
    const r = await runCli(['sweep', file, '--csv', csv, '--json', jsonl, '--workers', '2', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...records] = parseCsv(readFileSync(csv, 'utf8'));
    assert.equal(new Set(header).size, header!.length, `a column named twice: ${header!.join(',')}`);
    assert.deepEqual(header!.slice(0, 9), ['point', 'id', 'vary.scenario', 'vary.preset', 'vary.seed', 'status', 'error', 'scenario', 'preset']);
    const cells = (record: string[], names: string[]) => names.map((n) => record[header!.indexOf(n)]);
    const names = ['id', 'vary.scenario', 'scenario', 'vary.preset', 'preset', 'vary.seed', 'seed'];
    assert.deepEqual(records.map((x) => cells(x, names)), [
      ['scenario=my-tiny.yaml preset=cmu-1987 seed=7', 'my-tiny.yaml', 'tiny', 'cmu-1987', 'cmu-1987', '7', '7'],
      ['scenario=too-small preset=cmu-1987 seed=7', 'too-small', 'too-small', 'cmu-1987', 'cmu-1987', '7', '7'],
    ]);
    const objects = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(Object.keys(objects[0]!), header, 'JSON Lines objects have the CSV columns, in order');
    assert.deepEqual(objects.map((o) => names.map((n) => o[n])), [
      ['scenario=my-tiny.yaml preset=cmu-1987 seed=7', 'my-tiny.yaml', 'tiny', 'cmu-1987', 'cmu-1987', 7, 7],
      ['scenario=too-small preset=cmu-1987 seed=7', 'too-small', 'too-small', 'cmu-1987', 'cmu-1987', 7, 7],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--resume will not mix in JSON Lines rows whose keys are not this sweep\'s columns', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-'));
  try {
    const jsonl = join(dir, 'out.jsonl');
    const FOREIGN = 'expected the columns of this sweep (the file was written by another sweep; choose another output or delete it)';
    // a row written before the varied values moved under `vary.`
    writeFileSync(jsonl, '{"point":0,"id":"memory=512 tunables.vm_pageout_burst_max=8","memory":512,"tunables.vm_pageout_burst_max":8,"status":"ok","error":""}\n');
    const old = await runCli(['sweep', SMALL, '--json', jsonl, '--resume', '--quiet']);
    assert.equal(old.code, 2);
    assert.equal(old.stderr, `error: ${jsonl}:1: ${FOREIGN}, got a row with the key 'memory'\n`);
    // a failed row of another sweep: its own columns up to `error` are missing
    writeFileSync(jsonl, '{"point":0,"id":"seed=1","status":"error","error":"boom"}\n');
    const other = await runCli(['sweep', SMALL, '--json', jsonl, '--resume', '--quiet']);
    assert.equal(other.code, 2);
    assert.equal(other.stderr, `error: ${jsonl}:1: ${FOREIGN}, got a row without the key 'vary.memory'\n`);
    assert.equal(readFileSync(jsonl, 'utf8'), '{"point":0,"id":"seed=1","status":"error","error":"boom"}\n', 'the file is left alone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
