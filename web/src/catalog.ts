/**
 * The scenarios the visualizer offers, and how a RunConfig becomes the Scenario the kernel runs:
 * the shipped YAML files (parsed by src/workload/scenario-text.ts, the code `pageout run` uses),
 * the built-in synthetic presets, or a dropped trace file as one task. The user's overrides
 * (memory, preset, tunables, fixes) go on top.
 */
import { parse as parseYaml } from 'yaml';
import type { Scenario } from '../../src/kernel/scenario.js';
import { minimumMemoryPages, PRESETS as KERNEL_PRESETS } from '../../src/kernel/params.js';
import { PRESETS } from './presets.js';
import type { CatalogEntry, RunConfig } from './protocol.js';
import { distinctPages } from '../../src/workload/overrides.js';
import { InputError, InputErrors } from '../../src/errors.js';
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE } from '../../src/workload/scenario-schema.js';
import { parseScenario, type ScenarioFiles } from '../../src/workload/scenario-text.js';
import { DEFAULT_PAGE_SIZE } from '../../src/workload/trace/formats.js';
import { memoryFiles, putFile } from './memory-files.js';

/** Where scenario files live in the worker's file system; trace paths in them start here. */
const SCENARIO_ROOT = '/scenarios';
const DROP_ROOT = '/dropped';

const shippedTexts = import.meta.glob('../../scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
/** Every other file under scenarios/ (the traces), as URLs of build assets. */
const shippedAssets = import.meta.glob(['../../scenarios/**/*', '!../../scenarios/**/*.yaml', '!../../scenarios/**/*.md', '!../../scenarios/**/*.c'], {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const shippedName = (key: string): string => key.replace(/^.*\//, '').replace(/\.yaml$/, '');
const SHIPPED = new Map(Object.entries(shippedTexts).map(([key, text]) => [shippedName(key), text]));

/** The page opens with the embedded default of `pageout run`, when the build has it; else the first preset. */
const PREFERRED_DEFAULTS = ['default'];

export const DEFAULT_ENTRY_ID = (() => {
  for (const name of PREFERRED_DEFAULTS) if (SHIPPED.has(name)) return `shipped:${name}`;
  return PRESETS[0]!.id;
})();

function describeShipped(name: string, text: string): string {
  try {
    const top = parseYaml(text) as { description?: unknown } | null;
    return typeof top?.description === 'string' ? top.description.trim() : '';
  } catch {
    return '';
  }
}

export function catalogEntries(): CatalogEntry[] {
  const shipped: CatalogEntry[] = [...SHIPPED].sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => ({
    id: `shipped:${name}`,
    title: name,
    description: describeShipped(name, text),
    origin: 'shipped',
  }));
  const presets: CatalogEntry[] = PRESETS.map((p) => ({ id: p.id, title: p.title, description: p.build().description, origin: 'preset' }));
  return [...shipped, ...presets];
}

let shippedFiles: Promise<void> | null = null;

/** Fetch the shipped traces into the worker's file system (once). */
function loadShippedFiles(): Promise<void> {
  shippedFiles ??= Promise.all(
    Object.entries(shippedAssets).map(async ([key, url]) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`could not load ${key.replace(/^(\.\.\/)+/, '')} from the page's assets: HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      putFile(`${SCENARIO_ROOT}/${key.replace(/^(\.\.\/)+scenarios\//, '')}`, bytes);
    }),
  ).then(() => undefined);
  return shippedFiles;
}

/** Work that must finish before `buildScenario(config)` (fetching and inflating files). */
export async function prepare(config: RunConfig): Promise<void> {
  const w = config.workload;
  if (w.kind === 'catalog' && w.id.startsWith('shipped:')) await loadShippedFiles();
  if (w.kind === 'trace') putFile(`${DROP_ROOT}/${dropFileName(w.name)}`, new Uint8Array(w.bytes));
}

/** The dropped file's name as one path segment: its own name, without a folder or control characters. */
function dropFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return (name.replace(/^.*[\\/]/, '') || 'trace').replace(/[\u0000-\u001f]/g, '_');
}

/** The page has no --format flag: a file it cannot tell is renamed instead. */
const DROP_FORMAT_ADVICE = 'give the file its format\'s extension (.lackey, .lirs, .spec, .csv, .oracleGeneral.bin or .pgt)';

/**
 * Errors about a dropped file name it as the user does: the worker keeps it under /dropped/, a
 * folder the user never made.
 */
function asDropped(e: unknown, stored: string, shown: string): unknown {
  const rename = (x: InputError): InputError => (x.at.file === stored ? new InputError({ ...x.at, file: shown }, x.expected, x.got) : x);
  if (e instanceof InputError) return rename(e);
  if (e instanceof InputErrors) return new InputErrors(e.errors.map(rename));
  return e;
}

/** Memory for a dropped trace: a quarter of the pages it touches (at least what the preset needs), so the daemon has work. */
const DROP_MEMORY_SHARE = 0.25;

/**
 * The page size a dropped compact trace carries, for the machine to take (the user cannot write
 * machine.pageSize here); null for 4 KiB pages and for formats without one. A trace that does not
 * open is left to the scenario parser, whose message names the problem.
 */
function ownPageSize(files: ScenarioFiles, file: string, shownName: string): number | null {
  let pageSize: number;
  try {
    const probe = files.openTrace(files.locate(file), {}); // `files` names the CSV hint itself
    pageSize = probe.format === 'compact' ? probe.pageSize : DEFAULT_PAGE_SIZE;
    probe.close();
  } catch {
    return null;
  }
  if (pageSize === DEFAULT_PAGE_SIZE) return null;
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE) {
    throw new InputError({ file: shownName }, `a trace in pages of ${MIN_PAGE_SIZE} bytes to ${MAX_PAGE_SIZE / (1 << 20)} MiB, the sizes the kernel's pages may have`, `${pageSize}-byte pages`);
  }
  return pageSize;
}

/**
 * The scenario of a dropped file: a scenario file runs as written (its traces, if any, cannot
 * come with it); a trace runs as one task, with the defaults a one-task scenario file gets.
 */
function droppedScenario(name: string, file: string, bytes: Uint8Array): Scenario {
  const stored = memoryFiles(DROP_ROOT);
  if (/\.ya?ml$/i.test(file)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new InputError({ file }, 'a scenario in UTF-8 text (YAML is Unicode)', 'bytes that are no UTF-8');
    }
    return parseScenario(text, file, stored);
  }
  // a dropped CSV has no scenario file for a `csv` key: its columns come from converting it first
  const files: ScenarioFiles = {
    ...stored,
    openTrace: (f, options) => stored.openTrace(f, { ...options, unknownFormatAdvice: DROP_FORMAT_ADVICE, csv: { ...options.csv, flag: 'pageout convert --csv' } }),
  };
  const pageSize = ownPageSize(files, file, name);
  // the same defaults a one-task scenario file gets: code file-backed, data anonymous
  const text = `name: ${JSON.stringify(file.replace(/\.[^.]*$/, '') || 'trace')}\ndescription: ${JSON.stringify(`the dropped trace ${name}`)}\n`
    + (pageSize !== null ? `machine:\n  pageSize: ${pageSize}\n` : '')
    + `tasks:\n  - trace: ${JSON.stringify(file)}\n`;
  const s = parseScenario(text, name, files);
  const least = minimumMemoryPages(KERNEL_PRESETS[s.preset], s.machine.bootWiredPages);
  const memoryPages = Math.max(least, Math.round(DROP_MEMORY_SHARE * distinctPages(s)));
  return { ...s, machine: { ...s.machine, memoryPages } };
}

function baseScenario(config: RunConfig): Scenario {
  const w = config.workload;
  if (w.kind === 'trace') {
    const file = dropFileName(w.name);
    try {
      return droppedScenario(w.name, file, new Uint8Array(w.bytes));
    } catch (e) {
      throw asDropped(e, `${DROP_ROOT}/${file}`, file);
    }
  }
  if (w.id.startsWith('shipped:')) {
    const name = w.id.slice('shipped:'.length);
    const text = SHIPPED.get(name);
    if (text === undefined) throw new Error(`no shipped scenario '${name}' in this build`);
    return parseScenario(text, `scenarios/${name}.yaml`, memoryFiles(SCENARIO_ROOT));
  }
  const preset = PRESETS.find((p) => p.id === w.id);
  if (preset) return preset.build();
  throw new Error(`no scenario '${w.id}' in this build`);
}

/** The scenario of `config`, with the user's overrides applied. Call `prepare(config)` first. */
export function buildScenario(config: RunConfig): Scenario {
  return applyUserSettings(baseScenario(config), config);
}

export function applyUserSettings(s: Scenario, config: RunConfig): Scenario {
  // memory the kernel refuses is blamed where it was set: the page's Memory field, not a line of
  // the scenario's YAML the user never wrote (a reserve raised in Tunables is named in the message)
  const tunables = Object.keys(config.tunables);
  const memorySet = config.memoryPages !== null || config.memoryShare !== null;
  // the field the user changed: the memory itself, or what raised the least memory the kernel takes
  const userSet = memorySet ? 'Memory'
    : config.preset !== null && tunables.length === 0 ? 'Preset'
    : config.preset === null && tunables.length > 0 ? `Tunables (${tunables.join(', ')})`
    : config.preset !== null ? 'Preset and Tunables' : null;
  // a share counts the pages the workload's streams touch, as `pageout run --memory 25%` does
  const shared = config.memoryShare !== null ? Math.max(1, Math.round(config.memoryShare * distinctPages(s))) : null;
  return {
    ...s,
    ...(userSet !== null ? { memoryAt: { file: userSet } } : {}),
    machine: { ...s.machine, memoryPages: shared ?? config.memoryPages ?? s.machine.memoryPages },
    preset: config.preset ?? s.preset,
    tunables: { ...s.tunables, ...config.tunables },
    fixes: { ...s.fixes, ...config.fixes },
  };
}
