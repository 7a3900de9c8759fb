/**
 * The trace formats, how one is recognised, and the parser for each. No Node imports.
 *
 * Detection: compressed files are named by their decompressed name (`cs.trace.gz` → `cs.trace`).
 * The compact magic always wins; then the extension (`.lackey`, `.pgt`, `.oracleGeneral.bin`,
 * `.csv`, `.spec`, `.lirs`); `.trace`, `.txt` and unknown names are told apart by their first
 * lines (the LIRS and SPEC sets both use `.trace`).
 */
import { InputError, quote, type InputLocation } from '../../errors.js';
import { CompactParser, hasCompactMagic, type CompactHeader } from './compact-format.js';
import { CsvParser, type CsvColumns } from './csv.js';
import { IdLineParser } from './id-lines.js';
import { LackeyTextParser } from './lackey.js';
import { OracleGeneralParser } from './oracle-general.js';
import type { RefSink, TraceParser } from './sink.js';
import { SpecAddressParser } from './spec.js';

export const TRACE_FORMATS = ['lackey', 'lirs', 'spec', 'csv', 'oracleGeneral', 'compact'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export const TRACE_FORMAT_DESCRIPTIONS: Record<TraceFormat, string> = {
  lackey: "valgrind lackey text ('I  ADDR,SIZE', ' L|S|M ADDR,SIZE')",
  lirs: "one block number per line, '*' lines skipped (the LIRS set)",
  spec: "SPEC address trace ('l|s 0xADDR N')",
  csv: 'CSV block trace (columns: offset, length, op, time)',
  oracleGeneral: "libCacheSim oracleGeneral binary (24-byte records)",
  compact: "pageout's compact binary trace (.pgt)",
};

/** File name extensions each format is written with, most usual first. */
export const TRACE_EXTENSIONS: Record<TraceFormat, readonly string[]> = {
  lackey: ['.lackey', '.lackey.txt'],
  lirs: ['.lirs', '.trace'],
  spec: ['.spec', '.trace'],
  csv: ['.csv'],
  oracleGeneral: ['.oracleGeneral.bin', '.oracleGeneral', '.oraclegeneral.bin'],
  compact: ['.pgt'],
};

export interface TraceOptions {
  /** skip detection */
  format?: TraceFormat;
  /** bytes per page for byte-address formats; default 4096 (compact traces carry their own) */
  pageSize?: number;
  /** column choices for CSV traces */
  csv?: CsvColumns;
  /** how `format` was given, for messages (default `--format NAME`; a scenario names its field) */
  formatGivenAs?: string;
  /** what to do about a file whose format neither name nor content tells (default: name it with --format) */
  unknownFormatAdvice?: string;
  /** references left out at the start of the trace (`--skip-refs`); a record straddling the cut loses its first ones */
  skipRefs?: number;
  /** references delivered at most, after the skipped ones (`--max-refs`); the rest of the file is not read */
  maxRefs?: number;
  /** where `skipRefs` was given, for the error when it skips the whole trace (default: the --skip-refs flag) */
  skipRefsAt?: InputLocation;
}

export const DEFAULT_PAGE_SIZE = 4096;

export type Compression = 'gzip' | 'zstd' | 'none';

/** Compression by magic bytes (gzip 1f 8b, zstd 28 b5 2f fd). */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** The name without a compression suffix (.gz, .gzip, .zst, .zstd). */
export function stripCompressionSuffix(name: string): string {
  return name.replace(/\.(gz|gzip|zst|zstd)$/i, '');
}

/** Parse a --format value. */
export function parseTraceFormat(raw: string, field = '--format'): TraceFormat {
  const found = TRACE_FORMATS.find((f) => f.toLowerCase() === raw.toLowerCase());
  if (found === undefined) throw new InputError({ file: 'command line', field }, `one of ${TRACE_FORMATS.join(', ')}`, quote(raw));
  return found;
}

/** The format a file's name implies, or undefined when the name does not settle it. */
export function formatFromName(name: string): TraceFormat | undefined {
  const base = stripCompressionSuffix(name).toLowerCase();
  if (base.endsWith('.pgt')) return 'compact';
  if (base.endsWith('.lackey') || base.endsWith('.lackey.txt')) return 'lackey';
  if (base.endsWith('.oraclegeneral.bin') || base.endsWith('.oraclegeneral')) return 'oracleGeneral';
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.spec')) return 'spec';
  if (base.endsWith('.lirs')) return 'lirs';
  return undefined;
}

/**
 * The format of a trace from its name and its first (decompressed) bytes. Returns undefined
 * when neither tells; callers then ask for --format.
 */
export function detectTraceFormat(name: string, head: Uint8Array = new Uint8Array(0)): TraceFormat | undefined {
  if (hasCompactMagic(head)) return 'compact';
  return formatFromName(name) ?? formatFromContent(head);
}

/** Recognise a text format by its first meaningful line; binary bytes mean oracleGeneral. */
export function formatFromContent(head: Uint8Array): TraceFormat | undefined {
  if (head.length === 0) return undefined;
  if (hasCompactMagic(head)) return 'compact';
  let binary = 0;
  const sample = Math.min(head.length, 4096);
  for (let i = 0; i < sample; i++) {
    const c = head[i]!;
    if (c < 9 || (c > 13 && c < 32) || c === 127) binary++;
  }
  if (binary > 0) return binary * 20 >= sample || head[0] === 0 ? 'oracleGeneral' : undefined;
  const text = new TextDecoder().decode(head.subarray(0, sample));
  const lines = text.split('\n').slice(0, -1); // the last may be cut
  if (lines.length === 0) lines.push(text);
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('==')) continue;
    if (/^(I {1,2}| [LSM] )[0-9a-fA-F]+,\d+$/.test(line)) return 'lackey';
    if (/^[lsLS][ \t]+(0x)?[0-9a-fA-F]+[ \t]+\d+\s*$/.test(line)) return 'spec';
    if (/^\s*(\d+|\*)\s*$/.test(line)) {
      if (line.trim() === '*') continue;
      return 'lirs';
    }
    if (line.includes(',')) return 'csv';
    return undefined;
  }
  return undefined;
}

export interface ParserHandle {
  parser: TraceParser;
  /** filled once a compact trace's header has been read */
  compactHeader(): CompactHeader | undefined;
  /** the page size references are counted in */
  pageSize(): number;
}

/** The streaming parser for `format`, writing into `sink`. */
export function createTraceParser(format: TraceFormat, file: string, sink: RefSink, options: TraceOptions = {}): ParserHandle {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(pageSize) || pageSize <= 0) {
    throw new InputError({ file: 'command line', field: '--page-size' }, 'a whole number of bytes above 0', quote(options.pageSize));
  }
  const fixed = (parser: TraceParser): ParserHandle => ({ parser, compactHeader: () => undefined, pageSize: () => pageSize });
  switch (format) {
    case 'lackey': return fixed(new LackeyTextParser(pageSize, sink, { file }));
    case 'lirs': return fixed(new IdLineParser(file, sink));
    case 'spec': return fixed(new SpecAddressParser(file, pageSize, sink));
    case 'csv': return fixed(new CsvParser(file, pageSize, sink, options.csv));
    case 'oracleGeneral': return fixed(new OracleGeneralParser(file, sink));
    case 'compact': {
      const parser = new CompactParser(file, sink);
      return { parser, compactHeader: () => parser.header, pageSize: () => parser.header?.pageSize ?? pageSize };
    }
  }
}
