/** Shared fixtures for kernel tests (SimPy's `env`): small machines with synthetic tasks. */
import { createGenerator, type GeneratorSpec } from '../../src/workload/generators.js';
import {
  DEFAULT_MACHINE, DEFAULT_OPTIONS, NO_FIXES, defaultPager,
  type Backing, type Fixes, type KernelOptions, type MachineSpec, type PresetName, type RegionSpec, type Scenario, type Tunables,
} from '../../src/kernel/index.js';

export interface TaskFixture {
  name?: string;
  generator: GeneratorSpec;
  startNs?: number;
  regions?: RegionSpec[];
  data?: Backing;
  instruction?: Backing;
  seed?: number;
}

export interface ScenarioFixture {
  pages?: number;
  machine?: Partial<MachineSpec>;
  preset?: PresetName;
  tunables?: Tunables;
  fixes?: Partial<Fixes>;
  options?: Partial<KernelOptions>;
  tasks: TaskFixture[];
  seed?: number;
  diskNs?: number;
  maxSimNs?: number;
  fileNeverDeallocates?: boolean;
  writeErrorRate?: number;
}

export function makeScenario(f: ScenarioFixture): Scenario {
  const pager = () => {
    const p = defaultPager();
    if (f.diskNs !== undefined) p.disk = { readLatencyNs: f.diskNs, writeLatencyNs: f.diskNs, perPageNs: 0 };
    return p;
  };
  const file = pager();
  if (f.fileNeverDeallocates) file.neverDeallocate = true;
  const dflt = pager();
  if (f.writeErrorRate) dflt.faults.writeErrorRate = f.writeErrorRate;
  return {
    name: 'fixture',
    description: 'test fixture',
    seed: f.seed ?? 1,
    machine: { ...DEFAULT_MACHINE, memoryPages: f.pages ?? 512, ...f.machine },
    preset: f.preset ?? 'gnumach-1999',
    tunables: f.tunables ?? {},
    fixes: { ...NO_FIXES, ...f.fixes },
    options: { ...DEFAULT_OPTIONS, checks: 'full', ...f.options },
    pagers: { default: dflt, file },
    tasks: f.tasks.map((t, i) => ({
      name: t.name ?? `t${i}`,
      startNs: t.startNs ?? 0,
      source: () => createGenerator(t.generator, t.seed ?? 100 + i),
      regions: t.regions ?? [],
      unmapped: { instruction: t.instruction ?? { kind: 'anonymous' }, data: t.data ?? { kind: 'anonymous' } },
    })),
    maxSimNs: f.maxSimNs ?? 0,
  };
}
