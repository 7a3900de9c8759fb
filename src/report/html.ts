/**
 * `--report FILE.html`: one self-contained page that works offline from file://. It inlines
 * uPlot's own dist files (read from node_modules at run time, not copied into the repo), the
 * hand-written page script in ./assets, and the data as JSON in a `<script type="application/json">`
 * block with `<` escaped, so no value can close the tag. No build step.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError, writeProblem } from '../errors.js';
import type { RunResult } from '../kernel/result.js';
import type { CollectedRun } from './collect.js';
import type { FlatValue } from './rows.js';
import type { SeriesColumns } from './sampler.js';

/** One kernel run in a report. */
export interface ReportRun {
  label: string;
  result: RunResult;
  /** null when the run was made without a time series */
  series: SeriesColumns | null;
  sampleIntervalNs: number;
  /** the parameters that distinguish this run (sweep points) */
  params?: Record<string, FlatValue>;
}

/** A miss-ratio curve of one policy (compare / mrc). */
export interface MissRatioCurve {
  policy: string;
  /** cache sizes, ascending */
  sizes: number[];
  /** miss ratio (0..1) at each size */
  missRatios: number[];
}

export interface ReportData {
  title: string;
  kind: 'run' | 'compare' | 'mrc' | 'sweep';
  /** what the page is about, shown under the title (scenario, trace, command line) */
  subtitle?: string;
  runs: ReportRun[];
  curves?: { sizeUnit: string; curves: MissRatioCurve[] };
  /** a results table (sweep points, compare rows); a row may point at runs[runIndex] */
  table?: { columns: string[]; rows: FlatValue[][]; runIndex?: (number | null)[] };
}

export function runReportData(run: CollectedRun, label?: string): ReportData {
  const r = run.result;
  return {
    title: `pageout run: ${r.scenario}`,
    kind: 'run',
    subtitle: `preset ${r.preset} · seed ${r.seed} · ${r.totalPages} pages of ${r.pageSize} bytes`,
    runs: [{ label: label ?? r.scenario, result: r, series: run.series, sampleIntervalNs: run.sampleIntervalNs }],
  };
}

/**
 * A report of miss-ratio curves (`pageout compare --report`, `pageout mrc --report`): one chart of
 * every policy's curve, and the rows of the comparison as a table. Kernel runs may be added
 * (the `mach` row) and are charted below.
 */
export function curvesReportData(opts: {
  kind: 'compare' | 'mrc';
  title: string;
  subtitle?: string;
  /** unit of the x axis: 'pages', 'frames', 'objects' */
  sizeUnit: string;
  curves: MissRatioCurve[];
  table?: { columns: string[]; rows: FlatValue[][] };
  runs?: ReportRun[];
}): ReportData {
  return {
    title: opts.title,
    kind: opts.kind,
    ...(opts.subtitle !== undefined ? { subtitle: opts.subtitle } : {}),
    runs: opts.runs ?? [],
    curves: { sizeUnit: opts.sizeUnit, curves: opts.curves },
    ...(opts.table ? { table: opts.table } : {}),
  };
}

const require = createRequire(import.meta.url);
let assets: { uplotJs: string; uplotCss: string; pageJs: string; pageCss: string } | null = null;

function loadAssets(): NonNullable<typeof assets> {
  if (!assets) {
    const here = new URL('./assets/', import.meta.url);
    assets = {
      uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
      pageJs: readFileSync(new URL('report-page.js', here), 'utf8'),
      pageCss: readFileSync(new URL('report-page.css', here), 'utf8'),
    };
  }
  return assets;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

/** Script text cannot contain `</script`; neither the JSON (all `<` escaped) nor our assets do. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

export function renderHtmlReport(data: ReportData): string {
  const a = loadAssets();
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<link rel="icon" href="data:,">
<style>${a.uplotCss}</style>
<style>${a.pageCss}</style>
</head>
<body>
<main id="app"><h1>${escapeHtml(data.title)}</h1><noscript>This report draws its charts with JavaScript.</noscript></main>
<script type="application/json" id="report-data">${json}</script>
<script>${scriptSafe(a.uplotJs)}</script>
<script>${scriptSafe(a.pageJs)}</script>
</body>
</html>
`;
}

export function writeHtmlReport(file: string, data: ReportData): void {
  try {
    writeFileSync(file, renderHtmlReport(data));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new InputError({ file, field: '--report' }, 'a writable file', writeProblem(e));
  }
}
