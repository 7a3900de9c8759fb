/**
 * The browser visualizer end to end: `pageout serve`'s build and server, Debian's Chromium driven
 * by playwright-core, the kernel running in the page's Web Worker. Each test drives the page the
 * way a user does (buttons, keys, a dropped file) and reads what the page shows.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { minimumMemoryPages, PRESETS } from '../../src/kernel/params.js';
import type { RunResult } from '../../src/kernel/result.js';
import { REF_WRITE } from '../../src/kernel/ref-source.js';
import { createTraceWriter } from '../../src/workload/trace/writers.js';
import { ensureBuilt, startServer, type RunningServer } from '../../src/cli/commands/serve.js';
import { launchBrowser, type Browser } from './browser.js';
import { BUSY_SEEN, dropFileScript, logSeqAboveExpression, PLAY_SEEN, settledExpression, simTimeAboveExpression, watchBusyScript, watchPlayScript } from './page-scripts.js';

const REPO = join(import.meta.dirname, '..', '..');
const SMALL_PRESET = 'preset:hotset-1m';

let server: RunningServer;
let browser: Browser;
let page: Page;

/** The app's generation (bumps with each run loaded); waits until no load is under way. */
async function settled(after = 0): Promise<number> {
  await page.waitForFunction(settledExpression(after), undefined, { timeout: 30_000 });
  const error = await page.locator('[data-testid=error]').textContent({ timeout: 100 }).catch(() => null);
  assert.equal(error, null, 'the page shows an error');
  return Number(await page.getAttribute('[data-testid=app]', 'data-generation'));
}

async function simNs(): Promise<number> {
  return Number(await page.getAttribute('[data-testid=sim-time]', 'data-ns'));
}

async function choose(id: string): Promise<number> {
  const before = await settled();
  await page.selectOption('[data-testid=scenario]', id);
  return settled(before);
}

/** Run to the end and read the RunResult the page shows. */
async function runToEnd(): Promise<RunResult> {
  await page.click('[data-testid=run-to-end]');
  await page.waitForSelector('[data-testid=result-json]', { state: 'attached', timeout: 60_000 });
  return JSON.parse((await page.textContent('[data-testid=result-json]')) ?? '') as RunResult;
}

function noErrors(): void {
  assert.deepEqual(browser.errors, [], 'console errors, exceptions or network requests beyond 127.0.0.1');
}

describe('the visualizer in headless Chromium', { timeout: 180_000 }, () => {
  before(async () => {
    await ensureBuilt();
    server = await startServer({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the page loads without console errors, with the grid, legend and charts', async () => {
    await page.goto(server.url);
    await settled();
    const frames = Number((await page.textContent('#grid-title .sub'))?.replace(/[^\d]/g, '').slice(0, -1));
    assert.ok(frames > 0, 'the grid names its frame count');
    const canvas = await page.locator('[data-testid=memory-grid]').boundingBox();
    assert.ok(canvas && canvas.width > 100 && canvas.height > 20, 'the memory grid is drawn');
    assert.equal(await page.locator('.legend-states li').count(), 7, 'seven frame states in the legend');
    assert.equal(await page.locator('.chart canvas').count() >= 3, true, 'three uPlot charts');
    noErrors();
  });

  test('play advances simulated time; Space pauses; history scrubs back', async () => {
    await choose(SMALL_PRESET);
    const t0 = await simNs();
    await page.click('[data-testid=play]');
    await page.waitForFunction(simTimeAboveExpression(t0 + 50e6), undefined, { timeout: 20_000 });
    await page.locator('body').press(' ');
    await page.waitForSelector('[data-testid=app][data-running=false]');
    const paused = await simNs();
    assert.ok(paused > t0);
    await page.locator('body').press('ArrowLeft');
    await page.locator('body').press('ArrowLeft');
    assert.ok((await simNs()) < paused, 'the history shows an earlier moment');
    assert.equal(await page.locator('.history-badge').count(), 1);
    await page.locator('body').press('l');
    assert.equal(await simNs(), paused, 'L returns to the live run');
    noErrors();
  });

  test('one step shows the daemon’s next S-step in the log and announces it', async () => {
    await choose(SMALL_PRESET);
    const steps: string[] = [];
    let lastSeq = -1;
    for (let i = 0; i < 3; i++) {
      await page.click('[data-testid=step]');
      await page.waitForFunction(logSeqAboveExpression(lastSeq), undefined, { timeout: 20_000 });
      const last = page.locator('[data-testid=event-log] li:last-child');
      const step = (await last.getAttribute('data-step')) ?? '';
      assert.match(step, /^S([1-9]|1[0-6])$/, 'the step ends on a decision S1–S16');
      const text = (await last.locator('.log-text').textContent()) ?? '';
      assert.ok(text.includes(step), `the narration names its step: ${text}`);
      assert.equal(await page.textContent('[data-testid=announcement]'), text, 'screen readers hear the step');
      lastSeq = Number(await last.getAttribute('data-seq'));
      steps.push(step);
    }
    assert.equal(await page.getAttribute('[data-testid=app]', 'data-running'), 'false', 'stepping leaves the run paused');
    noErrors();
  });

  test('Play pressed while a step runs stays pressed: the step\'s answer does not flip it back', async () => {
    await choose('preset:hotset-64m');
    await page.fill('[data-testid=step-n]', '300000');
    await page.click('[data-testid=step-refs]');
    await page.evaluate(watchPlayScript());
    await page.click('[data-testid=play]');
    const before = await simNs();
    await page.waitForFunction(simTimeAboveExpression(before + 20e6), undefined, { timeout: 30_000 });
    const seen = (await page.evaluate(PLAY_SEEN)) as string[];
    assert.deepEqual(seen.map((t) => (t.includes('Pause') ? 'pause' : 'play')), ['play', 'pause'], `the button's texts: ${JSON.stringify(seen)}`);
    assert.equal(await page.getAttribute('[data-testid=app]', 'data-running'), 'true');
    await page.click('[data-testid=play]');
    noErrors();
  });

  test('a step says it is working until the worker answers; from history, it says it is rewinding first', async () => {
    await choose(SMALL_PRESET);
    const busySeen = async () => (await page.evaluate(BUSY_SEEN)) as { text: string | null; t: number }[];
    await page.fill('[data-testid=step-n]', '5000');
    await page.evaluate(watchBusyScript());
    await page.click('[data-testid=step-refs]');
    await page.waitForFunction(`${BUSY_SEEN}.length >= 3`, undefined, { timeout: 20_000 });
    assert.deepEqual((await busySeen()).map((b) => b.text), [null, 'stepping…', null], 'shown while the step ran, gone after');
    await page.click('[data-testid=step-refs]');
    await page.waitForSelector('[data-testid=busy]', { state: 'detached', timeout: 20_000 });
    const live = await simNs();

    // back one snapshot in history, then step: the past is replayed first, and the clock shows
    // the moment it is replayed to, not the future being thrown away
    await page.locator('body').press('ArrowLeft');
    const scrubbed = await simNs();
    assert.ok(scrubbed < live);
    await page.evaluate(watchBusyScript());
    await page.click('[data-testid=step-refs]');
    await page.waitForFunction(`${BUSY_SEEN}.length >= 3 && ${BUSY_SEEN}.at(-1).text === null`, undefined, { timeout: 20_000 });
    const seen = await busySeen();
    assert.equal(seen[1]!.text, 'rewinding…', `the replay comes first: ${JSON.stringify(seen)}`);
    for (const b of seen.filter((x) => x.text === 'rewinding…')) assert.equal(b.t, scrubbed, 'the clock stays at the moment replayed to');
    // then the step (shown if it outlasts a frame), then nothing
    const after = seen.slice(2).map((b) => b.text);
    assert.ok(after.every((x) => x === null || x === 'stepping…'), JSON.stringify(seen));
    assert.equal(after.at(-1), null);
    noErrors();
  });

  test('a step made obsolete by a rewind sent during it never comes back into history', async () => {
    await choose('shipped:default');
    const stepRefs = async (n: number) => {
      await page.fill('[data-testid=step-n]', String(n));
      await page.click('[data-testid=step-refs]');
    };
    for (let i = 0; i < 2; i++) {
      await stepRefs(1_000_000);
      await page.waitForSelector('[data-testid=busy]', { state: 'detached', timeout: 30_000 });
    }
    // a long step, and while it runs: back one moment in history, then a daemon step from there
    await stepRefs(20_000_000);
    await page.locator('body').press('ArrowLeft');
    await page.click('[data-testid=step]');
    await page.waitForSelector('[data-testid=busy]', { state: 'detached', timeout: 60_000 });
    const slider = page.locator('[data-testid=history]');
    const last = Number(await slider.getAttribute('max'));
    const times: number[] = [];
    for (let i = 0; i <= last; i++) {
      await slider.fill(String(i));
      times.push(await simNs());
    }
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!, `history goes back in time: ${times.join(', ')}`);
    noErrors();
  });

  test('changing a tunable changes the run', async () => {
    await choose(SMALL_PRESET);
    const before = await runToEnd();
    assert.equal(before.outcome, 'completed');
    const target = before.thresholds.vm_page_free_target + 40;
    const generation = await settled();
    const input = page.locator('[data-testid=tunable-vm_page_free_target]');
    await input.fill(String(target));
    await input.press('Enter');
    await settled(generation);
    const changed = await runToEnd();
    assert.equal(changed.thresholds.vm_page_free_target, target, 'the kernel got the tunable');
    assert.notDeepEqual(changed.pageoutCounters, before.pageoutCounters, 'the daemon worked differently');
    noErrors();
  });

  test('a tunable takes a size as --set does, and a bad value is named under its field', async () => {
    await choose(SMALL_PRESET);
    let generation = await settled();
    const target = page.locator('[data-testid=tunable-vm_page_free_target]');
    await target.fill('1MiB');
    await target.press('Enter');
    generation = await settled(generation);
    const result = await runToEnd();
    assert.equal(result.thresholds.vm_page_free_target, (1 << 20) / result.pageSize, '1MiB is counted in the run\'s pages');
    assert.equal(await target.inputValue(), '1MiB', 'the field keeps what was typed');

    const wait = page.locator('[data-testid=tunable-vm_pageout_burst_wait]');
    await wait.fill('soon');
    await wait.press('Enter');
    assert.equal(
      await page.textContent('[data-testid=tunable-help-vm_pageout_burst_wait]'),
      "expected a whole number of milliseconds ≥ 0, or a duration such as 30ms, got 'soon'",
    );
    assert.equal(await wait.getAttribute('aria-invalid'), 'true');
    assert.equal(Number(await page.getAttribute('[data-testid=app]', 'data-generation')), generation, 'a bad value starts no run');
    await wait.fill('30ms');
    await wait.press('Enter');
    generation = await settled(generation);
    assert.equal(await wait.getAttribute('aria-invalid'), 'false');

    // typed but never applied: another scenario clears it, as it clears applied ones
    await target.fill('2MiB');
    await page.selectOption('[data-testid=scenario]', 'preset:two-tasks-4m');
    await settled(generation);
    assert.equal(await target.inputValue(), '');
    assert.equal(await wait.inputValue(), '');
    noErrors();
  });

  test('memory too small for the preset: the page says which field and why, and keeps the run', async () => {
    const generation = await choose(SMALL_PRESET);
    const before = await simNs();
    const memory = page.locator('[data-testid=memory]');
    // the memory the run has, said another way, is no change: the run is not restarted
    await memory.fill('1MiB');
    await memory.press('Enter');
    await page.waitForTimeout(500);
    assert.equal(Number(await page.getAttribute('[data-testid=app]', 'data-generation')), generation, '256 frames as 1MiB restarts nothing');
    await memory.fill('100');
    await memory.press('Enter');
    const error = page.locator('[data-testid=error]');
    await error.waitFor({ timeout: 20_000 });
    assert.match((await error.textContent()) ?? '', /^Memory: expected at least \d+ pages .*got 100 pages \(the run shown is the previous one\)$/);
    assert.equal(await simNs(), before, 'the previous run is still shown');
    await page.waitForFunction("document.querySelector('[data-testid=memory]')?.value === '256'", undefined, { timeout: 20_000 });
    assert.match((await page.textContent('#memory-help')) ?? '', /^256 frames = 1 MiB/, 'the field and its help show the run still shown');
    await page.selectOption('[data-testid=scenario]', SMALL_PRESET);
    await page.waitForSelector('[data-testid=error]', { state: 'detached', timeout: 20_000 });
    // a reserve that raises the least memory is blamed on the field that raised it, not on Memory
    await settled();
    const reserve = page.locator('[data-testid=tunable-vm_page_free_reserved]');
    await reserve.fill('1MiB');
    await reserve.press('Enter');
    await error.waitFor({ timeout: 20_000 });
    assert.match((await error.textContent()) ?? '', /^Tunables \(vm_page_free_reserved\): expected at least 1,024 pages for preset gnumach-1999 \(vm_page_free_reserved set to 256, 0 boot-wired pages\), got 256 pages/);
    await page.selectOption('[data-testid=scenario]', SMALL_PRESET);
    await page.waitForSelector('[data-testid=error]', { state: 'detached', timeout: 20_000 });
    await settled();
    noErrors();
  });

  test('memory as a share of the pages the workload touches, as run --memory 25% takes it', async () => {
    // two-tasks-4m's streams touch 1,600 distinct pages (web/src/presets.ts)
    const generation = await choose('preset:two-tasks-4m');
    const memory = page.locator('[data-testid=memory]');
    await memory.fill('50%');
    await memory.press('Enter');
    const next = await settled(generation);
    assert.equal(await memory.inputValue(), '800', 'half of 1,600 pages');
    assert.match((await page.textContent('#memory-help')) ?? '', /^800 frames = /);
    // a share above the whole is refused under the field, and the run goes on
    await page.fill('[data-testid=memory]', '150%');
    await memory.press('Enter');
    await page.waitForFunction("/percentage above 0% and at most 100%/.test(document.querySelector('#memory-help')?.textContent ?? '')", undefined, { timeout: 10_000 });
    assert.equal(Number(await page.getAttribute('[data-testid=app]', 'data-generation')), next, 'a bad share restarts nothing');
    noErrors();
  });

  test('the server serves the build and nothing outside it', async () => {
    const index = await fetch(server.url);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await fetch(new URL('no-such-file.js', server.url))).status, 404);
    // a raw ../ (fetch would normalise it away)
    const raw = await new Promise<number>((resolve, reject) => {
      const req = request(server.url, { path: '/assets/..%2F..%2F..%2Fpackage.json' }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    assert.ok(raw === 403 || raw === 404, `a path out of web/dist is refused (got ${raw})`);
  });

  test('a dropped trace file (gzip lackey) runs as one task', async () => {
    // a loop over 400 pages, 5 times, every third access a store: 2,000 references
    const lines: string[] = [];
    for (let pass = 0; pass < 5; pass++) {
      for (let p = 0; p < 400; p++) lines.push(`${p % 3 === 0 ? ' S' : ' L'} ${(0x10000000 + p * 4096 + 64).toString(16)},8`);
    }
    const gz = gzipSync(Buffer.from(lines.join('\n') + '\n'));
    const generation = await settled();
    await page.evaluate(dropFileScript('loop.lackey.gz', gz));
    await settled(generation);
    assert.match((await page.textContent('[data-testid=scenario] option:checked')) ?? '', /loop\.lackey\.gz/);
    const result = await runToEnd();
    assert.equal(result.outcome, 'completed');
    assert.equal(result.tasks.length, 1);
    assert.equal(result.tasks[0]!.references, 2_000);
    const least = minimumMemoryPages(PRESETS['gnumach-1999'], 0);
    assert.equal(result.totalPages, Math.max(least, 100), 'a quarter of the 400 pages, or the least memory the preset runs in');
    if (result.totalPages < 400) assert.ok(result.vmStat.pageouts > 0, 'the loop does not fit: the daemon pages out');

    // a trace that fails to load changes nothing: the select still names the trace that runs
    await page.evaluate(dropFileScript('broken.lackey', Buffer.from(' Q 1000,8\n')));
    const error = page.locator('[data-testid=error]');
    await error.waitFor({ timeout: 20_000 });
    assert.match((await error.textContent()) ?? '', /broken\.lackey:1: expected a lackey line .* \(the run shown is the previous one\)$/);
    assert.match((await page.textContent('[data-testid=scenario] option:checked')) ?? '', /loop\.lackey\.gz/);
    // a CSV whose header names no columns: a dropped file has no scenario to give them in, so the
    // message says to convert it (a scenario file would take a task's csv key)
    await page.evaluate(dropFileScript('blocks.csv', Buffer.from('0,4096,R\n8,4096,W\n')));
    await page.waitForFunction("/blocks\\.csv/.test(document.querySelector('[data-testid=error]')?.textContent ?? '')", undefined, { timeout: 20_000 });
    assert.match((await error.textContent()) ?? '', /blocks\.csv:1 csv offset: expected a header naming the offset column, or the offset column given \(pageout convert --csv offset=N\), got '0,4096,R'/);
    // a file neither its name nor its content tells: named as the user named it, with advice the
    // page can follow (it has no --format, and no /dropped/ folder the user made)
    await page.evaluate(dropFileScript('odd numbers.txt', Buffer.from('-1\n-2\n')));
    await page.waitForFunction("/odd numbers\\.txt/.test(document.querySelector('[data-testid=error]')?.textContent ?? '')", undefined, { timeout: 20_000 });
    const odd = (await error.textContent()) ?? '';
    assert.match(odd, /^odd numbers\.txt: expected a trace in a format recognised by its name or content \(.*\); give the file its format's extension \(\.lackey, /);
    assert.doesNotMatch(odd, /\/dropped\/|--format/);
    await page.selectOption('[data-testid=scenario]', SMALL_PRESET);
    await page.waitForSelector('[data-testid=error]', { state: 'detached', timeout: 20_000 });
    // a scenario file runs as written
    const before = await settled();
    await page.evaluate(dropFileScript('two loops.yaml', Buffer.from('name: two-loops\ntasks:\n  - { name: a, generator: { kind: loop, pages: 300, iterations: 3 } }\n  - { name: b, generator: { kind: loop, pages: 200, iterations: 2 } }\n')));
    await settled(before);
    const scenario = await runToEnd();
    assert.deepEqual([scenario.scenario, scenario.outcome, scenario.tasks.map((t) => t.references)], ['two-loops', 'completed', [900, 400]]);
    await page.selectOption('[data-testid=scenario]', SMALL_PRESET);
    await settled();
    noErrors();
  });

  test('a dropped compact trace runs in its own page size; one the kernel cannot have is refused by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pageout-e2e-'));
    const compact = (name: string, pageSize: number): Buffer => {
      const path = join(dir, name);
      const w = createTraceWriter(path, 'compact', { pageSize, description: 'a loop over 300 pages' });
      for (let pass = 0; pass < 4; pass++) for (let p = 0; p < 300; p++) w.ref(p, pass === 0 ? REF_WRITE : 0, 1);
      w.close();
      return readFileSync(path);
    };
    try {
      let generation = await settled();
      await page.evaluate(dropFileScript('loop16k.pgt', compact('loop16k.pgt', 16384)));
      generation = await settled(generation);
      const result = await runToEnd();
      assert.equal(result.outcome, 'completed');
      assert.equal(result.pageSize, 16384, 'the machine takes the trace\'s pages');
      assert.equal(result.tasks[0]!.references, 1_200);

      await page.evaluate(dropFileScript('lines.pgt', compact('lines.pgt', 64)));
      const error = page.locator('[data-testid=error]');
      await error.waitFor({ timeout: 20_000 });
      assert.equal(await error.textContent(), "lines.pgt: expected a trace in pages of 512 bytes to 1 MiB, the sizes the kernel's pages may have, got 64-byte pages (the run shown is the previous one)");
      await page.selectOption('[data-testid=scenario]', SMALL_PRESET);
      await page.waitForSelector('[data-testid=error]', { state: 'detached', timeout: 20_000 });
      await settled();
      noErrors();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the result of a run in the browser equals `pageout run --json` on the same scenario', async () => {
    // scan: generators and a mapped file; default: the real cc1 and sort traces (gzip), fetched as assets
    const names = ['scan', 'default'];
    const dir = mkdtempSync(join(tmpdir(), 'pageout-e2e-'));
    try {
      // the CLI runs while the browser does
      const cli = names.map((name) => {
        const run = promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'run', name, '--json', join(dir, `${name}.json`), '--quiet'], { cwd: REPO });
        run.catch(() => {}); // awaited below; not an unhandled rejection if the browser part fails first
        return run;
      });
      for (const [i, name] of names.entries()) {
        await choose(`shipped:${name}`);
        const inBrowser = await runToEnd();
        await cli[i];
        const fromCli = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as RunResult;
        assert.equal(inBrowser.scenario, name);
        assert.deepStrictEqual(inBrowser, fromCli, `${name}: the browser's RunResult differs from pageout run --json`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    noErrors();
  });

  test('on a phone-sized screen the page is one column: no sideways scroll, the grid keeps its width', async () => {
    const size = page.viewportSize();
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      assert.ok(width <= 390, `the page is ${width} px wide in a 390 px window`);
      const grid = await page.locator('[data-testid=memory-grid]').boundingBox();
      assert.ok(grid !== null && grid.width > 300, `the memory grid is ${grid?.width} px wide`);
    } finally {
      if (size) await page.setViewportSize(size);
    }
    noErrors();
  });
});
