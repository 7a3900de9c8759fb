/**
 * `npm run bench [-- NAME...]`: every benchmark, each in its own process so that peak memory
 * belongs to it alone. Benchmarks report ratios against a baseline measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['kernel', 'readers', 'capture', 'cache', 'report', 'sweep', 'visualizer'];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`bench: no benchmark named ${name} (have: ${all.filter((n) => existsSync(join(here, `${n}.ts`))).join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `const m = await import(${JSON.stringify(file)}); await m.run();`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
