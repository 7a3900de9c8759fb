/**
 * The worker's files: the shipped scenarios' traces (fetched from the build's assets) and dropped
 * trace files, held in memory under absolute POSIX paths. `memoryFiles(dir)` hands them to the
 * scenario parser (src/workload/scenario-text.ts) the way the command line hands it the disk, so
 * a scenario parses in the browser with the very code `pageout run` uses.
 */
import type { ScenarioFiles } from '../../src/workload/scenario-text.js';
import { openTraceBytes } from '../../src/workload/trace/bytes.js';
import { browserGunzip } from './gunzip-chunks.js';

const files = new Map<string, Uint8Array>();

export function putFile(path: string, bytes: Uint8Array): void {
  files.set(path, bytes);
}

/** The files, for a scenario whose relative trace paths start at `dir`. */
export function memoryFiles(dir: string): ScenarioFiles {
  return {
    locate: (path) => normalize(path.startsWith('/') ? path : `${dir}/${path}`),
    exists: (file) => files.has(file),
    openTrace: (file, options) => {
      const bytes = files.get(file);
      // the parser asks exists() first and reports a missing trace with its line
      if (bytes === undefined) throw new Error(`memoryFiles: no file ${file}`);
      return openTraceBytes(bytes, file, { ...options, gunzip: browserGunzip });
    },
  };
}

/** An absolute path without `.`, `..` or empty segments: `/scenarios/./traces/../a.pgt` → `/scenarios/a.pgt`. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '' && part !== '.') out.push(part);
  }
  return `/${out.join('/')}`;
}
