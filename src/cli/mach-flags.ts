/**
 * The `mach` row's flags and runs, shared by `pageout compare` and `pageout mrc`: --mach-preset,
 * --mach-fix and --mach-set configure its kernel as `pageout run`'s flags do, and `machRows` runs
 * it at every size, a warm-up taken out as the whole run less the warm-up's own (the kernel is
 * causal: nothing in the first references depends on what follows them).
 */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { collect, COMMAND_LINE, flagError } from './common.js';
import type { CompareRow, DenseTrace } from '../cache/index.js';
import type { MachRowOptions } from '../cache/mach-row.js';
import type { LocateOverride, ScenarioOverrides } from '../workload/overrides.js';

export interface MachFlags {
  machPreset?: string;
  machFix?: string;
  machSet?: string[];
}

/** --mach-preset, --mach-fix, --mach-set. */
export function addMachOptions(cmd: Command): Command {
  return cmd
    .option('--mach-preset <name>', 'the mach row\'s kernel version, as run --preset: cmu-1987, gnumach-1999 (the seed, default), gnumach-2014')
    .option('--mach-fix <defects>', 'fix seed defects in the mach row, as run --fix: B1,B2,B3, all or none (default: faithful)')
    .option('--mach-set <name=value>', 'set a tunable of the mach row, as run --set (vm_pageout_burst_max=32); repeatable', collect);
}

export interface MachSettings {
  /** the row options for a trace of `pageSize`-byte pages (its values checked in those pages) */
  rowOptions(pageSize: number): MachRowOptions;
}

/**
 * The mach row at every size of `sizes` over `trace` (of `pageSize`-byte pages), counted after
 * `warmup` references; `onRun` after each kernel run.
 */
export async function machRows(
  trace: DenseTrace & { pageSize: number },
  sizes: readonly number[],
  settings: MachSettings,
  warmup: number,
  onRun: () => void = () => {},
): Promise<(CompareRow & { outcome?: string })[]> {
  const { machRow } = await import('../cache/mach-row.js');
  const { prefixOf, afterWarmup } = await import('../cache/index.js');
  const options = settings.rowOptions(trace.pageSize);
  const prefix = warmup > 0 ? prefixOf(trace, warmup) : null;
  const rows: (CompareRow & { outcome?: string })[] = [];
  for (const frames of sizes) {
    const whole = machRow(trace, frames, options);
    onRun();
    if (prefix === null) {
      rows.push(whole);
      continue;
    }
    rows.push(afterWarmup(whole, machRow(prefix, frames, options), warmup));
    onRun();
  }
  return rows;
}

/**
 * --mach-preset, --mach-fix and --mach-set: the overrides `pageout run` takes, applied to the mach
 * row's scenario. Sizes in bytes count the trace's pages, as --memory does (the row's frames are
 * the trace's pages), so values are checked in full once the trace is open (`rowOptions`, before
 * any row runs); names, the preset and the defects are checked before it is read. A configured row
 * is labelled with what changed, as a policy with parameters is.
 */
export async function parseMachSettings(flags: MachFlags & { policies?: string }, mach: boolean): Promise<MachSettings> {
  const { parseSetFlags } = await import('../workload/overrides.js');
  const overrides: ScenarioOverrides = {};
  if (flags.machPreset !== undefined) overrides.preset = flags.machPreset;
  if (flags.machFix !== undefined) overrides.fixes = flags.machFix;
  if (flags.machSet !== undefined) overrides.set = parseSetFlags(flags.machSet, '--mach-set');
  if (Object.keys(overrides).length === 0) return { rowOptions: () => ({}) };
  if (!mach) {
    const named = flags.machPreset !== undefined ? '--mach-preset' : flags.machFix !== undefined ? '--mach-fix' : '--mach-set';
    if (flags.policies === undefined) throw new InputError({ file: COMMAND_LINE, field: named }, 'mach among --policies (the flag configures its row)', 'no --policies');
    throw flagError(named, 'mach among --policies (the flag configures its row)', flags.policies);
  }
  const { machRowSettings } = await import('../workload/mach-settings.js');
  const locate: LocateOverride = (key, setName) => {
    const flag = key === 'preset' ? '--mach-preset' : key === 'fixes' ? '--mach-fix' : '--mach-set';
    return { file: COMMAND_LINE, field: setName === undefined ? flag : `${flag} ${setName}` };
  };
  const settings = machRowSettings(overrides, locate);
  settings.checkWithoutPages(); // before the trace is read
  return { rowOptions: (pageSize) => settings.rowOptions(pageSize) };
}

