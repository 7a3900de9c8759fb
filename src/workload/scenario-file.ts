/**
 * Scenario files on disk: reading them, finding the shipped ones, and the traces they name.
 * Shipped scenarios live in scenarios/ next to the package; `loadScenario()` with no name is the
 * embedded default. The parsing itself is ./scenario-text.ts, which knows no file system.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, InputErrors, quote, readProblem } from '../errors.js';
import type { Scenario } from '../kernel/scenario.js';
import { parseScenario, type ScenarioFiles } from './scenario-text.js';
import { openTrace } from './trace/file.js';
import { detectTraceFormat, formatFromName } from './trace/formats.js';
import { YamlReader } from './yaml-reader.js';

export { reseedScenario } from './scenario-text.js';

/** scenarios/ of this package (src/workload → ../../scenarios). */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
export const DEFAULT_SCENARIO = 'default';

export interface ShippedScenario {
  name: string;
  path: string;
  description: string;
}

/** Read and resolve a scenario file. Paths inside it (traces) are relative to its directory. */
export function loadScenarioFile(path: string): Scenario {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputErrors([new InputError({ file: path }, 'a readable scenario file', readProblem(e))]);
  }
  refuseTrace(path, bytes, "a scenario (YAML); to run a trace, name it in a scenario's tasks[].trace, or replay it with pageout compare");
  return parseScenarioText(yamlText(bytes, path), path, dirname(resolve(path)));
}

/**
 * A trace given where a YAML file goes (a scenario, a sweep): say so, where YAML's complaints
 * about binary bytes or a thousand lines of page numbers would not. A .yaml name is taken at its
 * word; otherwise a trace's name (.pgt, .lirs, …) or binary content counts.
 */
export function refuseTrace(path: string, bytes: Uint8Array, expected: string): void {
  if (/\.ya?ml$/i.test(path)) return;
  const head = bytes.subarray(0, 4096);
  const format = detectTraceFormat(path, head);
  if (format !== undefined && (formatFromName(path) !== undefined || head.includes(0))) {
    throw new InputErrors([new InputError({ file: path }, expected, `a ${format} trace`)]);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A YAML file's text. YAML is Unicode; a byte that is no UTF-8 (a Latin-1 `é`, say) would become
 * U+FFFD without a word and change a name or a path, so it is refused at its line and byte.
 */
export function yamlText(bytes: Uint8Array, path: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // the first byte where a lenient decode and a re-encode part ways is the bad one
    const lenient = Buffer.from(new TextDecoder('utf-8').decode(bytes), 'utf8');
    let at = 0;
    while (at < bytes.length && at < lenient.length && bytes[at] === lenient[at]) at++;
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    throw new InputErrors([new InputError({ file: path, line }, 'UTF-8 text (YAML is Unicode)', `byte 0x${bytes[at]!.toString(16).padStart(2, '0')} at byte ${at}, which is no UTF-8`)]);
  }
}

/**
 * The scenario `nameOrPath` names: undefined → the embedded default (scenarios/default.yaml), a
 * bare name → a shipped scenario (scenarios/<name>.yaml), anything else → a file path.
 */
export function loadScenario(nameOrPath?: string): Scenario {
  if (nameOrPath === undefined) return loadScenarioFile(join(SCENARIOS_DIR, `${DEFAULT_SCENARIO}.yaml`));
  const bareName = /^[A-Za-z0-9_-]+$/.test(nameOrPath);
  if (bareName && !existsSync(nameOrPath)) {
    const shipped = join(SCENARIOS_DIR, `${nameOrPath}.yaml`);
    if (existsSync(shipped)) return loadScenarioFile(shipped);
    const names = listShippedScenarios().map((s) => s.name);
    throw new InputErrors([new InputError({ file: 'command line', field: 'scenario' },
      `a shipped scenario (${names.join(', ')}) or the path of a .yaml file`, quote(nameOrPath))]);
  }
  return loadScenarioFile(nameOrPath);
}

/** The scenarios in scenarios/, by name, with the first line of their description. */
export function listShippedScenarios(): ShippedScenario[] {
  if (!existsSync(SCENARIOS_DIR)) return [];
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const path = join(SCENARIOS_DIR, f);
      const y = new YamlReader(readFileSync(path, 'utf8'), path);
      const top = y.document.toJS() as { description?: unknown } | null;
      const description = typeof top?.description === 'string' ? top.description.trim().split('\n')[0]! : '';
      return { name: f.replace(/\.yaml$/, ''), path, description };
    });
}

/** Parse scenario text read from disk. `fileName` is what errors name; `baseDir` is where relative trace paths start. */
export function parseScenarioText(text: string, fileName: string, baseDir: string): Scenario {
  return parseScenario(text, fileName, diskFiles(baseDir));
}

/** The traces of a scenario whose relative paths start at `baseDir`, on disk. */
function diskFiles(baseDir: string): ScenarioFiles {
  return {
    locate: (path) => (isAbsolute(path) ? path : join(baseDir, path)),
    exists: (file) => existsSync(file),
    openTrace: (file, options) => openTrace(file, options),
  };
}
