/**
 * CSV block-I/O traces: one request a line, columns chosen by name or index.
 *
 * A request names where it starts (the offset column) and, optionally, how long it is, whether
 * it reads or writes, and when. The offset is counted in one of three ways:
 *  - 'bytes' (or a number of bytes per unit, 512 for sectors): the request covers
 *    [offset·unit, offset·unit + length) and references every page it touches, in order;
 *  - 'id': the offset is a block or object id, taken as the page number, one reference per
 *    request whatever its length (libCacheSim's object mode; the cloudPhysics sample's `lbn`).
 * Without options the header decides: an offset column named offset/address/addr is bytes,
 * one named lbn/lba/block/blkno/id/obj_id/key/page is an id; length from size/length/len/bytes,
 * op from op/operation/type/rw/opcode, time from time/timestamp/ts. The time column is checked to
 * be a number but not kept (a RefBatch has no timestamps).
 *
 * Op values are compared case-insensitively. Defaults: read = r, read, rd, l, load, get, 28, 88
 * (SCSI READ(10)/(16) opcodes in hex, as the cloudPhysics sample writes them), 0; write = w, write,
 * wr, s, store, set, put, 2a, 8a, 1; instruction fetch (REF_INSTR, what the CSV writer emits) =
 * instr, i, ifetch, exec, x.
 */
import { InputError, quote, type InputLocation } from '../../errors.js';
import { REF_INSTR, REF_WRITE } from '../../kernel/ref-source.js';
import { LineParser, MAX_PAGE, lineText } from './line-parser.js';
import type { RefSink } from './sink.js';

export interface CsvColumns {
  /** the flag these columns are given with, for messages that suggest it (default --csv) */
  flag?: string;
  /** where the columns were given and as what (parseCsvColumnsSpec), to refuse them for a trace that is no CSV */
  given?: { at: InputLocation; spec: string };
  /** column of the request's start: a header name or a 0-based index */
  offset?: string | number;
  /** column of the request's length in bytes */
  length?: string | number;
  /** column saying read or write */
  op?: string | number;
  /** column of the timestamp (checked, not used) */
  time?: string | number;
  /** how the offset counts: 'bytes', 'id' (one reference per request), or bytes per unit (512) */
  offsetUnit?: 'bytes' | 'id' | number;
  /** op values meaning read / write (case-insensitive); replace the defaults */
  readOps?: string[];
  writeOps?: string[];
  /** op values meaning an instruction fetch (a read with REF_INSTR) */
  instrOps?: string[];
  /** whether the first line is a header; detected when absent */
  header?: boolean;
}

export const CSV_DEFAULT_READ_OPS = ['r', 'read', 'rd', 'l', 'load', 'get', '28', '88', '0'];
export const CSV_DEFAULT_WRITE_OPS = ['w', 'write', 'wr', 's', 'store', 'set', 'put', '2a', '8a', '1'];
export const CSV_DEFAULT_INSTR_OPS = ['instr', 'i', 'ifetch', 'exec', 'x'];
const BYTE_OFFSET_NAMES = ['offset', 'address', 'addr', 'byte_offset'];
const ID_OFFSET_NAMES = ['lbn', 'lba', 'block', 'blkno', 'block_id', 'id', 'obj_id', 'object_id', 'key', 'page'];
const LENGTH_NAMES = ['size', 'length', 'len', 'bytes', 'obj_size', 'request_size'];
const OP_NAMES = ['op', 'operation', 'type', 'rw', 'opcode', 'io_type'];
const TIME_NAMES = ['time', 'timestamp', 'ts', 'clock_time'];
const MAX_COLUMNS = 256;
/** A request over more pages than this is taken for a wrong column, not a request. */
export const MAX_PAGES_PER_REQUEST = 1 << 20;

/** Parse `offset=lbn,length=size,op=op,unit=id` (the CLI's --csv) into CsvColumns. */
export function parseCsvColumnsSpec(spec: string, field: string, at: InputLocation = { file: 'command line', field }): CsvColumns {
  const out: CsvColumns = { flag: field, given: { at, spec } };
  const expected = "comma-separated key=value pairs with keys offset, length, op, time (a column name or 0-based index), unit (bytes, id or a number), header (yes|no), read, write and instr (op values separated by '/')";
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new InputError(at, expected, quote(part));
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const column = /^\d+$/.test(value) ? Number(value) : value;
    switch (key) {
      case 'offset': case 'length': case 'op': case 'time':
        out[key] = column;
        break;
      case 'unit':
        if (value === 'bytes' || value === 'id') out.offsetUnit = value;
        else if (/^\d+$/.test(value) && Number(value) > 0) out.offsetUnit = Number(value);
        else throw new InputError({ ...at, field: `${at.field ?? field} unit` }, "bytes, id or a number of bytes per offset unit", quote(value));
        break;
      case 'header':
        if (value !== 'yes' && value !== 'no') throw new InputError({ ...at, field: `${at.field ?? field} header` }, 'yes or no', quote(value));
        out.header = value === 'yes';
        break;
      case 'read': out.readOps = value.split('/'); break;
      case 'write': out.writeOps = value.split('/'); break;
      case 'instr': out.instrOps = value.split('/'); break;
      default:
        throw new InputError(at, expected, quote(part));
    }
  }
  return out;
}

interface ResolvedColumns {
  offset: number;
  length: number; // −1 = none
  op: number;
  time: number;
  /** bytes per offset unit, 0 = id mode */
  unit: number;
}

export class CsvParser extends LineParser {
  readonly #sink: RefSink;
  readonly #pageSize: number;
  readonly #options: CsvColumns;
  #columns: ResolvedColumns | undefined;
  /** field boundaries of the current line: start, end pairs */
  readonly #fields = new Int32Array(MAX_COLUMNS * 2);
  readonly #opFlags = new Map<string, number>();
  // op values seen so far, compared byte by byte so a string is made only for a new value
  readonly #opSeen: Array<{ bytes: Uint8Array; flags: number }> = [];

  constructor(file: string, pageSize: number, sink: RefSink, options: CsvColumns = {}) {
    super(file);
    this.#sink = sink;
    this.#pageSize = pageSize;
    this.#options = options;
    for (const op of options.readOps ?? CSV_DEFAULT_READ_OPS) this.#opFlags.set(op.toLowerCase(), 0);
    for (const op of options.writeOps ?? CSV_DEFAULT_WRITE_OPS) this.#opFlags.set(op.toLowerCase(), REF_WRITE);
    for (const op of options.instrOps ?? CSV_DEFAULT_INSTR_OPS) this.#opFlags.set(op.toLowerCase(), REF_INSTR);
  }

  protected parseLines(buf: Uint8Array, start: number, end: number): number {
    const fields = this.#fields;
    let i = start;
    while (i < end) {
      const lineStart = i;
      // split on commas, recording each field's bounds
      let n = 0;
      let fieldStart = i;
      let c = 0;
      while (i < end) {
        c = buf[i]!;
        if (c === 44 /* , */ || c === 10) {
          if (n < MAX_COLUMNS) {
            fields[2 * n] = fieldStart;
            fields[2 * n + 1] = c === 10 && i > fieldStart && buf[i - 1] === 13 ? i - 1 : i;
          }
          n++;
          fieldStart = i + 1;
          if (c === 10) break;
        }
        i++;
      }
      if (i >= end) return lineStart;
      i++; // past the newline
      if (n === 1 && fields[1] === fields[0]) {
        // blank line
        this.lines++;
        continue;
      }
      if (n > MAX_COLUMNS) throw this.lineError(buf, lineStart, i - 1, `at most ${MAX_COLUMNS} columns`);
      if (this.#columns === undefined) {
        const isHeader = this.#resolveColumns(buf, n, lineStart, i - 1);
        if (isHeader) {
          this.lines++;
          continue;
        }
      }
      this.#request(buf, n, lineStart, i - 1);
      this.lines++;
    }
    return i;
  }

  #request(buf: Uint8Array, n: number, lineStart: number, lineEnd: number): void {
    const columns = this.#columns!;
    const fields = this.#fields;
    const need = Math.max(columns.offset, columns.length, columns.op, columns.time);
    if (need >= n) throw this.lineError(buf, lineStart, lineEnd, `at least ${need + 1} columns`);
    const offset = this.#number(buf, columns.offset, lineStart, lineEnd, 'offset');
    let flags = 0;
    if (columns.op >= 0) flags = this.#op(buf, fields[2 * columns.op]!, fields[2 * columns.op + 1]!, lineStart, lineEnd);
    if (columns.time >= 0 && !isNumberField(buf, fields[2 * columns.time]!, fields[2 * columns.time + 1]!)) {
      throw this.lineError(buf, lineStart, lineEnd, `a number in the time column (index ${columns.time})`);
    }
    const sink = this.#sink;
    if (columns.unit === 0) {
      sink.ref(offset, flags, 1);
      return;
    }
    const length = columns.length >= 0 ? this.#number(buf, columns.length, lineStart, lineEnd, 'length') : 1;
    const byteStart = offset * columns.unit;
    const byteEnd = byteStart + Math.max(length, 1);
    if (byteEnd > MAX_PAGE) throw this.lineError(buf, lineStart, lineEnd, 'a request ending below byte 2^53');
    const first = Math.floor(byteStart / this.#pageSize);
    const last = Math.floor((byteEnd - 1) / this.#pageSize);
    if (last - first >= MAX_PAGES_PER_REQUEST) {
      throw this.lineError(buf, lineStart, lineEnd, `a request of at most ${MAX_PAGES_PER_REQUEST} pages (is the length column right?)`);
    }
    for (let p = first; p <= last; p++) sink.ref(p, flags, 1);
  }

  /** A whole number (decimal, or hex with 0x) in column `k`. */
  #number(buf: Uint8Array, k: number, lineStart: number, lineEnd: number, what: string): number {
    let s = this.#fields[2 * k]!;
    let e = this.#fields[2 * k + 1]!;
    while (s < e && (buf[s] === 32 || buf[s] === 34 /* " */)) s++;
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 34)) e--;
    let value = 0;
    if (e - s > 2 && buf[s] === 48 && (buf[s + 1] === 120 || buf[s + 1] === 88)) {
      for (let j = s + 2; j < e; j++) {
        const c = buf[j]!;
        const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (d < 0) { value = -1; break; }
        value = value * 16 + d;
      }
    } else {
      for (let j = s; j < e; j++) {
        const c = buf[j]!;
        if (c < 48 || c > 57) { value = -1; break; }
        value = value * 10 + (c - 48);
      }
    }
    if (s === e || value < 0 || value > MAX_PAGE) {
      throw this.lineError(buf, lineStart, lineEnd, `a whole number below 2^53 in the ${what} column (index ${k})`);
    }
    return value;
  }

  #op(buf: Uint8Array, s: number, e: number, lineStart: number, lineEnd: number): number {
    while (s < e && (buf[s] === 32 || buf[s] === 34)) s++;
    while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 34)) e--;
    const n = e - s;
    const seen = this.#opSeen;
    for (let k = 0; k < seen.length; k++) {
      const known = seen[k]!;
      const bytes = known.bytes;
      if (bytes.length !== n) continue;
      let j = 0;
      while (j < n && buf[s + j] === bytes[j]) j++;
      if (j === n) return known.flags;
    }
    const value = lineText(buf, s, e).toLowerCase();
    const flags = this.#opFlags.get(value);
    if (flags === undefined) {
      const named = (kind: number) => [...this.#opFlags].filter(([, f]) => f === kind).map(([k]) => k).join('/');
      throw new InputError({ file: this.file, line: this.lines + 1, field: `column index ${this.#columns!.op} (op)` },
        `an op: read (${named(0)}), write (${named(REF_WRITE)}) or instruction fetch (${named(REF_INSTR)})`, quote(value));
    }
    // remember the exact bytes (case variants each get an entry); a handful of values in practice
    if (seen.length < 64) seen.push({ bytes: buf.slice(s, e), flags });
    return flags;
  }

  /** Settle the columns from the options and the first line; true if that line is a header. */
  #resolveColumns(buf: Uint8Array, n: number, lineStart: number, lineEnd: number): boolean {
    const names: string[] = [];
    for (let k = 0; k < n; k++) names.push(lineText(buf, this.#fields[2 * k]!, this.#fields[2 * k + 1]!).trim().replace(/^"|"$/g, '').toLowerCase());
    const o = this.#options;
    const wantsNames = [o.offset, o.length, o.op, o.time].some((c) => typeof c === 'string');
    // a data line has at least one number (its offset); a header line has none
    const looksLikeHeader = names.every((name) => !/^(0x[0-9a-f]+|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/.test(name));
    const isHeader = o.header ?? (wantsNames || looksLikeHeader);
    const at = { file: this.file, line: this.lines + 1 };
    if (o.header === false && wantsNames) {
      throw new InputError({ ...at, field: 'csv columns' }, 'column indexes when the CSV has no header', 'column names');
    }
    const pick = (given: string | number | undefined, defaults: readonly string[], what: string): number => {
      if (typeof given === 'number') {
        if (given >= n) throw new InputError({ ...at, field: `csv ${what}` }, `a column index below ${n}`, String(given));
        return given;
      }
      if (typeof given === 'string') {
        const k = names.indexOf(given.toLowerCase());
        if (k < 0) throw new InputError({ ...at, field: `csv ${what}` }, `one of the header's columns (${names.join(', ')})`, quote(given));
        return k;
      }
      if (!isHeader) return -1;
      return names.findIndex((name) => defaults.includes(name));
    };
    let offset = pick(o.offset, [...BYTE_OFFSET_NAMES, ...ID_OFFSET_NAMES], 'offset');
    if (offset < 0) {
      const flag = o.flag ?? '--csv';
      if (!isHeader) throw new InputError({ ...at, field: 'csv offset' }, `a header naming the offset column, or the offset column given (${flag} offset=N)`, quote(lineText(buf, lineStart, lineEnd)));
      throw new InputError({ ...at, field: 'csv offset' }, `a header with an offset column (${[...BYTE_OFFSET_NAMES, ...ID_OFFSET_NAMES].join(', ')}) or ${flag} offset=NAME`, quote(names.join(',')));
    }
    const length = pick(o.length, LENGTH_NAMES, 'length');
    const op = pick(o.op, OP_NAMES, 'op');
    const time = pick(o.time, TIME_NAMES, 'time');
    let unit: number;
    if (o.offsetUnit === 'id') unit = 0;
    else if (o.offsetUnit === 'bytes') unit = 1;
    else if (typeof o.offsetUnit === 'number') unit = o.offsetUnit;
    else unit = isHeader && ID_OFFSET_NAMES.includes(names[offset]!) ? 0 : 1;
    if (!(Number.isSafeInteger(unit) && unit >= 0)) throw new InputError({ ...at, field: 'csv unit' }, "'bytes', 'id' or a whole number of bytes", String(o.offsetUnit));
    offset = Math.max(offset, 0);
    this.#columns = { offset, length, op, time, unit };
    return isHeader;
  }
}

function isNumberField(buf: Uint8Array, s: number, e: number): boolean {
  while (s < e && (buf[s] === 32 || buf[s] === 34)) s++;
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 34)) e--;
  if (s === e) return false;
  for (let j = s; j < e; j++) {
    const c = buf[j]!;
    if (!((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69)) return false;
  }
  return true;
}
