/**
 * Stands in for src/workload/trace/file.ts in the worker: the same `openTrace(path, opts)`, over
 * bytes already in memory (vfs.ts). zstd is read by openTraceBytes itself, gzip by fflate.
 */
import { openTraceBytes } from '../../../src/workload/trace/bytes.js';
import type { TraceOptions } from '../../../src/workload/trace/formats.js';
import type { TraceRefSource } from '../../../src/workload/trace/source.js';
import { browserGunzip } from '../gunzip-chunks.js';
import { normalize } from './path.js';
import { getFile, noSuchFile } from './vfs.js';

export function openTrace(path: string, opts: TraceOptions = {}): TraceRefSource {
  const bytes = getFile(normalize(path));
  if (bytes === undefined) throw noSuchFile(path);
  return openTraceBytes(bytes, path, { ...opts, gunzip: browserGunzip });
}
