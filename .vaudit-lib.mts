import { chromium, type Page } from 'playwright-core';
export const URL = 'http://127.0.0.1:5199/';
export async function open() {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const ctx = await b.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('crash', () => errors.push('PAGE CRASHED'));
  page.on('worker', (w) => { errors.push(`(worker started ${w.url().slice(-40)})`); });
  await page.goto(URL);
  await settled(page);
  return { b, page, errors };
}
export function settledExpr(min: number) {
  return `(() => { const app = document.querySelector('[data-testid=app]'); if (!app || app.getAttribute('data-loading') !== 'false') return false;
    return Number(app.getAttribute('data-generation')) > ${min} || document.querySelector('[data-testid=error]') !== null; })()`;
}
export async function gen(page: Page) { return Number(await page.getAttribute('[data-testid=app]', 'data-generation')); }
export async function settled(page: Page, after = 0, timeout = 30000) {
  await page.waitForFunction(settledExpr(after), undefined, { timeout });
}
export async function state(page: Page) {
  return page.evaluate(`(() => {
    const q = (s) => document.querySelector(s);
    const app = q('[data-testid=app]');
    return {
      gen: app.getAttribute('data-generation'), loading: app.getAttribute('data-loading'), running: app.getAttribute('data-running'), done: app.getAttribute('data-done'),
      t: q('[data-testid=sim-time]')?.textContent, error: q('[data-testid=error]')?.textContent ?? null,
      memory: q('[data-testid=memory]')?.value, memHelp: q('#memory-help')?.textContent,
      play: q('[data-testid=play]')?.textContent, playDisabled: q('[data-testid=play]')?.disabled,
      busy: q('[data-testid=busy]')?.textContent ?? null, badge: q('[data-testid=done-badge]')?.textContent ?? null,
      scenario: q('[data-testid=scenario] option:checked')?.textContent,
      hist: q('[data-testid=history]')?.value + '/' + q('[data-testid=history]')?.max,
      grid: q('#grid-title')?.textContent,
    };
  })()`);
}
export async function fill(page: Page, sel: string, v: string) {
  const l = page.locator(sel);
  await l.fill(v);
  await l.press('Enter');
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
