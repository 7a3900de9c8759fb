/**
 * Scenario loading for the CLI, the sweep workers and the library API: a shipped name, a file
 * path, or (no argument) the embedded default, with the user's overrides applied on top.
 */
import type { Scenario } from '../kernel/scenario.js';
import { loadScenario } from '../workload/index.js';
import { applyOverrides, type LocateOverride, type ScenarioOverrides } from '../workload/overrides.js';

/** The scenario `nameOrPath` names (undefined = the embedded default), overrides applied. */
export async function loadScenarioWithOverrides(
  nameOrPath: string | undefined,
  overrides: ScenarioOverrides = {},
  locate?: LocateOverride,
): Promise<Scenario> {
  return applyOverrides(loadScenario(nameOrPath), overrides, locate);
}
