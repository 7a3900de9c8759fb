/**
 * The sweep file: which parameters to vary and over what values. The sweep runs the cartesian
 * product of the `vary` lists (the last key varies fastest), each point being the base scenario
 * with the point's values applied exactly as `pageout run` flags would apply them.
 *
 * ```yaml
 * base: scan             # scenario name or .yaml path (relative to this file); default: the embedded default
 * fixed:                 # applied to every point
 *   maxTime: 5s
 * vary:
 *   memory: [32MiB, 64MiB, 25%]
 *   preset: [gnumach-1999, cmu-1987]
 *   fixes: [none, B2, "B1,B2,B3"]
 *   tunables.vm_pageout_burst_max: [16, 32]
 *   options.pmapCollect: [false, true]
 *   seed: [1, 2, 3]
 *   scenario: [default, too-small, my/other.yaml]
 * report:                # the combined HTML report (--report)
 *   sampleInterval: 10ms
 *   maxPoints: 400
 * ```
 *
 * A cache-mode sweep replays traces through replacement policies instead, as `pageout compare`
 * does. Besides its own keys it takes the kernel's `preset`, `fixes`, `tunables.*` and `options.*`,
 * which configure its `mach` points as `compare --mach-preset/--mach-fix/--mach-set` do; the
 * kernel's other keys (`base`, `scenario`, `memory`, `seed`, `maxTime`) do not mix with it:
 *
 * ```yaml
 * fixed:
 *   pageSize: 4KiB     # and format, csv, skipRefs, maxRefs: how the traces are read, as compare's flags
 * vary:
 *   trace: [traces/cc1.pgt.gz, traces/sort.pgt.gz]
 *   policy: [lru, arc, clock, opt, s3fifo, mach]
 *   size: [256, 1024, 25%, 4MiB]   # frames, a share of the distinct pages, or memory in 4 KiB pages
 *   param.s3fifo.small: [0.05, 0.1]   # a policy's parameter, as compare --param s3fifo.small=0.05
 *   fixes: [none, B2]                 # the mach points' kernel
 * ```
 */
import { readFileSync } from 'node:fs';
import { isSeq } from 'yaml';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError, InputErrors, readProblem } from '../errors.js';
import { refuseTrace, yamlText } from '../workload/scenario-file.js';
import { DEFECT_NAMES, TUNABLE_NAMES } from '../kernel/scenario.js';
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

/**
 * kernel: scenarios run in the kernel model (`pageout run` per point);
 * cache: traces replayed through a replacement policy at a cache size (`pageout compare` per point).
 */
export type SweepMode = 'kernel' | 'cache';

export interface SweepSpec {
  file: string;
  mode: SweepMode;
  /** scenario name or absolute path; undefined = the embedded default */
  base: string | undefined;
  /** `base` as written and its line, for errors about the file it names */
  baseValue: PlacedValue | undefined;
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
  /**
   * cache mode: the trace (absolute path), how to read it, the policy name, its parameters and
   * the size (`1024`, `25%`, `4MiB`); the mach points' kernel settings are in `overrides`
   */
  cache: CachePointValues | null;
}

/** A cache-mode point's values as written (checked by cache-point.ts). */
export interface CachePointValues {
  trace: string;
  policy: string;
  size: RawValue;
  warmup?: RawValue;
  /** how the trace is read: `format`, `pageSize`, `csv`, `skipRefs`, `maxRefs` */
  read?: Partial<Record<TraceReadKey, RawValue>>;
  /** `param.<policy>.<key>` values, by the key as the sweep file writes it */
  params?: Record<string, RawValue>;
}

const DIRECT_KEYS = ['scenario', 'memory', 'preset', 'fixes', 'seed', 'maxTime'] as const;
export const CACHE_KEYS = ['trace', 'policy', 'size'] as const;
/** how a cache-mode sweep reads its traces, as compare's --format, --page-size, --csv-columns, --skip-refs, --max-refs */
export const TRACE_READ_KEYS = ['format', 'pageSize', 'csv', 'skipRefs', 'maxRefs'] as const;
export type TraceReadKey = (typeof TRACE_READ_KEYS)[number];
/**
 * cache-mode keys a sweep may leave out: `warmup` (references replayed uncounted, compare
 * --warmup), the trace-reading keys, and `param.<policy>.<key>`
 */
export const CACHE_OPTIONAL_KEYS = ['warmup', ...TRACE_READ_KEYS] as const;
/** `param.2q.kin`: a policy's parameter, as compare's `--param 2q.kin=0.3` */
const POLICY_PARAM_KEY = /^param\.([A-Za-z0-9-]+)\.([A-Za-z0-9_]+)$/;

/** The policy and parameter a `param.<policy>.<key>` key names, or null for another key. */
export function policyParamOf(key: string): { policy: string; key: string } | null {
  const m = POLICY_PARAM_KEY.exec(key);
  return m ? { policy: m[1]!.toLowerCase(), key: m[2]! } : null;
}

/** Keys that configure the kernel itself: preset, fixes, tunables and options (a cache-mode sweep takes them for its mach points). */
export function isMachKey(key: string): boolean {
  if (key === 'preset' || key === 'fixes') return true;
  if ((TUNABLE_NAMES as readonly string[]).includes(key)) return true;
  if (key.startsWith('tunables.')) return (TUNABLE_NAMES as readonly string[]).includes(key.slice(9));
  if (key.startsWith('options.')) return (KERNEL_OPTION_NAMES as readonly string[]).includes(key.slice(8));
  return false;
}

function validKey(key: string): boolean {
  return isCacheKey(key) || (DIRECT_KEYS as readonly string[]).includes(key) || isMachKey(key);
}

const KEY_HELP = `a parameter: ${DIRECT_KEYS.join(', ')}, tunables.<name> (${TUNABLE_NAMES.join(', ')}), options.<name> (${KERNEL_OPTION_NAMES.join(', ')}), or for cache-mode sweeps ${CACHE_KEYS.join(', ')} (and ${CACHE_OPTIONAL_KEYS.join(', ')}, param.<policy>.<key>)`;

/** A key only cache-mode sweeps have (the kernel keys they take for mach points are not among them). */
function isCacheKey(key: string): boolean {
  return (CACHE_KEYS as readonly string[]).includes(key) || (CACHE_OPTIONAL_KEYS as readonly string[]).includes(key) || POLICY_PARAM_KEY.test(key);
}

/** A scenario value: a bare name stays a name, a path is resolved against the sweep file's folder. */
function resolveScenario(value: string, sweepFile: string): string {
  const looksLikePath = /[\\/]/.test(value) || /\.ya?ml$/i.test(value);
  if (!looksLikePath || isAbsolute(value)) return value;
  return resolve(dirname(sweepFile), value);
}

/**
 * A sweep file as read: the spec made of every part that could be read, and the problems of the
 * rest. The problems are kept, not thrown, so that the values of the readable parts can be checked
 * too and the user sees every mistake at once (`pageout sweep` checks both before running).
 */
export interface SweepFile {
  spec: SweepSpec;
  problems: readonly InputError[];
  /**
   * false when the file is too broken for its values to mean anything (invalid YAML, kernel and
   * cache parameters mixed, a cache parameter missing): checking them would only add noise
   */
  valuesCheckable: boolean;
}

/** Read a sweep file's text; problems are collected in the result, never thrown. */
export function parseSweepFile(text: string, file: string): SweepFile {
  const y = new YamlReader(text, file);
  const spec: SweepSpec = {
    file, mode: 'kernel', base: undefined, baseValue: undefined, fixed: new Map(), axes: [],
    report: { sampleIntervalNs: 10_000_000, maxPoints: 400 },
  };
  if (y.issues.length > 0) return { spec, problems: y.issues, valuesCheckable: false };
  const top = y.map(y.root(), ['base', 'fixed', 'vary', 'report'], 'a sweep: a mapping', ['vary']);
  if (!top) return { spec, problems: y.issues, valuesCheckable: false };
  let valuesCheckable = true;

  const base = top.get('base');
  if (base) {
    const s = y.string(base, 'a scenario name or .yaml path');
    if (s !== undefined) {
      spec.base = s === 'default' ? undefined : resolveScenario(s, file);
      spec.baseValue = { value: s, line: y.lineOf(base.node) ?? base.fallbackLine };
    }
  }

  const param = (f: Field, key: string): PlacedValue | undefined => {
    // fixes as a scenario file writes them, `[B2, B3]` or `[]`, as well as `B2,B3` and `none`
    if (key === 'fixes' && isSeq(f.node)) {
      const items = y.list(f, 'a list of defects such as [B1, B3]') ?? [];
      const names = items.map((it) => y.scalar(it, 'a defect name'));
      if (names.some((n) => n === undefined)) return undefined;
      // an empty name would join into `B2,`, which the fixes' check would quote instead of the list
      const empty = names.findIndex((n) => String(n).trim() === '');
      if (empty !== -1) {
        y.fail(items[empty]!, `defect names among ${DEFECT_NAMES.join(', ')}, none of them empty`, `'' in [${names.map((n) => (String(n).trim() === '' ? "''" : String(n))).join(', ')}]`);
        return undefined;
      }
      return { value: names.length === 0 ? 'none' : names.map(String).join(','), line: y.lineOf(f.node) ?? f.fallbackLine };
    }
    const v = y.scalar(f, `a value for ${key}`);
    if (v === undefined) return undefined;
    // paths stay as written (they name the point); expandSweep resolves them against this file
    let value: RawValue = v;
    if (key === 'scenario' || key === 'trace') value = String(v);
    if (key === 'policy') value = String(v).toLowerCase();
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
    const values: PlacedValue[] = [];
    const written = new Set<string>();
    for (const item of items) {
      const v = param(item, key);
      if (v === undefined) continue;
      // a point is known by its values (its id, what --resume keys on): a value twice would run
      // the same point twice and leave two rows of one id
      if (written.has(formatValue(v.value))) {
        y.fail(item, `each value of ${key} once (a point is known by its values)`, `${formatValue(v.value)} again`);
        continue;
      }
      written.add(formatValue(v.value));
      values.push(v);
    }
    const canonical = canonicalKey(key);
    if (seen.has(canonical)) y.fail(f, `${key} once`, 'a second time');
    seen.add(canonical);
    spec.axes.push({ key, values });
  }

  // the mode follows the keys; the two kinds of parameter do not mix
  const keys = [...spec.fixed.keys(), ...spec.axes.map((a) => a.key)];
  /** cache-mode keys only: then `report` means nothing (with kernel keys mixed in, the mode is moot) */
  let onlyCache = false;
  if (keys.some(isCacheKey)) {
    spec.mode = 'cache';
    const kernelKeys = keys.filter((k) => !isCacheKey(k) && !isMachKey(k));
    onlyCache = kernelKeys.length === 0 && !base;
    if (!onlyCache) {
      valuesCheckable = false;
      y.fail(vary ?? top.get('fixed') ?? y.root(), `either cache-mode parameters (${CACHE_KEYS.join(', ')}; preset, fixes, tunables and options for mach points) or kernel-mode ones`,
        `both (${[...(base ? ['base'] : []), ...kernelKeys].join(', ')} with ${keys.filter(isCacheKey).join(', ')})`);
    }
    for (const k of CACHE_KEYS) {
      if (keys.includes(k)) continue;
      valuesCheckable = false;
      y.fail(vary ?? y.root(), `a value for ${k} (in fixed or vary) in a cache-mode sweep`, 'none');
    }
  }

  const report = top.get('report');
  // a cache-mode report draws miss-ratio curves from the rows: there is no run to sample
  if (report && onlyCache) y.fail(report, "'report' (sampleInterval, maxPoints) only in a kernel-mode sweep, whose runs it samples", 'a cache-mode sweep');
  else if (report) {
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
  return { spec, problems: y.issues, valuesCheckable };
}

/** The spec of a sweep file, or every problem of its structure at once, in line order. */
export function sweepSpecOf(sweep: SweepFile): SweepSpec {
  if (sweep.problems.length > 0) throw new InputErrors(inFileOrder(sweep.problems, sweep.spec.file));
  return sweep.spec;
}

/** Parse a sweep file's text; throws every problem of its structure at once (values are checked by validateSweep). */
export function parseSweepSpec(text: string, file: string): SweepSpec {
  return sweepSpecOf(parseSweepFile(text, file));
}

/**
 * Problems as a reader fixes them: the sweep file's first, by line (those without a line after),
 * then those inside the files it names (a scenario's own mistakes), file by file, each by line.
 * The same problem found in several points is listed once. The sort is stable, so problems on
 * one line keep the order of their values.
 */
export function inFileOrder(problems: readonly InputError[], sweepFile: string): InputError[] {
  const byMessage = new Map<string, InputError>();
  for (const e of problems) if (!byMessage.has(e.message)) byMessage.set(e.message, e);
  const unique = [...byMessage.values()];
  const fileRank = new Map<string, number>([[sweepFile, 0]]);
  for (const e of unique) if (!fileRank.has(e.at.file)) fileRank.set(e.at.file, fileRank.size);
  const lineOf = (e: InputError): number => e.at.line ?? Number.MAX_SAFE_INTEGER;
  return unique.sort((a, b) => fileRank.get(a.at.file)! - fileRank.get(b.at.file)! || lineOf(a) - lineOf(b));
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

/** Read a sweep file from disk; throws only when it cannot be read (problems inside are collected). */
export function readSweepFile(file: string): SweepFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError({ file }, 'a readable sweep file', readProblem(e));
  }
  refuseTrace(file, bytes, 'a sweep file (YAML); to sweep over a trace, name it in vary.trace or fixed.trace');
  return parseSweepFile(yamlText(bytes, file), file);
}

export function readSweepSpec(file: string): SweepSpec {
  return sweepSpecOf(readSweepFile(file));
}

function formatValue(v: RawValue): string {
  return typeof v === 'string' ? v : String(v);
}

/** Put one parameter's value into the overrides / scenario of a point. */
function assign(point: SweepPoint, key: string, v: PlacedValue, sweepFile: string): void {
  point.lines[key] = v.line;
  const o = point.overrides;
  switch (key) {
    case 'trace': {
      const path = String(v.value);
      point.cache = { ...point.cache!, trace: isAbsolute(path) ? path : resolve(dirname(sweepFile), path) };
      return;
    }
    case 'policy': point.cache = { ...point.cache!, policy: String(v.value) }; return;
    case 'size': point.cache = { ...point.cache!, size: v.value }; return;
    case 'warmup': point.cache = { ...point.cache!, warmup: v.value }; return;
    case 'format': case 'pageSize': case 'csv': case 'skipRefs': case 'maxRefs':
      if (point.cache) { point.cache = { ...point.cache, read: { ...point.cache.read, [key]: v.value } }; return; }
      break;
    case 'scenario': point.scenario = v.value === 'default' ? undefined : resolveScenario(String(v.value), sweepFile); return;
    case 'memory': o.memory = v.value; return;
    case 'preset': o.preset = v.value; return;
    case 'fixes': o.fixes = v.value; return;
    case 'seed': o.seed = v.value; return;
    case 'maxTime': o.maxTime = v.value; return;
  }
  const param = policyParamOf(key);
  if (param !== null && point.cache) {
    point.cache = { ...point.cache, params: { ...point.cache.params, [key]: v.value } };
    return;
  }
  const name = key.startsWith('tunables.') ? key.slice(9) : key.startsWith('options.') ? key.slice(8) : key;
  o.set = { ...(o.set ?? {}), [name]: v.value };
}

/** Every point of the product, in order (the last axis varies fastest). */
export function expandSweep(spec: SweepSpec): SweepPoint[] {
  const total = spec.axes.reduce((n, a) => n * a.values.length, 1);
  const points: SweepPoint[] = [];
  for (let index = 0; index < total; index++) {
    const point: SweepPoint = {
      index, id: '', params: {}, scenario: spec.base, overrides: {}, lines: {},
      cache: spec.mode === 'cache' ? { trace: '', policy: '', size: '' } : null,
    };
    for (const [key, v] of spec.fixed) assign(point, key, v, spec.file);
    let rest = index;
    const picks: [string, PlacedValue][] = [];
    for (let a = spec.axes.length - 1; a >= 0; a--) {
      const axis = spec.axes[a]!;
      picks.unshift([axis.key, axis.values[rest % axis.values.length]!]);
      rest = Math.floor(rest / axis.values.length);
    }
    for (const [key, v] of picks) {
      assign(point, key, v, spec.file);
      point.params[key] = v.value;
    }
    point.id = picks.map(([k, v]) => `${k}=${formatValue(v.value)}`).join(' ');
    points.push(point);
  }
  return points;
}
