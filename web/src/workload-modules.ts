/**
 * The parts of src/workload the worker runs that import Node (scenario-file.ts reads files with
 * node:fs; overrides.ts imports it). The build replaces node:fs, node:path, node:url and
 * trace/file.ts with in-memory shims (vite.config.ts, shims/), so these run unchanged in the
 * browser. They are loaded through import.meta.glob so that tsc, which has no Node types here and
 * knows nothing of the shims, does not follow them; their signatures are restated below, and the
 * e2e test runs them.
 */
import type { Scenario } from '../../src/kernel/scenario.js';

interface ScenarioFileModule {
  /** Parse scenario text; trace paths in it start at `baseDir`. */
  parseScenarioText(text: string, fileName: string, baseDir: string): Scenario;
}
interface OverridesModule {
  /** Distinct pages the scenario's tasks touch (reads every stream once). */
  distinctPages(scenario: Scenario): number;
}

const scenarioFile = import.meta.glob<ScenarioFileModule>('../../src/workload/scenario-file.ts', { eager: true });
const overrides = import.meta.glob<OverridesModule>('../../src/workload/overrides.ts', { eager: true });

function only<T>(modules: Record<string, T>, name: string): T {
  const mod = Object.values(modules)[0];
  if (!mod) throw new Error(`this build lacks ${name}`);
  return mod;
}

export const parseScenarioText: ScenarioFileModule['parseScenarioText'] = (text, fileName, baseDir) =>
  only(scenarioFile, 'src/workload/scenario-file.ts').parseScenarioText(text, fileName, baseDir);

export const distinctPages: OverridesModule['distinctPages'] = (scenario) => only(overrides, 'src/workload/overrides.ts').distinctPages(scenario);
