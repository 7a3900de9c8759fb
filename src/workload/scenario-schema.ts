/**
 * The scenario file's sections, each read from YAML into the kernel's resolved shapes
 * (src/kernel/scenario.ts) with every default filled in. The layout users write is documented
 * in README.md ("Scenario files"); the key lists below are what the "unknown key" errors offer.
 */
import { isMap } from 'yaml';
import {
  DEFAULT_DISK,
  DEFAULT_MACHINE,
  type Backing,
  type FileSpec,
  type MachineSpec,
  type PagerSpec,
  type RegionSpec,
} from '../kernel/scenario.js';
import { quote, type InputLocation } from '../errors.js';
import { parseCount, parseDuration, parseMemory, parsePercent } from '../units.js';
import { GENERATOR_KINDS, type GeneratorSpec } from './generators.js';
import type { Field, YamlReader } from './yaml-reader.js';

export const SCENARIO_KEYS = ['name', 'description', 'seed', 'preset', 'tunables', 'fixes', 'options', 'machine', 'pagers', 'files', 'maxTime', 'tasks'] as const;
export const FILE_KEYS = ['name', 'size'] as const;
export const MACHINE_KEYS = ['memory', 'pageSize', 'hz', 'cpuPerReference', 'faultCost', 'quantum', 'bootWired'] as const;
export const PAGERS_KEYS = ['default', 'file'] as const;
export const PAGER_KEYS = ['readLatency', 'writeLatency', 'perPage', 'bandwidth', 'faults', 'neverDeallocate'] as const;
export const PAGER_FAULT_KEYS = ['writeErrorRate', 'readErrorRate'] as const;
export const TASK_KEYS = ['name', 'start', 'trace', 'format', 'csv', 'skipRefs', 'maxRefs', 'generator', 'seed', 'cpuPerReference', 'regions', 'unmapped'] as const;
export const REGION_KEYS = ['name', 'start', 'size', 'pages', 'backing', 'writable'] as const;
export const BACKING_KEYS = ['file', 'offset'] as const;
export const UNMAPPED_KEYS = ['instruction', 'data'] as const;

/** The fields of each generator kind (generators.ts), `kind` first. */
export const GENERATOR_KEYS: Record<GeneratorSpec['kind'], readonly string[]> = {
  sequential: ['kind', 'pages', 'passes', 'writeFraction', 'startPage'],
  loop: ['kind', 'pages', 'iterations', 'writeFraction', 'startPage'],
  uniform: ['kind', 'pages', 'references', 'writeFraction', 'startPage'],
  hotset: ['kind', 'hotPages', 'coldPages', 'references', 'hotProbability', 'scanEvery', 'scanLength', 'writeFraction', 'startPage'],
  phases: ['kind', 'phases'],
};

export const MIN_PAGE_SIZE = 512;
export const MAX_PAGE_SIZE = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Values

/** A duration in ns; `positive` rejects 0. */
export function readDuration(y: YamlReader, f: Field, fallback: number, positive = false): number {
  if (f.node === null) return fallback;
  const raw = y.unitValue(f, 'a duration such as 5ms, 200us, 1.5s or a number of nanoseconds');
  if (raw === undefined) return fallback;
  const ns = y.attempt(() => parseDuration(raw, y.at(f)));
  if (ns === undefined) return fallback;
  if (positive && ns <= 0) {
    y.fail(f, 'a duration above 0');
    return fallback;
  }
  return ns;
}

/** A size in pages: `64MiB`, `512KiB`, or a page count; `allowZero` for offsets and wired memory. */
export function readPages(y: YamlReader, f: Field, pageSize: number, fallback: number, allowZero = false): number {
  if (f.node === null) return fallback;
  const raw = y.unitValue(f, 'a memory size such as 64MiB, 512KiB or a page count such as 16384');
  if (raw === undefined) return fallback;
  if (allowZero && (raw === 0 || (typeof raw === 'string' && /^\s*0+\s*[a-zA-Z]*\s*$/.test(raw)))) return 0;
  return y.attempt(() => parseMemory(raw, pageSize, y.at(f))) ?? fallback;
}

/** A whole number within [min, max]. */
/** The largest seed: the generators' PRNG is seeded with 32 bits. */
export const MAX_SEED = 2 ** 32 - 1;

export function readInteger(y: YamlReader, f: Field, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (f.node === null) return fallback;
  const expected = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  const raw = y.unitValue(f, expected);
  if (raw === undefined) return fallback;
  const v = y.attempt(() => parseCount(raw, y.at(f), expected));
  if (v === undefined) return fallback;
  if (v < min || v > max) {
    y.fail(f, expected);
    return fallback;
  }
  return v;
}

/** A probability: a number from 0 to 1, or a percentage (`5%`). */
export function readFraction(y: YamlReader, f: Field, fallback: number): number {
  if (f.node === null) return fallback;
  const expected = 'a fraction from 0 to 1 or a percentage such as 25%';
  const raw = y.unitValue(f, expected);
  if (raw === undefined) return fallback;
  if (typeof raw === 'number') {
    if (raw >= 0 && raw <= 1) return raw;
    y.fail(f, expected);
    return fallback;
  }
  if (/^\s*0+(\.0*)?\s*%\s*$/.test(raw)) return 0;
  const share = y.attempt(() => parsePercent(raw, y.at(f)));
  if (share === null) y.fail(f, expected);
  return share ?? fallback;
}

const BANDWIDTH_UNITS: Record<string, number> = {
  'b/s': 1, 'kb/s': 1e3, 'mb/s': 1e6, 'gb/s': 1e9, 'kib/s': 1024, 'mib/s': 1024 ** 2, 'gib/s': 1024 ** 3,
};

/** Transfer time of one page at `bandwidth` (`40MB/s`, `100MiB/s`, or bytes per second). */
function readBandwidthPerPageNs(y: YamlReader, f: Field, pageSize: number): number | undefined {
  const expected = 'a bandwidth such as 40MB/s or 100MiB/s (or bytes per second)';
  const raw = y.unitValue(f, expected);
  if (raw === undefined) return undefined;
  let bytesPerSecond: number;
  if (typeof raw === 'number') bytesPerSecond = raw;
  else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+\/s)\s*$/.exec(raw);
    const unit = m ? BANDWIDTH_UNITS[m[2]!.toLowerCase()] : undefined;
    if (!m || unit === undefined) {
      y.fail(f, expected);
      return undefined;
    }
    // a lowercase b is bits in every network spec sheet: read as bytes it would be 8× too fast
    if (m[2]!.endsWith('b/s')) {
      y.fail(f, `${expected}, B for bytes (a lowercase b is bits)`, raw.trim());
      return undefined;
    }
    bytesPerSecond = Number(m[1]) * unit;
  }
  if (!(bytesPerSecond > 0) || !Number.isFinite(bytesPerSecond)) {
    y.fail(f, expected);
    return undefined;
  }
  return Math.round((pageSize / bytesPerSecond) * 1e9);
}

// ---------------------------------------------------------------------------------------------
// Sections

/**
 * The machine. `memory: 25%` (a share of the distinct pages the tasks touch) can only be
 * resolved once the tasks are known: it comes back as `memoryShare` with its field.
 */
export function readMachine(y: YamlReader, f: Field): { machine: MachineSpec; memoryShare?: { raw: string; field: Field }; memoryAt?: InputLocation } {
  const machine: MachineSpec = { ...DEFAULT_MACHINE };
  if (f.node === null) return { machine };
  const m = y.map(f, MACHINE_KEYS, 'a machine');
  if (m === null) return { machine };
  const memoryAt = m.has('memory') ? y.at(m.get('memory')!) : undefined;
  const get = (k: (typeof MACHINE_KEYS)[number]): Field => m.get(k) ?? { node: null, path: `machine.${k}`, fallbackLine: f.fallbackLine };
  const pageSizeField = get('pageSize');
  if (pageSizeField.node !== null) {
    const expected = `a power of two from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE} bytes such as 4096 or 4KiB`;
    const raw = y.unitValue(pageSizeField, expected);
    const bytes = raw === undefined ? undefined : y.attempt(() => parseMemory(raw, 1, y.at(pageSizeField)));
    if (bytes !== undefined) {
      if (bytes < MIN_PAGE_SIZE || bytes > MAX_PAGE_SIZE || (bytes & (bytes - 1)) !== 0) y.fail(pageSizeField, expected);
      else machine.pageSize = bytes;
    }
  }
  const memory = get('memory');
  const memoryRaw = y.source(memory);
  let memoryShare: { raw: string; field: Field } | undefined;
  if (memoryRaw !== undefined && /%\s*$/.test(memoryRaw)) {
    if (y.attempt(() => parsePercent(memoryRaw, y.at(memory))) !== undefined) memoryShare = { raw: memoryRaw, field: memory };
  } else {
    machine.memoryPages = readPages(y, memory, machine.pageSize, machine.memoryPages);
  }
  machine.hz = readInteger(y, get('hz'), machine.hz, 1, 100_000);
  machine.cpuNsPerRef = readDuration(y, get('cpuPerReference'), machine.cpuNsPerRef);
  machine.faultNs = readDuration(y, get('faultCost'), machine.faultNs);
  machine.quantumNs = readDuration(y, get('quantum'), machine.quantumNs, true);
  machine.bootWiredPages = readPages(y, get('bootWired'), machine.pageSize, machine.bootWiredPages, true);
  return { machine, ...(memoryShare !== undefined ? { memoryShare } : {}), ...(memoryAt !== undefined ? { memoryAt } : {}) };
}

/**
 * `files:` — the sizes of files when the run starts, as a list of `{ name, size }`. A page
 * beyond a file's end has no data until someone writes it: the file pager answers
 * data_unavailable and the kernel zero-fills it with an external grab.
 */
export function readFiles(y: YamlReader, f: Field, pageSize: number): FileSpec[] {
  if (f.node === null) return [];
  const items = y.list(f, 'a list of files, each { name, size }');
  const files: FileSpec[] = [];
  for (const item of items ?? []) {
    const m = y.map(item, FILE_KEYS, 'a file', ['name', 'size']);
    if (m === null || !m.has('name') || !m.has('size')) continue;
    const name = y.string(m.get('name')!, 'a file name');
    const sizePages = readPages(y, m.get('size')!, pageSize, 0, true);
    if (name === undefined) continue;
    // a file has one size at the start: a second entry would silently win over the first
    if (files.some((file) => file.name === name)) y.fail(m.get('name')!, 'file names that differ', `a second file named ${quote(name)}`);
    else files.push({ name, sizePages });
  }
  return files;
}

export function readPager(y: YamlReader, f: Field, pageSize: number, base: PagerSpec): PagerSpec {
  const pager: PagerSpec = { disk: { ...base.disk }, faults: { ...base.faults }, neverDeallocate: base.neverDeallocate };
  if (f.node === null) return pager;
  const m = y.map(f, PAGER_KEYS, 'a pager');
  if (m === null) return pager;
  const get = (k: string): Field => m.get(k) ?? { node: null, path: `${f.path}.${k}`, fallbackLine: f.fallbackLine };
  pager.disk.readLatencyNs = readDuration(y, get('readLatency'), DEFAULT_DISK.readLatencyNs);
  pager.disk.writeLatencyNs = readDuration(y, get('writeLatency'), DEFAULT_DISK.writeLatencyNs);
  const perPage = get('perPage');
  const bandwidth = get('bandwidth');
  if (perPage.node !== null && bandwidth.node !== null) {
    y.fail(bandwidth, "either 'perPage' or 'bandwidth', not both", 'both');
  } else if (bandwidth.node !== null) {
    pager.disk.perPageNs = readBandwidthPerPageNs(y, bandwidth, pageSize) ?? pager.disk.perPageNs;
  } else {
    pager.disk.perPageNs = readDuration(y, perPage, DEFAULT_DISK.perPageNs);
  }
  const faults = get('faults');
  if (faults.node !== null) {
    const fm = y.map(faults, PAGER_FAULT_KEYS, 'fault injection');
    if (fm !== null) {
      const fget = (k: string): Field => fm.get(k) ?? { node: null, path: `${faults.path}.${k}`, fallbackLine: faults.fallbackLine };
      pager.faults.writeErrorRate = readFraction(y, fget('writeErrorRate'), 0);
      pager.faults.readErrorRate = readFraction(y, fget('readErrorRate'), 0);
    }
  }
  const never = get('neverDeallocate');
  if (never.node !== null) pager.neverDeallocate = y.boolean(never) ?? false;
  return pager;
}

/** A generator spec, checked field by field against its kind. */
export function readGenerator(y: YamlReader, f: Field, pageSize: number): GeneratorSpec | undefined {
  const m = y.map(f, ['kind', ...new Set(Object.values(GENERATOR_KEYS).flat().filter((k) => k !== 'kind'))], 'a generator', ['kind']);
  if (m === null) return undefined;
  const kindField = m.get('kind');
  if (kindField === undefined) return undefined;
  const kindExpected = `a generator kind (${GENERATOR_KINDS.join(', ')})`;
  const kind = y.string(kindField, kindExpected);
  if (kind === undefined) return undefined;
  if (!(GENERATOR_KINDS as readonly string[]).includes(kind)) {
    y.fail(kindField, kindExpected);
    return undefined;
  }
  const k = kind as GeneratorSpec['kind'];
  const allowed = GENERATOR_KEYS[k];
  let ok = true;
  for (const [key, field] of m) {
    if (!allowed.includes(key)) {
      y.fail(field, `a field of a '${k}' generator (${allowed.join(', ')})`, `'${key}'`);
      ok = false;
    }
  }
  const absent = (key: string): Field => ({ node: null, path: `${f.path}.${key}`, fallbackLine: y.lineOf(f.node) ?? f.fallbackLine });
  const need = (key: string): Field | undefined => {
    const field = m.get(key);
    if (field === undefined) {
      y.fail(absent(key), `a value for '${key}' (a '${k}' generator needs it)`, 'none');
      ok = false;
    }
    return field;
  };
  const pages = (key: string): number => {
    const field = need(key);
    return field === undefined ? 0 : readPages(y, field, pageSize, 0);
  };
  const count = (key: string, min: number): number => {
    const field = need(key);
    return field === undefined ? 0 : readInteger(y, field, 0, min);
  };
  const optional = (key: string): Field => m.get(key) ?? absent(key);
  const writeFraction = readFraction(y, optional('writeFraction'), 0);
  const startPage = readInteger(y, optional('startPage'), 0);
  const before = y.issues.length;
  let spec: GeneratorSpec | undefined;
  switch (k) {
    case 'sequential':
      spec = { kind: k, pages: pages('pages'), passes: count('passes', 1), writeFraction, startPage };
      break;
    case 'loop':
      spec = { kind: k, pages: pages('pages'), iterations: count('iterations', 1), writeFraction, startPage };
      break;
    case 'uniform':
      spec = { kind: k, pages: pages('pages'), references: count('references', 1), writeFraction, startPage };
      break;
    case 'hotset':
      spec = {
        kind: k,
        hotPages: pages('hotPages'),
        coldPages: readPages(y, optional('coldPages'), pageSize, 0, true),
        references: count('references', 1),
        hotProbability: readFraction(y, optional('hotProbability'), 0.9),
        scanEvery: readInteger(y, optional('scanEvery'), 0),
        scanLength: readInteger(y, optional('scanLength'), 0),
        writeFraction,
        startPage,
      };
      break;
    case 'phases': {
      const items = need('phases');
      const list = items === undefined ? null : y.list(items, 'a list of generators');
      const phases: GeneratorSpec[] = [];
      if (list !== null && list.length === 0) y.fail(items!, 'at least one phase', 'an empty list');
      for (const item of list ?? []) {
        const phase = readGenerator(y, item, pageSize);
        if (phase !== undefined) phases.push(phase);
      }
      spec = { kind: k, phases };
      break;
    }
  }
  if (spec !== undefined && spec.kind !== 'phases') {
    const span = spec.kind === 'hotset' ? spec.hotPages + spec.coldPages : spec.pages;
    checkLastPage(y, optional('startPage'), startPage, span);
  }
  return ok && y.issues.length === before ? spec : undefined;
}

/**
 * Page numbers are exact up to 2^53 − 1; past it two pages would share a number and merge
 * without a word. A range starting at `first` of `pages` pages must end by then.
 */
function checkLastPage(y: YamlReader, f: Field, first: number, pages: number): void {
  if (first + Math.max(pages, 1) - 1 <= Number.MAX_SAFE_INTEGER) return;
  y.fail(f, `a first page whose range of ${pages.toLocaleString('en-US')} pages ends by page 2^53 − 1 (${Number.MAX_SAFE_INTEGER})`, String(y.source(f) ?? first));
}

/** `anonymous`, `file:NAME`, or `{ file: NAME, offset: SIZE }`. */
export function readBacking(y: YamlReader, f: Field, pageSize: number): Backing | undefined {
  const expected = "'anonymous', 'file:NAME' or a mapping { file: NAME, offset: SIZE }";
  if (isMap(f.node)) {
    const m = y.map(f, BACKING_KEYS, 'a file backing', ['file']);
    if (m === null) return undefined;
    const fileField = m.get('file');
    const file = fileField === undefined ? undefined : y.string(fileField, 'a file (object) name');
    const offsetField = m.get('offset') ?? { node: null, path: `${f.path}.offset`, fallbackLine: f.fallbackLine };
    const offsetPages = readPages(y, offsetField, pageSize, 0, true);
    if (file === undefined) return undefined;
    if (file.trim() === '') {
      y.fail(fileField!, 'a non-empty file name');
      return undefined;
    }
    return { kind: 'file', file, offsetPages };
  }
  const s = y.string(f, expected);
  if (s === undefined) return undefined;
  if (s === 'anonymous') return { kind: 'anonymous' };
  const m = /^file:(.+)$/.exec(s);
  if (m && m[1]!.trim() !== '') return { kind: 'file', file: m[1]!.trim(), offsetPages: 0 };
  y.fail(f, expected);
  return undefined;
}

/** A region's first page: a hex byte address (`0x7f0000000000`, page-aligned) or a page number. */
function readRegionStart(y: YamlReader, f: Field, pageSize: number): number | undefined {
  const expected = `a page-aligned hex byte address such as 0x400000, or a page number`;
  const source = y.source(f);
  const raw = y.unitValue(f, expected);
  if (raw === undefined || source === undefined) return undefined;
  const hex = /^\s*0x([0-9a-fA-F]+)\s*$/.exec(source);
  if (hex) {
    const address = parseInt(hex[1]!, 16);
    if (!Number.isSafeInteger(address) || address % pageSize !== 0) {
      y.fail(f, `${expected} (a multiple of the ${pageSize}-byte page)`, source);
      return undefined;
    }
    return address / pageSize;
  }
  return y.attempt(() => parseCount(raw, y.at(f), expected));
}

export function readRegion(y: YamlReader, f: Field, index: number, pageSize: number): RegionSpec | undefined {
  const m = y.map(f, REGION_KEYS, 'a region', ['start']);
  if (m === null) return undefined;
  const absent = (key: string): Field => ({ node: null, path: `${f.path}.${key}`, fallbackLine: y.lineOf(f.node) ?? f.fallbackLine });
  const before = y.issues.length;
  const nameField = m.get('name');
  const name = nameField === undefined ? `region${index}` : y.string(nameField, 'a region name');
  const startField = m.get('start');
  const startPage = startField === undefined ? undefined : readRegionStart(y, startField, pageSize);
  const size = m.get('size');
  const pagesField = m.get('pages');
  let pages = 0;
  if (size !== undefined && pagesField !== undefined) y.fail(pagesField, "either 'size' or 'pages', not both", 'both');
  else if (size !== undefined) pages = readPages(y, size, pageSize, 0);
  else if (pagesField !== undefined) pages = readInteger(y, pagesField, 0, 1);
  else y.fail(absent('size'), "a 'size' (such as 4MiB) or a 'pages' count", 'neither');
  const backingField = m.get('backing');
  const backing: Backing | undefined = backingField === undefined ? { kind: 'anonymous' } : readBacking(y, backingField, pageSize);
  const writableField = m.get('writable');
  const writable = writableField === undefined ? true : (y.boolean(writableField) ?? true);
  if (startPage !== undefined && startField !== undefined) checkLastPage(y, startField, startPage, pages);
  if (y.issues.length !== before || name === undefined || startPage === undefined || backing === undefined) return undefined;
  return { name, startPage, pages, backing, writable };
}

/** Regions of one task must not overlap: a page belongs to one object. */
export function checkRegionOverlaps(y: YamlReader, regions: readonly { region: RegionSpec; field: Field }[]): void {
  const sorted = [...regions].sort((a, b) => a.region.startPage - b.region.startPage);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!.region;
    const cur = sorted[i]!;
    if (cur.region.startPage < prev.startPage + prev.pages) {
      y.fail(cur.field, `a region clear of region '${prev.name}' (pages ${prev.startPage}–${prev.startPage + prev.pages - 1})`,
        `one starting at page ${cur.region.startPage}`);
    }
  }
}

export function backingText(b: Backing): string {
  return b.kind === 'anonymous' ? 'anonymous' : `file:${b.file}${b.offsetPages ? `+${b.offsetPages}` : ''}`;
}
