/**
 * The `mach` row's kernel configured by the overrides `pageout run` takes (preset, fixes,
 * tunables and options): compare's and mrc's --mach-preset, --mach-fix and --mach-set, and a
 * cache sweep's keys for its mach points. Sizes in bytes count the trace's pages, as --memory does
 * (the row's frames are the trace's pages), so the values are checked in full once the trace's
 * page size is known; before then, all but the tunables' values.
 */
import { inTracePages, machLabel, machProbeScenario, type MachRowOptions } from '../cache/mach-row.js';
import type { Scenario } from '../kernel/scenario.js';
import { DEFAULT_PAGE_SIZE } from './trace/formats.js';
import { applyOverrides, kernelChangeWords, KERNEL_OPTION_NAMES, type LocateOverride, type ScenarioOverrides } from './overrides.js';

export interface MachRowSettings {
  /** Check the preset, the defects, the options and the tunables' names (each tunable's value a 1, which every tunable takes). */
  checkWithoutPages(): void;
  /** Check every value in `pageSize`-byte pages; the row options that apply them, labelled with what changed. */
  rowOptions(pageSize: number): MachRowOptions;
}

export function machRowSettings(overrides: Pick<ScenarioOverrides, 'preset' | 'fixes' | 'set'>, locate: LocateOverride): MachRowSettings {
  const { preset, fixes, set } = overrides;
  const kernel = { ...(preset !== undefined ? { preset } : {}), ...(fixes !== undefined ? { fixes } : {}), ...(set !== undefined ? { set } : {}) };
  const configure = (pageSize: number, only: ScenarioOverrides = kernel): ((scenario: Scenario) => Scenario) =>
    inTracePages((scenario) => applyOverrides(scenario, only, locate), pageSize);
  return {
    checkWithoutPages() {
      const names = Object.fromEntries(Object.entries(set ?? {}).map(([name, v]) => [name, (KERNEL_OPTION_NAMES as readonly string[]).includes(name) ? v : '1']));
      configure(DEFAULT_PAGE_SIZE, { ...kernel, set: names })(machProbeScenario());
    },
    rowOptions(pageSize) {
      if (Object.keys(kernel).length === 0) return {};
      const apply = configure(pageSize);
      apply(machProbeScenario()); // every value, before any row runs
      return { configure: apply, label: machLabel(kernelChangeWords(kernel)) };
    },
  };
}
