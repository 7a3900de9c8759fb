/**
 * Scenario text → the kernel's resolved Scenario (src/kernel/scenario.ts), every field checked and
 * every problem reported together with its file, line and field.
 *
 * Pure of Node: the trace files a scenario names are reached through `ScenarioFiles`, which the
 * command line gives over the disk (./scenario-file.ts) and the visualizer's worker over files
 * held in memory (web/src/memory-files.ts). Both parse with this very code.
 *
 * Tunables, defect fixes, kernel options and `memory: 25%` go through the same function as the
 * command line's overrides (./overrides.ts), so a value means the same in a file and in a flag.
 */
import { quote } from '../errors.js';
import {
  DEFECT_NAMES,
  DEFAULT_OPTIONS,
  NO_FIXES,
  PRESET_NAMES,
  TUNABLE_NAMES,
  defaultPager,
  type Backing,
  type RegionSpec,
  type Scenario,
  type TaskSpec,
  type TunableName,
} from '../kernel/scenario.js';
import { createGenerator, type GeneratorSpec } from './generators.js';
import { KERNEL_OPTION_NAMES, applyOverrides, tunableUnit, type LocateOverride, type RawValue, type ScenarioOverrides } from './overrides.js';
import {
  SCENARIO_KEYS,
  PAGERS_KEYS,
  TASK_KEYS,
  UNMAPPED_KEYS,
  checkRegionOverlaps,
  readBacking,
  readDuration,
  readGenerator,
  readInteger,
  MAX_SEED,
  readMachine,
  readFiles,
  readPager,
  readRegion,
} from './scenario-schema.js';
import { TRACE_FORMATS, type TraceFormat, type TraceOptions } from './trace/formats.js';
import { parseCsvColumnsSpec, type CsvColumns } from './trace/csv.js';
import type { TraceRefSource } from './trace/source.js';
import { YamlReader, type Field } from './yaml-reader.js';

/** Where a scenario's trace files are, and how to open one. */
export interface ScenarioFiles {
  /** The file a trace path written in the scenario names (a relative path starts at the scenario's directory). */
  locate(path: string): string;
  exists(file: string): boolean;
  openTrace(file: string, options: TraceOptions): TraceRefSource;
}

/** Parse scenario text. `fileName` is what errors name; `files` finds and opens the traces it names. */
export function parseScenario(text: string, fileName: string, files: ScenarioFiles): Scenario {
  const y = new YamlReader(text, fileName);
  y.throwIfAny(); // a YAML syntax error makes everything after it guesswork
  const root = y.root();
  if (root.node === null) {
    y.fail(root, 'a scenario: a mapping with at least a tasks list', 'an empty file');
    y.throwIfAny();
  }
  const top = y.map(root, SCENARIO_KEYS, 'a scenario', ['tasks']);
  if (top === null) y.throwIfAny();
  const get = (key: string, parent: Map<string, Field> = top!, path = key): Field =>
    parent.get(key) ?? { node: null, path, fallbackLine: 1 };

  const { machine, memoryShare, memoryAt } = readMachine(y, get('machine'));
  const name = top!.has('name') ? (y.string(get('name'), 'a scenario name') ?? '') : baseName(fileName).replace(/\.ya?ml$/, '');
  const description = top!.has('description') ? (y.string(get('description'), 'a description (text)') ?? '') : '';
  const seed = readInteger(y, get('seed'), 1, 0, MAX_SEED);

  let pagers = { default: defaultPager(), file: defaultPager() };
  if (top!.has('pagers')) {
    const pm = y.map(get('pagers'), PAGERS_KEYS, 'the pagers');
    if (pm !== null) {
      pagers = {
        default: readPager(y, get('default', pm, 'pagers.default'), machine.pageSize, pagers.default),
        file: readPager(y, get('file', pm, 'pagers.file'), machine.pageSize, pagers.file),
      };
    }
  }

  const tasks: TaskSpec[] = [];
  const tasksField = get('tasks');
  const taskFields = top!.has('tasks') ? y.list(tasksField, 'a list of tasks') : null;
  if (taskFields !== null && taskFields.length === 0) y.fail(tasksField, 'at least one task', 'an empty list');
  const names = new Set<string>();
  for (const [i, tf] of (taskFields ?? []).entries()) {
    const task = readTask(y, tf, i, { pageSize: machine.pageSize, files, seed });
    if (task === undefined) continue;
    if (names.has(task.name)) y.fail(tf, 'task names that differ', `a second task named ${quote(task.name)}`);
    names.add(task.name);
    tasks.push(task);
  }

  const { overrides, locate } = readOverridable(y, get, memoryShare);
  const maxSimNs = readDuration(y, get('maxTime'), 0);
  const base: Scenario = {
    name, description, seed, machine,
    preset: 'gnumach-1999',
    tunables: {},
    fixes: { ...NO_FIXES },
    options: { ...DEFAULT_OPTIONS },
    pagers, tasks, maxSimNs,
    files: readFiles(y, get('files'), machine.pageSize),
    memoryAt: memoryAt ?? { file: fileName, field: 'machine.memory (default)' },
  };
  const scenario = y.attempt(() => applyOverrides(base, overrides, locate));
  y.throwIfAny();
  return scenario!;
}

/**
 * The settings the command line can override too (preset, fixes, tunables, options, a memory
 * share): collected as raw overrides for applyOverrides, so they parse exactly as the flags do,
 * with `locate` pointing its complaints at this file's lines.
 */
function readOverridable(
  y: YamlReader,
  get: (key: string) => Field,
  memoryShare: { raw: string; field: Field } | undefined,
): { overrides: ScenarioOverrides; locate: LocateOverride } {
  const overrides: ScenarioOverrides = {};
  const located = new Map<string, Field>();
  const preset = get('preset');
  if (preset.node !== null) {
    const v = y.string(preset, `one of ${PRESET_NAMES.join(', ')}`);
    if (v !== undefined) overrides.preset = v;
    located.set('preset', preset);
  }
  const fixes = get('fixes');
  if (fixes.node !== null) {
    if (y.source(fixes) !== undefined) {
      // one scalar (`fixes: B1,B3`, `fixes: all`) is read as --fix reads it: `fixes: ""` is an
      // error there, where only the list `fixes: []` means none
      const one = y.scalar(fixes, 'a list of defects such as [B1, B3]');
      if (one !== undefined) overrides.fixes = one;
    } else {
      const items = (y.list(fixes, `a list of defects (${DEFECT_NAMES.join(', ')})`) ?? []).map((f) => y.scalar(f, 'a defect name'));
      if (items.every((v) => v !== undefined)) overrides.fixes = items as RawValue[];
    }
    located.set('fixes', fixes);
  }
  const set: Record<string, RawValue> = {};
  for (const [section, allowed] of [['tunables', TUNABLE_NAMES], ['options', KERNEL_OPTION_NAMES.filter((o) => o !== 'checks')]] as const) {
    const field = get(section);
    if (field.node === null) continue;
    const m = y.map(field, allowed, section === 'tunables' ? 'tunables (the seed\'s kernel variables)' : 'kernel options');
    for (const [key, value] of m ?? []) {
      const expected = section === 'options' ? 'true or false' : { pages: 'a number of pages or a size', milliseconds: 'a number of milliseconds or a duration', pauses: 'a number of pauses' }[tunableUnit(key as TunableName)];
      const raw = y.scalar(value, expected);
      if (raw === undefined) continue;
      set[key] = raw;
      located.set(`set:${key}`, value);
    }
  }
  if (Object.keys(set).length > 0) overrides.set = set;
  if (memoryShare !== undefined && y.issues.length === 0) {
    overrides.memory = memoryShare.raw;
    located.set('memory', memoryShare.field);
  }
  const locate: LocateOverride = (key, setName) =>
    y.at(located.get(setName === undefined ? key : `set:${setName}`) ?? { node: null, path: key, fallbackLine: 1 });
  return { overrides, locate };
}

interface TaskContext {
  pageSize: number;
  files: ScenarioFiles;
  seed: number;
}

function readTask(y: YamlReader, f: Field, index: number, ctx: TaskContext): TaskSpec | undefined {
  const m = y.map(f, TASK_KEYS, 'a task');
  if (m === null) return undefined;
  const before = y.issues.length;
  const absent = (key: string): Field => ({ node: null, path: `${f.path}.${key}`, fallbackLine: y.lineOf(f.node) ?? f.fallbackLine });
  const get = (key: string): Field => m.get(key) ?? absent(key);
  const traceField = m.get('trace');
  const generatorField = m.get('generator');
  let source: (() => TraceRefSource | ReturnType<typeof createGenerator>) | undefined;
  let defaultName = `task${index}`;
  let isTrace = false;
  let reseedable: ((scenarioSeed: number) => TaskSpec['source']) | undefined;
  if (traceField !== undefined && generatorField !== undefined) {
    y.fail(generatorField, "either a 'trace' or a 'generator', not both", 'both');
  } else if (traceField !== undefined) {
    isTrace = true;
    const traceSource = readTraceSource(y, traceField, m.get('format'), readCsvColumns(y, m.get('csv')), readSlice(y, m), ctx);
    if (traceSource !== undefined) {
      source = traceSource.open;
      defaultName = traceSource.name;
    }
  } else if (generatorField !== undefined) {
    for (const key of ['format', 'csv', 'skipRefs', 'maxRefs']) if (m.has(key)) y.fail(m.get(key)!, `'${key}' only with a 'trace'`, "a 'generator'");
    const spec: GeneratorSpec | undefined = readGenerator(y, generatorField, ctx.pageSize);
    const ownSeed = m.has('seed') ? readInteger(y, get('seed'), 0, 0, MAX_SEED) : undefined;
    const seed = ownSeed ?? ctx.seed + index;
    if (spec !== undefined) {
      source = () => createGenerator(spec, seed);
      if (ownSeed === undefined) reseedable = (scenarioSeed) => () => createGenerator(spec, scenarioSeed + index);
    }
    defaultName = spec?.kind ?? defaultName;
  } else {
    y.fail(f, "a 'trace' (a file) or a 'generator'", 'neither');
  }
  if (traceField !== undefined && m.has('seed')) y.fail(m.get('seed')!, "'seed' only with a 'generator'", "a 'trace'");

  const name = m.has('name') ? y.string(get('name'), 'a task name') : defaultName;
  const startNs = readDuration(y, get('start'), 0);
  const cpuField = get('cpuPerReference');
  const cpuNsPerRef = cpuField.node === null ? undefined : readDuration(y, cpuField, 0);

  const regions: RegionSpec[] = [];
  const regionFields: { region: RegionSpec; field: Field }[] = [];
  if (m.has('regions')) {
    for (const [i, rf] of (y.list(get('regions'), 'a list of regions') ?? []).entries()) {
      const region = readRegion(y, rf, i, ctx.pageSize);
      if (region === undefined) continue;
      regions.push(region);
      regionFields.push({ region, field: rf });
    }
    checkRegionOverlaps(y, regionFields);
  }

  // A program's code is its executable file; its data is anonymous memory (issue 3, item 4).
  const unmapped: { instruction: Backing; data: Backing } = {
    instruction: isTrace ? { kind: 'file', file: `${name ?? defaultName}.text`, offsetPages: 0 } : { kind: 'anonymous' },
    data: { kind: 'anonymous' },
  };
  if (m.has('unmapped')) {
    const um = y.map(get('unmapped'), UNMAPPED_KEYS, 'the backing of unmapped pages');
    for (const key of UNMAPPED_KEYS) {
      const field = um?.get(key);
      if (field === undefined) continue;
      const backing = readBacking(y, field, ctx.pageSize);
      if (backing !== undefined) unmapped[key] = backing;
    }
  }
  if (y.issues.length !== before || source === undefined || name === undefined) return undefined;
  const task: TaskSpec = { name, startNs, source, regions, unmapped, ...(cpuNsPerRef !== undefined ? { cpuNsPerRef } : {}) };
  if (reseedable !== undefined) GENERATOR_SEEDING.set(task, reseedable);
  return task;
}

/** Generator tasks seeded from the scenario's seed, and how to seed them from another one. */
const GENERATOR_SEEDING = new WeakMap<TaskSpec, (scenarioSeed: number) => TaskSpec['source']>();

/**
 * The scenario with `seed` and every generator task that takes its seed from the scenario's
 * (task i gets seed + i) re-seeded; tasks with their own `seed:` and traces are unchanged. For
 * `--seed` on the command line and seed sweeps: applyOverrides changes `scenario.seed` only.
 */
export function reseedScenario(scenario: Scenario, seed: number): Scenario {
  return {
    ...scenario,
    seed,
    tasks: scenario.tasks.map((t) => {
      const reseed = GENERATOR_SEEDING.get(t);
      if (reseed === undefined) return t;
      const copy: TaskSpec = { ...t, source: reseed(seed) };
      GENERATOR_SEEDING.set(copy, reseed);
      return copy;
    }),
  };
}

/**
 * A trace task's `csv`: the columns of a CSV trace, as `pageout inspect --csv` takes them
 * (`offset=lba,length=bytes,op=rw,unit=512`), for a CSV whose header does not name them.
 */
function readCsvColumns(y: YamlReader, f: Field | undefined): CsvColumns | null | undefined {
  if (f === undefined) return undefined;
  const spec = y.string(f, 'CSV columns such as offset=lba,length=bytes,op=rw,unit=512');
  // null: given but wrong (reported), so the trace is not read with columns it was not given
  if (spec === undefined) return null;
  return y.attempt(() => parseCsvColumnsSpec(spec, f.path, y.at(f))) ?? null;
}

/**
 * A trace task's `skipRefs` and `maxRefs`: the slice of its trace that runs, in references, as
 * `pageout compare --skip-refs / --max-refs` take it.
 */
function readSlice(y: YamlReader, m: Map<string, Field>): Pick<TraceOptions, 'skipRefs' | 'maxRefs' | 'skipRefsAt'> {
  const slice: Pick<TraceOptions, 'skipRefs' | 'maxRefs' | 'skipRefsAt'> = {};
  const skip = m.get('skipRefs');
  if (skip !== undefined) {
    slice.skipRefs = readInteger(y, skip, 0, 0);
    slice.skipRefsAt = y.at(skip);
  }
  const max = m.get('maxRefs');
  if (max !== undefined) slice.maxRefs = readInteger(y, max, 1, 1);
  return slice;
}

/** A trace path (relative to the scenario file), checked by opening it once. */
function readTraceSource(
  y: YamlReader,
  traceField: Field,
  formatField: Field | undefined,
  csv: CsvColumns | null | undefined,
  slice: Pick<TraceOptions, 'skipRefs' | 'maxRefs' | 'skipRefsAt'>,
  ctx: TaskContext,
): { open: () => TraceRefSource; name: string } | undefined {
  const path = y.string(traceField, 'the path of a trace file');
  let format: TraceFormat | undefined;
  if (formatField !== undefined) {
    const expected = `a trace format (${TRACE_FORMATS.join(', ')})`;
    const raw = y.string(formatField, expected);
    if (raw !== undefined) {
      format = TRACE_FORMATS.find((t) => t.toLowerCase() === raw.toLowerCase());
      if (format === undefined) y.fail(formatField, expected);
    }
  }
  if (path === undefined) return undefined;
  const file = ctx.files.locate(path);
  if (!ctx.files.exists(file)) {
    y.fail(traceField, 'an existing trace file (a relative path starts at the scenario file\'s directory)', `${quote(path)}, and ${file} does not exist`);
    return undefined;
  }
  if (csv === null) return undefined; // reported: reading the trace without its columns would only add noise
  const options = {
    ...(format !== undefined ? { format, formatGivenAs: `${formatField!.path}: ${format}` } : {}),
    pageSize: ctx.pageSize,
    // a CSV whose header does not name its columns is given them with the task's `csv` key
    csv: csv ?? { flag: `${traceField.path.replace(/\.trace$/, '')}.csv` },
    ...slice,
  };
  const ok = y.attempt(() => {
    const probe = ctx.files.openTrace(file, options);
    try {
      if (probe.format === 'compact' && probe.pageSize !== ctx.pageSize) {
        y.fail(traceField, `a trace in ${ctx.pageSize}-byte pages like machine.pageSize`, `${quote(path)} in ${probe.pageSize}-byte pages`);
        return false;
      }
    } finally {
      probe.close();
    }
    return true;
  });
  if (!ok) return undefined;
  const name = baseName(path).replace(/(\.(gz|zst|zstd))?$/, '').replace(/\.[A-Za-z]+$/, '');
  return { open: () => ctx.files.openTrace(file, options), name };
}

/** The last segment of a path, for / and \\ alike (a name, not a file: nothing is opened). */
function baseName(path: string): string {
  return path.replace(/^.*[\\/]/, '');
}
