import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/sweep/output.js';
import { checkPage, closeBrowser } from '../report/browser.js';
import { runCli } from './harness.js';

after(closeBrowser);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TINY = fileURLToPath(new URL('./fixtures/tiny.yaml', import.meta.url));

function pageout(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000,
  });
}

test('pageout run writes the same JSON for the same scenario and seed, and a report that draws', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-run-'));
  try {
    const json1 = join(dir, 'a.json');
    const html = join(dir, 'r.html');
    const spawned = pageout(['run', TINY, '--max-time', '2s', '--json', json1, '--report', html, '--quiet']);
    assert.equal(spawned.status, 0, spawned.stderr);
    assert.equal(spawned.stdout, '', '--quiet prints nothing');
    const json2 = join(dir, 'b.json');
    const again = await runCli(['run', TINY, '--max-time', '2s', '--json', json2, '--quiet']);
    assert.equal(again.code, 0, again.stderr);
    const text = readFileSync(json1, 'utf8');
    assert.equal(readFileSync(json2, 'utf8'), text, 'byte-identical');
    const result = JSON.parse(text);
    assert.equal(result.scenario, 'tiny');
    assert.equal(result.outcome, 'completed');
    assert.equal(result.simulatedTimeNs, 2_000_000_000);
    assert.equal(result.tasks.length, 2);

    const page = await checkPage(html);
    assert.deepEqual(page.errors, []);
    assert.equal(page.chartsReported, 6);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.match(page.text, /vm_pageout_inactive_dirty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the text summary shows outcome, tasks, vm_stat, the seed counters, thresholds and integrity', async () => {
  const r = await runCli(['run', TINY, '--max-time', '500ms', '--memory', '2560KiB', '--set', 'vm_pageout_burst_max=16', '--fix', 'B2']);
  assert.equal(r.code, 0, r.stderr);
  for (const want of [/^tiny · preset gnumach-1999 · seed 3 · 640 pages \(2560KiB\)/m, /^outcome: completed \(stopped at the time limit/m,
    /^simulated time: 500\.000 ms$/m, /^  hot\s+[\d,]+\s+[\d,]+/m, /^vm_stat\n  faults\s+[\d,]+/m,
    /^  vm_pageout_inactive_dirty\s+[\d,]+$/m, /^  vm_page_free_target\s+\d+$/m, /^  max laundry count\s+\d+$/m, /^integrity: no lost writes/m]) {
    assert.match(r.stdout, want);
  }
  const series = await runCli(['run', TINY, '--max-time', '200ms', '--series', '-', '--sample-interval', '20ms']);
  const [sHeader, ...sRows] = parseCsv(series.stdout);
  assert.deepEqual(sHeader!.slice(0, 3), ['tNs', 'free', 'freeMin']);
  assert.deepEqual(sHeader!.slice(-2), ['refs.hot', 'refs.loop']);
  assert.ok(sRows.length >= 5 && sRows.length <= 11, `${sRows.length} samples of about 20 ms in 200 ms`);
  assert.equal(sRows.at(-1)![0], '200000000');
  const csv = await runCli(['run', TINY, '--max-time', '200ms', '--csv', '-']);
  const [header, row, ...rest] = parseCsv(csv.stdout);
  assert.equal(rest.length, 0);
  assert.equal(header!.length, row!.length);
  assert.equal(row![header!.indexOf('simulatedTimeNs')], '200000000');
  assert.equal(row![header!.indexOf('outcome')], 'completed');
});

test('bad input from the real binary: one line on stderr, exit 2', () => {
  const r = pageout(['run', TINY, '--memory', '12 apples']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "error: command line --memory: expected a memory size such as 64MiB, 512KiB or a page count such as 16384 (units: KiB, MiB, GiB, KB, MB, GB, pages), got '12 apples'\n");
  const missing = pageout(['run', 'no/such/scenario.yaml']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^error: no\/such\/scenario\.yaml: expected a readable scenario file, got no such file\n$/);
});
