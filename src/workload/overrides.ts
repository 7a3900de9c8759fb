/**
 * Changes a user asks for on top of a scenario: `pageout run --memory 64MiB --set
 * vm_pageout_burst_max=32 --fix B2`, or one point of a sweep. One function for both, so a sweep
 * point and the same point typed by hand run the identical scenario. Every problem is collected
 * and thrown together (InputErrors), each naming where the value came from.
 */
import { InputError, InputErrors, quote, type InputLocation } from '../errors.js';
import {
  DEFECT_NAMES,
  PRESET_NAMES,
  TUNABLE_NAMES,
  type DefectName,
  type Fixes,
  type KernelOptions,
  type PresetName,
  type Scenario,
  type TunableName,
  type Tunables,
} from '../kernel/scenario.js';
import { RefBatch } from '../kernel/ref-source.js';
import { parseCount, parseDuration, parseMemory, parsePercent } from '../units.js';
// a cycle (scenario-file applies the file's own overrides with this module), used only at call time
import { MAX_SEED } from './scenario-schema.js';
import { reseedScenario } from './scenario-text.js';

export type RawValue = string | number | boolean;

export interface ScenarioOverrides {
  /** `64MiB`, `16384` (pages), or `25%` of the distinct pages the tasks touch */
  memory?: RawValue;
  preset?: RawValue;
  /** tunable (TUNABLE_NAMES) or kernel option (KERNEL_OPTION_NAMES) → value */
  set?: Readonly<Record<string, RawValue>>;
  /** `B1,B2`, `all`, `none`, or a list; listed defects are fixed, the others stay faithful */
  fixes?: RawValue | readonly RawValue[];
  seed?: RawValue;
  /** simulated-time limit: `2s`, `500ms`; 0 = none */
  maxTime?: RawValue;
}

/** Where each override came from, for error messages; the default names command-line flags. */
export type LocateOverride = (key: keyof ScenarioOverrides, setName?: string) => InputLocation;

const FLAG_OF: Record<keyof ScenarioOverrides, string> = {
  memory: '--memory', preset: '--preset', set: '--set', fixes: '--fix', seed: '--seed', maxTime: '--max-time',
};

export const commandLineLocation: LocateOverride = (key, setName) => ({
  file: 'command line',
  field: setName === undefined ? FLAG_OF[key] : `${FLAG_OF[key]} ${setName}`,
});

export const KERNEL_OPTION_NAMES = ['pmapCollect', 'deactivateBehind', 'externalOnInsert', 'checks'] as const;
type KernelOptionName = (typeof KERNEL_OPTION_NAMES)[number];

/**
 * What a tunable counts: the seed's waits are milliseconds (a duration such as `30ms` is accepted
 * too); vm_pageout_pause_max counts pauses ("number of pauses", the seed's #define says); every
 * other tunable counts pages and also accepts a memory size (`--set vm_page_free_target=1MiB`).
 */
export function tunableUnit(name: TunableName): 'milliseconds' | 'pauses' | 'pages' {
  if (name === 'vm_pageout_burst_wait' || name === 'vm_pageout_empty_wait') return 'milliseconds';
  return name === 'vm_pageout_pause_max' ? 'pauses' : 'pages';
}

/** Parse the `--set name=value` flags into a record, checking the `=`. */
export function parseSetFlags(flags: readonly string[], field = '--set'): Record<string, string> {
  const out: Record<string, string> = {};
  const errors: InputError[] = [];
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      errors.push(new InputError({ file: 'command line', field }, 'name=value', quote(flag)));
      continue;
    }
    const name = flag.slice(0, eq).trim();
    // a second value for one name is a typo or a leftover: neither should silently win
    if (Object.hasOwn(out, name)) {
      errors.push(new InputError({ file: 'command line', field }, `each name once (${name} is already ${out[name]})`, quote(flag)));
      continue;
    }
    out[name] = flag.slice(eq + 1).trim();
  }
  if (errors.length) throw new InputErrors(errors);
  return out;
}

function parseBoolean(raw: RawValue, at: InputLocation): boolean {
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(s)) return true;
  if (['false', 'no', 'off', '0'].includes(s)) return false;
  throw new InputError(at, 'true or false', quote(raw));
}

/** `B1,B3` / `all` / `none` / ['B1', 'B2'] → Fixes. */
export function parseFixes(raw: RawValue | readonly RawValue[], at: InputLocation): Fixes {
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((r) => String(r).split(',')).map((s) => s.trim());
  const expected = `defect names among ${DEFECT_NAMES.join(', ')} (or all / none)`;
  // an empty name (`--fix ""`, `fixes: [""]`, `B1,,B3`) is more likely a lost shell variable or a
  // typo than a wish for none; the empty list `fixes: []` is the deliberate none
  if (!Array.isArray(raw) && String(raw).trim() === '') throw new InputError(at, expected, quote(raw));
  if (items.includes('')) {
    const shown = Array.isArray(raw) ? `[${raw.map((r) => quote(String(r))).join(', ')}]` : quote(raw);
    throw new InputError(at, `${expected}, none of them empty`, shown);
  }
  const whole = items.find((i) => /^(all|none|faithful)$/i.test(i));
  if (whole !== undefined && items.length > 1) throw new InputError(at, `${whole} alone, or defect names among ${DEFECT_NAMES.join(', ')}`, quote(items.join(',')));
  const fixes: Fixes = { B1: false, B2: false, B3: false };
  for (const item of items) {
    const upper = item.toUpperCase();
    if (upper === 'NONE' || upper === 'FAITHFUL') continue;
    if (upper === 'ALL') { for (const d of DEFECT_NAMES) fixes[d] = true; continue; }
    if (!(DEFECT_NAMES as readonly string[]).includes(upper)) {
      throw new InputError(at, expected, quote(item));
    }
    // `B2,B2` fixes what `B2` does, but as a sweep value or a row's label it reads as another setting
    if (fixes[upper as DefectName]) throw new InputError(at, `${expected}, each once`, quote(items.join(',')));
    fixes[upper as DefectName] = true;
  }
  return fixes;
}

/**
 * One tunable's value as `--set`, a sweep or the visualizer's Tunables field gives it: pages (or a
 * size such as 1MiB) for the thresholds, milliseconds (or a duration such as 30ms) for the waits.
 */
export function parseTunable(name: TunableName, raw: RawValue, pageSize: number, at: InputLocation): number {
  const value = parseTunableValue(name, raw, pageSize, at);
  // the seed's variables are unsigned ints: a larger value has no meaning in the kernel (and
  // `pages × burst_wait` ms of a pause would leave the integers a double holds exactly)
  if (value > UINT_MAX) {
    const unit = tunableUnit(name);
    const plain = String(raw).trim() === String(value);
    throw new InputError(at, `at most ${UINT_MAX} ${unit} (an unsigned int in the seed)`, plain ? quote(raw) : `${quote(raw)} (${value} ${unit})`);
  }
  return value;
}

const UINT_MAX = 0xffffffff;

function parseTunableValue(name: TunableName, raw: RawValue, pageSize: number, at: InputLocation): number {
  if (typeof raw === 'boolean') throw new InputError(at, 'a number', quote(raw));
  const unit = tunableUnit(name);
  if (unit === 'pauses') return parseCount(raw, at, 'a whole number of pauses ≥ 0 (0 = the seed\'s default)');
  if (unit === 'milliseconds') {
    // milliseconds, as the seed's variable; `10ms` is accepted too
    if (typeof raw === 'string' && /[a-z]/i.test(raw)) {
      // parseDuration's own words would call a bare number nanoseconds: here it is milliseconds
      const expected = 'a whole number of milliseconds ≥ 0, or a duration such as 30ms';
      if (!/^\s*\d+(\.\d+)?\s*(ns|us|µs|ms|s|min)\s*$/.test(raw)) throw new InputError(at, expected, quote(raw));
      const ns = parseDuration(raw, at);
      if (ns % 1e6 !== 0) throw new InputError(at, 'a whole number of milliseconds', quote(raw));
      return ns / 1e6;
    }
    return parseCount(raw, at, 'a whole number of milliseconds ≥ 0');
  }
  const expected = 'a whole number of pages ≥ 0 (0 = the seed\'s default), or a size such as 1MiB';
  if (typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i.test(raw)) return parseMemory(raw, pageSize, at);
  return parseCount(raw, at, expected);
}

function parseKernelOption(name: KernelOptionName, raw: RawValue, at: InputLocation): KernelOptions[KernelOptionName] {
  if (name === 'checks') {
    if (raw === 'normal' || raw === 'full') return raw;
    throw new InputError(at, "'normal' or 'full'", quote(raw));
  }
  return parseBoolean(raw, at);
}

/** Streams are read once per scenario object: a sweep checks many points against one base. */
const distinctCache = new WeakMap<Scenario, number>();

/**
 * Distinct pages the scenario's tasks touch (each task's pages counted apart, as each task has its
 * own address space). Reads every stream once; used only for `--memory 25%`.
 */
export function distinctPages(scenario: Scenario): number {
  const known = distinctCache.get(scenario);
  if (known !== undefined) return known;
  let total = 0;
  const batch = new RefBatch(8192);
  for (const task of scenario.tasks) {
    const seen = new Set<number>();
    const src = task.source();
    try {
      for (let n = src.read(batch); n > 0; n = src.read(batch)) {
        for (let i = 0; i < n; i++) seen.add(batch.page[i]!);
      }
    } finally {
      src.close();
    }
    total += seen.size;
  }
  distinctCache.set(scenario, total);
  return total;
}

/**
 * What `o` changes of the kernel, as a label's words, as typed: `gnumach-2014`, `fix=B1,B2`,
 * `vm_page_free_target=100` (the mach row's label in compare and sweeps).
 */
export function kernelChangeWords(o: Pick<ScenarioOverrides, 'preset' | 'fixes' | 'set'>): string[] {
  const fixes = o.fixes === undefined ? [] : [`fix=${(Array.isArray(o.fixes) ? o.fixes.join(',') : String(o.fixes)).replace(/\s+/g, '')}`];
  return [
    ...(o.preset !== undefined ? [String(o.preset)] : []),
    ...fixes,
    ...Object.entries(o.set ?? {}).map(([name, value]) => `${name}=${value}`),
  ];
}

/**
 * A copy of `scenario` with the overrides applied; the input is not changed. Throws InputErrors
 * listing every bad override.
 */
export function applyOverrides(scenario: Scenario, o: ScenarioOverrides, locate: LocateOverride = commandLineLocation): Scenario {
  const errors: InputError[] = [];
  const attempt = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (e instanceof InputError) errors.push(e);
      else if (e instanceof InputErrors) errors.push(...e.errors);
      else throw e;
    }
  };
  // a new seed re-seeds the generator tasks first, so `25%` below counts the pages of the new streams
  let base = scenario;
  if (o.seed !== undefined) attempt(() => {
    // the range the scenario file's `seed` has: the generators' PRNG takes 32 bits, and a larger
    // seed would silently wrap onto a smaller one
    const expected = `a whole number from 0 to ${MAX_SEED}`;
    if (typeof o.seed === 'boolean') throw new InputError(locate('seed'), expected, quote(o.seed));
    const seed = parseCount(o.seed!, locate('seed'), expected);
    if (seed > MAX_SEED) throw new InputError(locate('seed'), expected, quote(o.seed));
    base = reseedScenario(scenario, seed);
  });
  const out: Scenario = {
    ...base,
    machine: { ...scenario.machine },
    tunables: { ...scenario.tunables },
    fixes: { ...scenario.fixes },
    options: { ...scenario.options },
  };

  if (o.memory !== undefined) attempt(() => {
    const at = locate('memory');
    if (typeof o.memory === 'boolean') throw new InputError(at, 'a memory size', quote(o.memory));
    const share = typeof o.memory === 'string' ? parsePercent(o.memory, at) : null;
    out.machine.memoryPages = share !== null
      ? Math.max(1, Math.round(share * distinctPages(base)))
      : parseMemory(o.memory!, scenario.machine.pageSize, at);
    out.memoryAt = at;
  });
  if (o.preset !== undefined) attempt(() => {
    const name = String(o.preset);
    if (!(PRESET_NAMES as readonly string[]).includes(name)) {
      throw new InputError(locate('preset'), `one of ${PRESET_NAMES.join(', ')}`, quote(o.preset));
    }
    out.preset = name as PresetName;
  });
  if (o.fixes !== undefined) attempt(() => { out.fixes = parseFixes(o.fixes!, locate('fixes')); });
  if (o.maxTime !== undefined) attempt(() => {
    if (typeof o.maxTime === 'boolean') throw new InputError(locate('maxTime'), 'a duration', quote(o.maxTime));
    out.maxSimNs = parseDuration(o.maxTime!, locate('maxTime'));
  });
  for (const [name, raw] of Object.entries(o.set ?? {})) attempt(() => {
    const at = locate('set', name);
    if ((TUNABLE_NAMES as readonly string[]).includes(name)) {
      (out.tunables as Tunables)[name as TunableName] = parseTunable(name as TunableName, raw, scenario.machine.pageSize, at);
    } else if ((KERNEL_OPTION_NAMES as readonly string[]).includes(name)) {
      (out.options as unknown as Record<string, unknown>)[name] = parseKernelOption(name as KernelOptionName, raw, at);
    } else {
      throw new InputError(at, `a tunable (${TUNABLE_NAMES.join(', ')}) or a kernel option (${KERNEL_OPTION_NAMES.join(', ')})`, quote(name));
    }
  });
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrors(errors);
  return out;
}
