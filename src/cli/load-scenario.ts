/**
 * Scenario loading for the CLI and the sweep workers: a shipped name, a file path, or (no
 * argument) the embedded default, with the user's overrides applied on top.
 */
import { DEFAULT_MACHINE, DEFAULT_OPTIONS, NO_FIXES, defaultPager, type Scenario } from '../kernel/scenario.js';
import { createGenerator, type GeneratorSpec } from '../workload/generators.js';
import { applyOverrides, type LocateOverride, type ScenarioOverrides } from '../workload/overrides.js';

type LoadScenario = (nameOrPath?: string) => Scenario | Promise<Scenario>;

let loader: LoadScenario | null = null;

async function workloadLoader(): Promise<LoadScenario> {
  if (loader) return loader;
  // TODO(lead): switch to a static import once src/workload/index.ts has landed.
  const specifier = '../workload/index.js';
  try {
    const mod = (await import(specifier)) as { loadScenario: LoadScenario };
    loader = mod.loadScenario;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    loader = () => synthetic();
  }
  return loader;
}

/** Interim default while scenario files are not loadable: one task over a hot set with scans. */
function synthetic(): Scenario {
  const spec: GeneratorSpec = {
    kind: 'hotset', hotPages: 1200, coldPages: 4000, references: 400_000,
    hotProbability: 0.9, scanEvery: 50_000, scanLength: 2000, writeFraction: 0.3,
  };
  const seed = 1;
  return {
    name: 'synthetic', description: 'hot set with periodic scans', seed,
    machine: { ...DEFAULT_MACHINE, memoryPages: 2048 },
    preset: 'gnumach-1999', tunables: {}, fixes: { ...NO_FIXES }, options: { ...DEFAULT_OPTIONS },
    pagers: { default: defaultPager(), file: defaultPager() },
    tasks: [{
      name: 'hotset', startNs: 0, source: () => createGenerator(spec, seed),
      regions: [{ name: 'heap', startPage: 0, pages: 5200, backing: { kind: 'anonymous' }, writable: true }],
      unmapped: { instruction: { kind: 'anonymous' }, data: { kind: 'anonymous' } },
    }],
    maxSimNs: 0,
  };
}

/** The scenario `nameOrPath` names (undefined = the embedded default), overrides applied. */
export async function loadScenarioWithOverrides(
  nameOrPath: string | undefined,
  overrides: ScenarioOverrides = {},
  locate?: LocateOverride,
): Promise<Scenario> {
  const load = await workloadLoader();
  const scenario = await load(nameOrPath);
  return applyOverrides(scenario, overrides, locate);
}
