/**
 * How a cache-mode sweep point reads its trace (its `format`, `pageSize`, `csv`, `skipRefs` and
 * `maxRefs`, as compare's flags), and the traces a worker keeps remapped, so that the points of
 * one trace (every policy, every size) read the file once per worker.
 */
import { basename } from 'node:path';
import { InputError, InputErrors, quote, type InputLocation } from '../errors.js';
import { buildDenseTrace, type DenseTrace } from '../cache/index.js';
import { parseCount, parseTracePageSize } from '../units.js';
import { DEFAULT_PAGE_SIZE, openTrace, parseCsvColumnsSpec, TRACE_FORMATS, type TraceOptions, type TraceRefSource } from '../workload/trace/index.js';
import type { CachePointValues, TraceReadKey } from './spec.js';

const KEEP_TRACES = 2;
/** a remapped trace, its next uses once OPT asked, and its page size (a compact trace's own) */
export interface LoadedTrace { trace: DenseTrace; nextUse: Float64Array | null; pageSize: number }
/** by path and read options */
const traces = new Map<string, LoadedTrace>();

/**
 * How a point reads its trace, from its `format`, `pageSize`, `csv`, `skipRefs` and `maxRefs`
 * (compare's --format, --page-size, --csv-columns, --skip-refs and --max-refs), checked.
 */
export function traceReadOptions(read: CachePointValues['read'] = {}, at: (key: string) => InputLocation): TraceOptions {
  // byte-address traces in 4 KiB pages unless `pageSize` says, as `pageout compare` reads them
  const options: TraceOptions = { pageSize: DEFAULT_PAGE_SIZE };
  const errors: InputError[] = [];
  const check = (key: TraceReadKey, expected: string, apply: (raw: string | number) => void): void => {
    const v = read[key];
    if (v === undefined) return;
    try {
      if (typeof v === 'boolean') throw new InputError(at(key), expected, quote(v));
      apply(v);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
    }
  };
  const formats = `one of ${TRACE_FORMATS.join(', ')}`;
  check('format', formats, (raw) => {
    const format = TRACE_FORMATS.find((f) => f.toLowerCase() === String(raw).toLowerCase());
    if (format === undefined) throw new InputError(at('format'), formats, quote(raw));
    options.format = format;
    options.formatGivenAs = `${at('format').field ?? 'format'}: ${format}`;
  });
  check('pageSize', 'a page size such as 4096', (raw) => { options.pageSize = parseTracePageSize(raw, at('pageSize')); });
  // the message for a CSV whose columns are not named suggests the sweep's own key
  options.csv = { flag: 'csv:' };
  check('csv', 'CSV columns such as offset=lba,length=bytes,op=rw,unit=512', (raw) => { options.csv = parseCsvColumnsSpec(String(raw), 'csv:', at('csv')); });
  const skipped = 'a count of references from 0, such as 1000000';
  check('skipRefs', skipped, (raw) => {
    options.skipRefs = parseCount(raw, at('skipRefs'), skipped);
    options.skipRefsAt = at('skipRefs');
  });
  const most = 'a count of references from 1, such as 1000000';
  check('maxRefs', most, (raw) => {
    const n = parseCount(raw, at('maxRefs'), most);
    if (n < 1) throw new InputError(at('maxRefs'), most, quote(raw));
    options.maxRefs = n;
  });
  if (errors.length > 0) throw new InputErrors(errors);
  return options;
}

/**
 * Open `path` as `options` say. A compact trace carries its own page size, and a `pageSize`
 * naming another is refused (every count would come out in the trace's pages).
 */
function openPointTrace(path: string, read: CachePointValues['read'], at: (key: string) => InputLocation): TraceRefSource {
  const options = traceReadOptions(read, at);
  const source = openTrace(path, options);
  if (read?.pageSize !== undefined && source.format === 'compact' && source.pageSize !== options.pageSize) {
    source.close();
    throw new InputError(at('pageSize'), `the page size ${basename(path)} carries (${source.pageSize} bytes), or none: a compact trace keeps its own`, quote(read.pageSize));
  }
  return source;
}

/**
 * What opening a point's trace tells before it is read: the page size its sizes count in (a
 * compact trace's own, else `pageSize` or 4 KiB), and its references, within the slice, when the
 * file says (a compact header, a plain oracleGeneral file's size).
 */
export function traceFacts(path: string, read: CachePointValues['read'], at: (key: string) => InputLocation): { pageSize: number; references: number | undefined } {
  const source = openPointTrace(path, read, at);
  try {
    return { pageSize: source.pageSize, references: source.totalRefs };
  } finally {
    source.close();
  }
}


export function denseTrace(path: string, read: CachePointValues['read'], at: (key: string) => InputLocation): LoadedTrace {
  const key = JSON.stringify([path, read ?? {}]);
  const hit = traces.get(key);
  if (hit) return hit;
  const source = openPointTrace(path, read, at);
  let trace: DenseTrace;
  try {
    trace = buildDenseTrace(source);
  } finally {
    source.close();
  }
  const entry = { trace, nextUse: null, pageSize: source.pageSize };
  if (traces.size >= KEEP_TRACES) traces.delete(traces.keys().next().value!);
  traces.set(key, entry);
  return entry;
}
