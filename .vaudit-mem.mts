import { open, state, fill, settled, gen, sleep } from './.vaudit-lib.mts';
const { b, page, errors } = await open();
console.log('initial', await state(page));
await page.screenshot({ path: '/tmp/vaudit/initial.png' });
{ const g = await gen(page); await page.selectOption('[data-testid=scenario]', 'preset:hotset-1m'); await settled(page, g); }
const vals = ['abc', '0', '-5', '1e9', '200%', '0%', '25%', '64MiB', '3KB', '1.5', '100.5%', '0.5MiB', '1000000000', '100000000', '  ', '', '4KiB', '1GiB', '10000000p'];
for (const v of vals) {
  const g0 = await gen(page);
  await fill(page, '[data-testid=memory]', v);
  await sleep(1500);
  try { await settled(page, 0, 60000); } catch (e) { console.log('NOT SETTLED', String(e).slice(0,100)); }
  const s = await state(page);
  console.log(JSON.stringify(v), 'gen', g0, '->', s.gen, '| memHelp:', s.memHelp, '| error:', s.error, '| memory field:', s.memory, '| aria-invalid', await page.getAttribute('[data-testid=memory]', 'aria-invalid'), '| grid', s.grid);
  if (errors.length) { console.log('ERRORS', errors.splice(0)); }
  await page.screenshot({ path: `/tmp/vaudit/mem-${v.replace(/[^\w]/g, '_') || 'empty'}.png` });
}
await b.close();
