/**
 * Sweep scaling: `npm run bench` (bench/run.ts calls run()), or `node --import tsx bench/sweep.ts`.
 *
 * Runs the same sweep (8 points of a small paging workload) on 1 worker and on N workers (the
 * machine's cores) and reports wall time and the ratio. The target: N workers take about 1/N of
 * one worker's time (efficiency = t1 / (N × tN) near 100 %). Worker start-up (loading tsx and the
 * kernel in each thread) is included, as a user would pay it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSweepSpec } from '../src/sweep/spec.js';
import { runSweep } from '../src/sweep/run.js';

const SCENARIO = `name: bench-sweep
seed: 5
machine: { memory: 768 }
tasks:
  - name: hot
    generator: { kind: hotset, hotPages: 350, coldPages: 1400, references: 1000000, hotProbability: 0.9, scanEvery: 8000, scanLength: 300, writeFraction: 0.3 }
`;

const SWEEP = (scenario: string): string => `base: ${scenario}
vary:
  tunables.vm_pageout_burst_max: [8, 16, 32, 64]
  seed: [1, 2]
`;

/** Wall seconds and the process's CPU seconds (all threads) of one sweep. */
async function timed(file: string, workers: number): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let failed = 0;
  await runSweep(readSweepSpec(file), { workers, onOutcome: (_p, o) => { if (!o.ok) failed++; } });
  if (failed) throw new Error(`${failed} sweep points failed`);
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

export async function run(): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const dir = mkdtempSync(join(tmpdir(), 'pageout-bench-sweep-'));
  try {
    const scenario = join(dir, 'scenario.yaml');
    const sweep = join(dir, 'sweep.yaml');
    writeFileSync(scenario, SCENARIO);
    writeFileSync(sweep, SWEEP(scenario));
    const cores = availableParallelism();
    const inThread = await timed(sweep, 0);
    const one = await timed(sweep, 1);
    const many = cores > 1 ? await timed(sweep, cores) : one;
    const table = new Table({
      head: ['sweep of 8 points', 'wall s', 'CPU s', 'speed-up vs 1 worker', 'efficiency'],
      style: { head: [], border: [] },
      colAligns: ['left', 'right', 'right', 'right', 'right'],
    });
    table.push(['in the main thread', inThread.wall.toFixed(2), inThread.cpu.toFixed(2), '', '']);
    table.push(['1 worker', one.wall.toFixed(2), one.cpu.toFixed(2), '1.00×', '100 %']);
    table.push([`${cores} workers`, many.wall.toFixed(2), many.cpu.toFixed(2), `${(one.wall / many.wall).toFixed(2)}×`,
      `${((100 * one.wall) / (cores * many.wall)).toFixed(0)} %`]);
    console.log(table.toString());
    console.log(`target: ${cores} workers ≈ 1/${cores} of one worker's time (speed-up ${cores}.00×); CPU s ≫ wall s × workers means other load on the machine`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
