/** `pageout compare --report` and `pageout mrc --report` write pages that draw their curves in Chromium. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/harness.js';
import { checkPage, closeBrowser } from './browser.js';

after(closeBrowser);
const CPP = new URL('../../../shared/traces/lirs/cpp.trace.gz', import.meta.url).pathname;
const skip = !existsSync(CPP) && '../shared/traces is not beside the checkout';

test('compare --report: one curve per policy, the rows in a table, no console errors', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-cache-report-'));
  try {
    const file = join(dir, 'compare.html');
    const r = await runCli(['compare', CPP, '--frames', '50,100,200,400', '--policies', 'lru,arc,opt', '--report', file, '-q']);
    assert.equal(r.code, 0, r.stderr);
    const page = await checkPage(file);
    assert.deepEqual(page.errors, []);
    assert.equal(page.chartsReported, 1);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.match(page.text, /Miss ratio by cache size/);
    assert.match(page.text, /opt\s+100\s+9,047\s+1,582\s+0\.1749/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mrc --report: the exact LRU curve and a simulated policy', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-cache-report-'));
  try {
    const file = join(dir, 'mrc.html');
    const r = await runCli(['mrc', CPP, '--policies', 'clock', '--report', file, '-q']);
    assert.equal(r.code, 0, r.stderr);
    const page = await checkPage(file);
    assert.deepEqual(page.errors, []);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.ok(page.canvases >= 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
