/**
 * Opens an HTML file from file:// in Debian's headless Chromium (playwright-core, no download)
 * and reports what a user would see go wrong: console errors, page errors, failed requests, and
 * how many charts were drawn with pixels on their canvas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface PageCheck {
  errors: string[];
  /** data-charts set by the page script once it has drawn */
  chartsReported: number;
  /** uPlot canvases with at least one non-transparent pixel */
  canvasesDrawn: number;
  canvases: number;
  title: string;
  /** text of the page body */
  text: string;
}

export const CHROMIUM = '/usr/bin/chromium';

/** One browser per test file (launching is the slow part); each check opens a fresh page. */
let shared: { context: BrowserContext; profile: string } | null = null;

async function browser(): Promise<BrowserContext> {
  if (!shared) {
    const profile = mkdtempSync(join(tmpdir(), 'pageout-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    shared = { context, profile };
  }
  return shared.context;
}

/** Close the file's browser; call from `after()`. */
export async function closeBrowser(): Promise<void> {
  if (!shared) return;
  const { context, profile } = shared;
  shared = null;
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

export async function checkPage(file: string, act?: (page: Page) => Promise<void>): Promise<PageCheck> {
  const context = await browser();
  const page = await context.newPage();
  try {
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
    await page.goto(pathToFileURL(file).href);
    // string expressions: the test tsconfig has no DOM types
    await page.waitForFunction('document.documentElement.dataset.charts !== undefined', null, { timeout: 10_000 });
    if (act) await act(page);
    const drawn = (await page.evaluate(`(() => {
      const canvases = Array.from(document.querySelectorAll('.uplot canvas'));
      let nonBlank = 0;
      for (const c of canvases) {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) continue;
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) { nonBlank++; break; }
      }
      return { canvases: canvases.length, nonBlank, charts: Number(document.documentElement.dataset.charts) };
    })()`)) as { canvases: number; nonBlank: number; charts: number };
    return {
      errors,
      chartsReported: drawn.charts,
      canvasesDrawn: drawn.nonBlank,
      canvases: drawn.canvases,
      title: await page.title(),
      text: (await page.evaluate('document.body.innerText')) as string,
    };
  } finally {
    await page.close();
  }
}
