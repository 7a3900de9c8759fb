/**
 * The sweep file: which parameters to vary and over what values. The sweep runs the cartesian
 * product of the `vary` lists (the last key varies fastest), each point being the base scenario
 * with the point's values applied exactly as `pageout run` flags would apply them.
 *
 * ```yaml
 * base: tight            # scenario name or .yaml path (relative to this file); default: the embedded default
 * fixed:                 # applied to every point
 *   maxTime: 5s
 * vary:
 *   memory: [32MiB, 64MiB, 25%]
 *   preset: [gnumach-1999, cmu-1987]
 *   fixes: [none, B2, "B1,B2,B3"]
 *   tunables.vm_pageout_burst_max: [16, 32]
 *   options.pmapCollect: [false, true]
 *   seed: [1, 2, 3]
 *   scenario: [default, scenarios/tight.yaml]
 * report:                # the combined HTML report (--report)
 *   sampleInterval: 10ms
 *   maxPoints: 400
 * ```
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { TUNABLE_NAMES } from '../kernel/scenario.js';
import { parseCount, parseDuration } from '../units.js';
import { YamlReader, type Field } from '../workload/yaml-reader.js';
import { KERNEL_OPTION_NAMES, type RawValue, type ScenarioOverrides } from '../workload/overrides.js';

/** One value of a parameter and the line it was written on. */
export interface PlacedValue {
  value: RawValue;
  line: number | undefined;
}

export interface SweepAxis {
  key: string;
  values: PlacedValue[];
}

export interface SweepSpec {
  file: string;
  /** scenario name or absolute path; undefined = the embedded default */
  base: string | undefined;
  fixed: Map<string, PlacedValue>;
  axes: SweepAxis[];
  report: { sampleIntervalNs: number; maxPoints: number };
}

/** One point of the product. `id` (the varying values) identifies it in the output for --resume. */
export interface SweepPoint {
  index: number;
  id: string;
  /** the varying parameters, in axis order */
  params: Record<string, RawValue>;
  /** base or the point's `scenario` value */
  scenario: string | undefined;
  overrides: ScenarioOverrides;
  /** where each override was written, for error messages (key as in the file) */
  lines: Record<string, number | undefined>;
}

const DIRECT_KEYS = ['scenario', 'memory', 'preset', 'fixes', 'seed', 'maxTime'] as const;

function validKey(key: string): boolean {
  if ((DIRECT_KEYS as readonly string[]).includes(key)) return true;
  if ((TUNABLE_NAMES as readonly string[]).includes(key)) return true;
  if (key.startsWith('tunables.')) return (TUNABLE_NAMES as readonly string[]).includes(key.slice(9));
  if (key.startsWith('options.')) return (KERNEL_OPTION_NAMES as readonly string[]).includes(key.slice(8));
  return false;
}

const KEY_HELP = `a parameter: ${DIRECT_KEYS.join(', ')}, tunables.<name> (${TUNABLE_NAMES.join(', ')}) or options.<name> (${KERNEL_OPTION_NAMES.join(', ')})`;

/** A scenario value: a bare name stays a name, a path is resolved against the sweep file's folder. */
function resolveScenario(value: string, sweepFile: string): string {
  const looksLikePath = /[\\/]/.test(value) || /\.ya?ml$/i.test(value);
  if (!looksLikePath || isAbsolute(value)) return value;
  return resolve(dirname(sweepFile), value);
}

export function parseSweepSpec(text: string, file: string): SweepSpec {
  const y = new YamlReader(text, file);
  const spec: SweepSpec = { file, base: undefined, fixed: new Map(), axes: [], report: { sampleIntervalNs: 10_000_000, maxPoints: 400 } };
  y.throwIfAny();
  const top = y.map(y.root(), ['base', 'fixed', 'vary', 'report'], 'a sweep: a mapping', ['vary']);
  if (!top) { y.throwIfAny(); return spec; }

  const base = top.get('base');
  if (base) {
    const s = y.string(base, 'a scenario name or .yaml path');
    if (s !== undefined) spec.base = s === 'default' ? undefined : resolveScenario(s, file);
  }

  const param = (f: Field, key: string): PlacedValue | undefined => {
    const v = y.scalar(f, `a value for ${key}`);
    if (v === undefined) return undefined;
    const value = key === 'scenario' && typeof v === 'string' ? (v === 'default' ? '' : resolveScenario(v, file)) : v;
    return { value, line: y.lineOf(f.node) ?? f.fallbackLine };
  };

  const fixed = top.get('fixed');
  if (fixed) {
    for (const [key, f] of paramEntries(y, fixed)) {
      const v = param(f, key);
      if (v) spec.fixed.set(key, v);
    }
  }

  const vary = top.get('vary');
  const seen = new Set<string>();
  for (const [key, f] of vary ? paramEntries(y, vary) : []) {
    const items = y.list(f, `a list of values for ${key}`);
    if (!items) continue;
    if (items.length === 0) { y.fail(f, `at least one value for ${key}`, 'an empty list'); continue; }
    if (spec.fixed.has(key)) y.fail(f, `${key} either in fixed or in vary`, 'both');
    const values = items.map((it) => param(it, key)).filter((v): v is PlacedValue => v !== undefined);
    const canonical = canonicalKey(key);
    if (seen.has(canonical)) y.fail(f, `${key} once`, 'a second time');
    seen.add(canonical);
    spec.axes.push({ key, values });
  }

  const report = top.get('report');
  if (report) {
    const r = y.map(report, ['sampleInterval', 'maxPoints']);
    const si = r?.get('sampleInterval');
    if (si) {
      const raw = y.unitValue(si, 'a duration such as 10ms');
      const ns = raw === undefined ? undefined : y.attempt(() => parseDuration(raw, y.at(si)));
      if (ns !== undefined) { if (ns > 0) spec.report.sampleIntervalNs = ns; else y.fail(si, 'a duration above 0'); }
    }
    const mp = r?.get('maxPoints');
    if (mp) {
      const raw = y.unitValue(mp, 'a whole number ≥ 16');
      const n = raw === undefined ? undefined : y.attempt(() => parseCount(raw, y.at(mp), 'a whole number ≥ 16'));
      if (n !== undefined) { if (n >= 16) spec.report.maxPoints = n; else y.fail(mp, 'a whole number ≥ 16'); }
    }
  }
  y.throwIfAny();
  return spec;
}

/** `vm_pageout_burst_max` and `tunables.vm_pageout_burst_max` are the same parameter. */
function canonicalKey(key: string): string {
  return (TUNABLE_NAMES as readonly string[]).includes(key) ? `tunables.${key}` : key;
}

/** The entries of a parameter mapping; an unknown key is reported with the valid ones. */
function paramEntries(y: YamlReader, f: Field): [string, Field][] {
  // YamlReader.map wants the allowed keys up front; parameter keys are open-ended (tunables.*),
  // so read every key, then check each.
  const keys = keysOf(y, f);
  if (keys === null) return [];
  const all = y.map(f, keys, 'a mapping of parameters');
  if (!all) return [];
  const out: [string, Field][] = [];
  for (const [key, field] of all) {
    if (!validKey(key)) {
      y.fail({ node: null, path: field.path, fallbackLine: field.fallbackLine }, KEY_HELP, `unknown parameter '${key}'`);
      continue;
    }
    out.push([key, field]);
  }
  return out;
}

function keysOf(y: YamlReader, f: Field): string[] | null {
  const node = f.node as { items?: { key?: { value?: unknown } | null }[] } | null;
  if (!node || !Array.isArray(node.items)) {
    y.fail(f, 'a mapping of parameters');
    return null;
  }
  return node.items.map((p) => String(p.key?.value ?? '?'));
}

export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file }, 'a readable sweep file', (e as NodeJS.ErrnoException).code ?? String(e));
  }
  return parseSweepSpec(text, file);
}

function formatValue(v: RawValue): string {
  return typeof v === 'string' ? v : String(v);
}

/** Put one parameter's value into the overrides / scenario of a point. */
function assign(point: SweepPoint, key: string, v: PlacedValue): void {
  point.lines[key] = v.line;
  const o = point.overrides;
  switch (key) {
    case 'scenario': point.scenario = v.value === '' ? undefined : String(v.value); return;
    case 'memory': o.memory = v.value; return;
    case 'preset': o.preset = v.value; return;
    case 'fixes': o.fixes = v.value; return;
    case 'seed': o.seed = v.value; return;
    case 'maxTime': o.maxTime = v.value; return;
  }
  const name = key.startsWith('tunables.') ? key.slice(9) : key.startsWith('options.') ? key.slice(8) : key;
  o.set = { ...(o.set ?? {}), [name]: v.value };
}

/** Every point of the product, in order (the last axis varies fastest). */
export function expandSweep(spec: SweepSpec): SweepPoint[] {
  const total = spec.axes.reduce((n, a) => n * a.values.length, 1);
  const points: SweepPoint[] = [];
  for (let index = 0; index < total; index++) {
    const point: SweepPoint = { index, id: '', params: {}, scenario: spec.base, overrides: {}, lines: {} };
    for (const [key, v] of spec.fixed) assign(point, key, v);
    let rest = index;
    const picks: [string, PlacedValue][] = [];
    for (let a = spec.axes.length - 1; a >= 0; a--) {
      const axis = spec.axes[a]!;
      picks.unshift([axis.key, axis.values[rest % axis.values.length]!]);
      rest = Math.floor(rest / axis.values.length);
    }
    for (const [key, v] of picks) {
      assign(point, key, v);
      point.params[key] = key === 'scenario' && v.value === '' ? 'default' : v.value;
    }
    point.id = picks.map(([k, v]) => `${k}=${formatValue(k === 'scenario' && v.value === '' ? 'default' : v.value)}`).join(' ');
    points.push(point);
  }
  return points;
}
