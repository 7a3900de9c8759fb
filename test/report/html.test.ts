import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curvesReportData, renderHtmlReport, type ReportData } from '../../src/report/html.js';
import { BoundedSeries } from '../../src/report/sampler.js';
import { checkPage, closeBrowser } from './browser.js';
import { fakeResult, fakeSamples } from './fixture.js';

after(closeBrowser);

function series(n: number, cap = 512) {
  const s = new BoundedSeries(cap);
  for (const x of fakeSamples(n)) s.add(x);
  return s.columns();
}

function embeddedJson(html: string): unknown {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'data block present');
  return JSON.parse(m[1]!);
}

test('data that contains </script> cannot break out of the data block', () => {
  const hostile = '</script><script>alert(1)</script><!--';
  const data: ReportData = {
    title: 'x', kind: 'run',
    runs: [{ label: hostile, result: fakeResult({ scenario: hostile }), series: series(10), sampleIntervalNs: 1e7 }],
  };
  const html = renderHtmlReport(data);
  assert.ok(!html.includes('<script>alert(1)'));
  assert.deepEqual(embeddedJson(html), JSON.parse(JSON.stringify(data)));
  assert.ok(html.includes('<link rel="icon" href="data:,">'));
  assert.ok(!/src="http|href="http/.test(html), 'nothing loaded from the network');
});

test('a run report opens from file:// without errors and draws every chart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-report-'));
  try {
    const file = join(dir, 'run.html');
    writeFileSync(file, renderHtmlReport({
      title: 'pageout run: fixture', kind: 'run',
      runs: [{ label: 'fixture', result: fakeResult({ outcome: 'livelock', outcomeDetail: 'S5 goto pause forever', defects: [{ defect: 'B2', step: 'S5', t: 1_500_000_000, page: 812, fixed: false }] }), series: series(5000), sampleIntervalNs: 1e7 }],
    }));
    const page = await checkPage(file);
    assert.deepEqual(page.errors, []);
    // free+thresholds, active/inactive, laundry, burst_wait, rates, per-task progress
    assert.equal(page.chartsReported, 6);
    assert.ok(page.canvases >= 6);
    assert.equal(page.canvasesDrawn, page.canvases, 'every canvas has pixels');
    assert.match(page.text, /LIVELOCK/);
    assert.match(page.text, /alpha <b>/, 'names shown as text, not markup');
    assert.match(page.text, /vm_pageout_inactive_dirty/);
    assert.match(page.text, /Seed defects hit\s+defect\s+step\s+time\s+page\s+the run\s+B2\s+S5\s+1\.500 s\s+812\s+faithful/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a threshold wrapped past the memory (unsigned int in C) is listed but not drawn', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-report-'));
  try {
    const file = join(dir, 'run.html');
    const wrapped = { ...fakeResult().thresholds, vm_pageout_reserved_internal: 4_294_967_291, vm_pageout_reserved_really: 4_294_967_276 };
    writeFileSync(file, renderHtmlReport({
      title: 'pageout run: a reserve of 20', kind: 'run',
      runs: [{ label: 'fixture', result: fakeResult({ thresholds: wrapped }), series: series(500), sampleIntervalNs: 1e7 }],
    }));
    const page = await checkPage(file);
    assert.deepEqual(page.errors, []);
    assert.match(page.text, /vm_pageout_reserved_really\s+4,294,967,276/, 'the table gives the value Mach had');
    // the chart's legend reads "free--free_target--free_min--..."
    assert.match(page.text, /--free_target--/, 'a threshold within memory is in the chart legend');
    assert.doesNotMatch(page.text, /--reserved_(internal|really)(--|\s)/, 'the wrapped ones are not drawn');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a comparison report draws miss-ratio curves and switches runs from the table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-report-'));
  try {
    const file = join(dir, 'cmp.html');
    writeFileSync(file, renderHtmlReport({
      title: 'compare', kind: 'sweep',
      curves: { sizeUnit: 'pages', curves: [
        { policy: 'lru', sizes: [64, 128, 256], missRatios: [0.5, 0.3, 0.1] },
        { policy: 'opt', sizes: [64, 128, 512], missRatios: [0.4, 0.2, 0.01] },
      ] },
      table: { columns: ['memory', 'faults'], rows: [[1024, 100], [2048, 50]], runIndex: [0, 1] },
      runs: [
        { label: 'memory=1024', result: fakeResult({ totalPages: 1024 }), series: series(300), sampleIntervalNs: 1e7 },
        { label: 'memory=2048', result: fakeResult({ totalPages: 2048, tasks: [] }), series: series(200), sampleIntervalNs: 1e7 },
      ],
    }));
    const page = await checkPage(file, async (p) => {
      await p.click('tr.pick[data-run="1"]');
      await p.waitForFunction('document.querySelector("tr.selected")?.dataset.run === "1"');
    });
    assert.deepEqual(page.errors, []);
    // the curves chart plus the second run's 6 charts
    assert.equal(page.chartsReported, 7);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.match(page.text, /Miss-ratio curves/);
    assert.match(page.text, /memory=2048/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a curves-only report (compare / mrc) draws the curves and the table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-report-'));
  try {
    const file = join(dir, 'mrc.html');
    writeFileSync(file, renderHtmlReport(curvesReportData({
      kind: 'mrc', title: 'pageout mrc: trace.pgt', sizeUnit: 'pages',
      curves: [
        { policy: 'lru', sizes: [16, 32, 64, 128], missRatios: [0.9, 0.6, 0.3, 0.05] },
        { policy: 'arc', sizes: [16, 32, 64, 128], missRatios: [0.85, 0.5, 0.25, 0.05] },
      ],
      table: { columns: ['policy', 'frames', 'miss ratio'], rows: [['lru', 16, 0.9], ['arc', 16, 0.85]] },
    })));
    const page = await checkPage(file);
    assert.deepEqual(page.errors, []);
    assert.equal(page.chartsReported, 1);
    assert.equal(page.canvasesDrawn, page.canvases);
    assert.match(page.text, /Miss ratio by cache size/);
    assert.match(page.text, /arc\s+16\s+0\.85/);
    assert.doesNotMatch(page.text, /log scale/, 'one decade of sizes stays on a linear axis');
    // sizes over two decades or more (mrc's default list) go on a log axis
    writeFileSync(file, renderHtmlReport(curvesReportData({
      kind: 'mrc', title: 'pageout mrc: trace.pgt', sizeUnit: 'frames',
      curves: [{ policy: 'lru', sizes: [1, 10, 100, 1000], missRatios: [0.99, 0.8, 0.3, 0.05] }],
      table: { columns: ['policy', 'frames', 'miss ratio'], rows: [['lru', 1, 0.99]] },
    })));
    const wide = await checkPage(file);
    assert.deepEqual(wide.errors, []);
    assert.equal(wide.canvasesDrawn, wide.canvases);
    assert.match(wide.text, /cache size \(frames, log scale\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
