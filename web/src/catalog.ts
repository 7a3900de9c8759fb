/**
 * The scenarios the visualizer offers, and how a RunConfig becomes the Scenario the kernel runs:
 * the shipped YAML files (the same ones `pageout run` reads), the built-in synthetic presets, or
 * a dropped trace file as one task. The user's overrides (memory, preset, tunables, fixes) go on top.
 */
import type { Scenario } from '../../src/kernel/scenario.js';
import { PRESETS } from './presets.js';
import type { CatalogEntry, RunConfig } from './protocol.js';

export const DEFAULT_ENTRY_ID = PRESETS[0]!.id;

export function catalogEntries(): CatalogEntry[] {
  return PRESETS.map((p) => {
    const s = p.build();
    return { id: p.id, title: p.title, description: s.description, origin: 'preset', memoryPages: s.machine.memoryPages };
  });
}

function baseScenario(config: RunConfig): Scenario {
  const w = config.workload;
  if (w.kind === 'catalog') {
    const preset = PRESETS.find((p) => p.id === w.id);
    if (preset) return preset.build();
    throw new Error(`no scenario '${w.id}' in this build`);
  }
  throw new Error(`trace files are not supported yet (${w.name})`);
}

/** The scenario of `config`, with the user's overrides applied. */
export function buildScenario(config: RunConfig): Scenario {
  return applyOverrides(baseScenario(config), config);
}

export function applyOverrides(s: Scenario, config: RunConfig): Scenario {
  return {
    ...s,
    machine: { ...s.machine, memoryPages: config.memoryPages ?? s.machine.memoryPages },
    preset: config.preset ?? s.preset,
    tunables: { ...s.tunables, ...config.tunables },
    fixes: { ...config.fixes },
  };
}
