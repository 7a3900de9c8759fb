/**
 * Kernel-mode speed: references per second of wall time for a full kernel run on a hit-heavy and
 * on a fault-heavy workload, and peak memory. The baseline, measured in the same run, is the bare
 * hit path over the same reference stream (page table lookup + reference bit in typed arrays):
 * the ratio says what the whole model costs on top of it. `node --import tsx bench/kernel.ts`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSimulation, runScenario } from '../src/kernel/index.js';
import { DEFAULT_MACHINE, DEFAULT_OPTIONS, NO_FIXES, defaultPager, type Scenario } from '../src/kernel/scenario.js';
import { createGenerator, type GeneratorSpec } from '../src/workload/generators.js';
import { RefBatch, REF_WRITE } from '../src/kernel/ref-source.js';

function scenario(name: string, memoryPages: number, spec: GeneratorSpec): Scenario {
  return {
    name, description: name, seed: 1,
    machine: { ...DEFAULT_MACHINE, memoryPages },
    preset: 'gnumach-1999', tunables: {}, fixes: { ...NO_FIXES }, options: { ...DEFAULT_OPTIONS },
    pagers: { default: defaultPager(), file: defaultPager() },
    tasks: [{ name: 't', startNs: 0, source: () => createGenerator(spec, 7), regions: [], unmapped: { instruction: { kind: 'anonymous' }, data: { kind: 'anonymous' } } }],
    maxSimNs: 0,
  };
}

/** The bare hit path over the same stream: the ceiling the model is measured against. */
function baseline(spec: GeneratorSpec): { refs: number; seconds: number } {
  const src = createGenerator(spec, 7);
  const batch = new RefBatch(4096);
  const pageTable = new Int32Array(1 << 20).fill(-1);
  const refBits = new Uint8Array(1 << 20);
  let next = 0;
  let refs = 0;
  const t0 = performance.now();
  for (let n = src.read(batch); n > 0; n = src.read(batch)) {
    for (let i = 0; i < n; i++) {
      const vpn = batch.page[i]! & 0xfffff;
      let f = pageTable[vpn]!;
      if (f < 0) f = pageTable[vpn] = next++;
      refBits[f] = batch.flags[i]! & REF_WRITE ? 3 : 1;
      refs += batch.count[i]!;
    }
  }
  return { refs, seconds: (performance.now() - t0) / 1000 };
}

export async function run(): Promise<void> {
  const cases: { name: string; memoryPages: number; spec: GeneratorSpec }[] = [
    { name: 'hit-heavy (loop over 2,000 pages, 16,384 frames)', memoryPages: 16384, spec: { kind: 'loop', pages: 2000, iterations: 2500, writeFraction: 0.2 } },
    { name: 'fault-heavy (uniform over 12,000 pages, 4,096 frames)', memoryPages: 4096, spec: { kind: 'uniform', pages: 12000, references: 600_000, writeFraction: 0.3 } },
  ];
  console.log('kernel mode: references per second (wall clock), against the bare hit path over the same stream');
  console.log('| workload | refs | faults | kernel refs/s | bare refs/s | kernel / bare | simulated time |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of cases) {
    const base = baseline(c.spec);
    const t0 = performance.now();
    const r = runScenario(scenario(c.name, c.memoryPages, c.spec));
    const seconds = (performance.now() - t0) / 1000;
    const refs = r.tasks[0]!.references;
    const kps = refs / seconds;
    const bps = base.refs / base.seconds;
    console.log(`| ${c.name} | ${refs.toLocaleString('en')} | ${r.vmStat.faults.toLocaleString('en')} | ${fmt(kps)} | ${fmt(bps)} | ${(kps / bps).toFixed(3)} | ${(r.simulatedTimeNs / 1e9).toFixed(2)} s |`);
  }
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  await hitPathAllocations();
}

/**
 * The hot path must not allocate: after a warm-up pass maps every page, count the garbage
 * collections while millions of further references hit. Allocation on the hit path would show
 * as a steady stream of minor (scavenge) collections.
 */
async function hitPathAllocations(): Promise<void> {
  const spec: GeneratorSpec = { kind: 'loop', pages: 1000, iterations: 10_000, writeFraction: 0 };
  const sim = createSimulation(scenario('hits', 16384, spec));
  sim.stepReferences(2000); // warm-up: every page faulted in and mapped
  // collect what earlier measurements and the warm-up left behind, or its collection would be
  // counted against the hit path (runs showed 0–3 collections, with or without the hit path)
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  let gcs = 0;
  const observer = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
  observer.observe({ entryTypes: ['gc'] });
  const faultsBefore = sim.result().vmStat.faults;
  const refsBefore = sim.result().tasks[0]!.references;
  sim.runToEnd();
  await new Promise((r) => setTimeout(r, 50)); // let the observer deliver
  observer.disconnect();
  const r = sim.result();
  console.log(`hit path: ${(r.tasks[0]!.references - refsBefore).toLocaleString('en')} references after warm-up, ${r.vmStat.faults - faultsBefore} faults, ${gcs} garbage collections (0 = the hit path allocates nothing)`);
}

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(1)} M` : `${(x / 1e3).toFixed(0)} k`;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
