/**
 * Writing a reference stream in each output format (`pageout convert`). Text is encoded byte by
 * byte into a 1 MiB buffer, so writing costs no string per record.
 *
 * What each keeps (README "Trace formats"):
 *  - compact: everything (page, read/write, instruction/data, repeat counts collapsed);
 *  - lackey: `I  ADDR,1` / ` L ADDR,1` / ` S ADDR,1` with ADDR = page × page size; a repeat
 *    count becomes repeated lines; an instruction *write* (no lackey line says that) is written
 *    as a store;
 *  - lirs: the page number per line; reads and writes alike (the format has no kind);
 *  - csv: header `op,page`, op = read | write | instr; `page` is read back as an id;
 *  - oracleGeneral: libCacheSim's 24-byte records, one a reference, with each reference's next
 *    use; reads and writes alike, and no time (the format has no kind, and pageout none to give).
 */
import { closeSync, openSync } from 'node:fs';
import { writeFully } from '../../write-file.js';
import { InputError, quote, writeProblem } from '../../errors.js';
import { REF_INSTR, REF_WRITE } from '../../kernel/ref-source.js';
import { CompactTraceWriter } from './compact.js';
import { stripCompressionSuffix } from './formats.js';
import type { RefSink } from './sink.js';

export const TRACE_OUTPUT_FORMATS = ['compact', 'lackey', 'lirs', 'csv', 'oracleGeneral'] as const;
export type TraceOutputFormat = (typeof TRACE_OUTPUT_FORMATS)[number];

export interface TraceWriter extends RefSink {
  close(): { records: number; references: number };
}

/** The output format a file name implies. */
export function outputFormatFromName(name: string): TraceOutputFormat | undefined {
  const base = name.toLowerCase();
  if (base !== stripCompressionSuffix(base)) return undefined; // we do not write compressed files
  if (base.endsWith('.pgt')) return 'compact';
  if (base.endsWith('.lackey') || base.endsWith('.lackey.txt')) return 'lackey';
  if (base.endsWith('.lirs') || base.endsWith('.trace')) return 'lirs';
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.oraclegeneral.bin') || base.endsWith('.oraclegeneral')) return 'oracleGeneral';
  return undefined;
}

export function parseOutputFormat(raw: string, field = '--to'): TraceOutputFormat {
  const found = TRACE_OUTPUT_FORMATS.find((f) => f.toLowerCase() === raw.toLowerCase());
  if (found === undefined) throw new InputError({ file: 'command line', field }, `one of ${TRACE_OUTPUT_FORMATS.join(', ')}`, quote(raw));
  return found;
}

export interface WriterHeader {
  pageSize: number;
  description: string;
  command?: string[];
}

export function createTraceWriter(path: string, format: TraceOutputFormat, header: WriterHeader): TraceWriter {
  switch (format) {
    case 'compact': return new CompactTraceWriter(path, header);
    case 'lackey': return new LackeyTextWriter(path, header.pageSize);
    case 'lirs': return new IdLineWriter(path);
    case 'csv': return new CsvTraceWriter(path);
    case 'oracleGeneral': return new OracleGeneralWriter(path, header.pageSize);
  }
}

/** records an oracleGeneral write hands to the file at a time (1.5 MiB) */
const ORACLE_BATCH = 65536;

/**
 * libCacheSim's oracleGeneral: `u32 clock_time, u64 obj_id, u32 obj_size, i64 next_access_vtime`,
 * little-endian, a record a reference. next_access_vtime is the position of the page's next
 * reference counted from 1, as libCacheSim's traceConv writes it, or −1 when there is none; its
 * Belady reads it. A reference's next use lies in the future, so the records are kept (12 bytes
 * each: the page number and its repeat count) and written backwards-computed at close: one
 * backward pass finds each next use, then the file is written front to back. clock_time is 0
 * (pageout's traces carry no wall-clock time) and obj_size the page size in bytes, so libCacheSim's
 * byte-sized caches count pages of the trace's size.
 */
class OracleGeneralWriter implements TraceWriter {
  #pages = new Float64Array(1 << 16);
  #counts = new Uint32Array(1 << 16);
  #records = 0;
  #references = 0;
  #closed = false;
  readonly #fd: number;

  constructor(readonly path: string, readonly pageSize: number) {
    try {
      this.#fd = openSync(path, 'w');
    } catch (e) {
      throw new InputError({ file: path }, 'a writable file', writeProblem(e));
    }
  }

  ref(page: number, _flags: number, count: number): void {
    if (this.#records === this.#pages.length) {
      const pages = new Float64Array(2 * this.#pages.length);
      pages.set(this.#pages);
      this.#pages = pages;
      const counts = new Uint32Array(2 * this.#counts.length);
      counts.set(this.#counts);
      this.#counts = counts;
    }
    this.#pages[this.#records] = page;
    this.#counts[this.#records] = count;
    this.#records++;
    this.#references += count;
  }

  close(): { records: number; references: number } {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#write();
      } finally {
        closeSync(this.#fd);
      }
    }
    return { records: this.#references, references: this.#references };
  }

  #write(): void {
    const records = this.#records;
    const pages = this.#pages;
    const counts = this.#counts;
    // the next use of each record's last reference, as a 0-based reference index (−1: none)
    const nextOfRecord = new Float64Array(records);
    const nextUse = new Map<number, number>();
    let t = this.#references;
    for (let r = records - 1; r >= 0; r--) {
      t -= counts[r]!;
      nextOfRecord[r] = nextUse.get(pages[r]!) ?? -1;
      nextUse.set(pages[r]!, t);
    }
    const out = new Uint8Array(ORACLE_BATCH * 24);
    const view = new DataView(out.buffer);
    let at = 0;
    let index = 0; // 0-based reference index of the record being written
    const flush = () => {
      writeFully(this.#fd, out, at, this.path);
      at = 0;
    };
    for (let r = 0; r < records; r++) {
      const page = pages[r]!;
      for (let k = counts[r]!; k > 0; k--) {
        if (at === out.length) flush();
        // a repeated record's references each come back at the next one; its last at the next record's
        const next = k > 1 ? index + 1 : nextOfRecord[r]!;
        // 64-bit fields as two 32-bit halves: page numbers and positions stay below 2^53, and
        // −1 is all ones
        view.setUint32(at, 0, true);
        view.setUint32(at + 4, page >>> 0, true);
        view.setUint32(at + 8, Math.floor(page / 4294967296), true);
        view.setUint32(at + 12, this.pageSize, true);
        const vtime = next === -1 ? -1 : next + 1;
        view.setUint32(at + 16, vtime === -1 ? 0xffffffff : vtime >>> 0, true);
        view.setUint32(at + 20, vtime === -1 ? 0xffffffff : Math.floor(vtime / 4294967296), true);
        at += 24;
        index++;
      }
    }
    flush();
  }
}

const BUFFER_BYTES = 1 << 20;
/** longest line any text writer emits: ` S ` + 16 hex digits + `,1\n`, or 16 decimal digits */
const MAX_LINE = 40;

/** A buffered byte sink on a file. */
abstract class TextTraceWriter implements TraceWriter {
  protected readonly buffer = new Uint8Array(BUFFER_BYTES);
  protected pos = 0;
  #fd: number;
  #records = 0;
  #references = 0;
  #closed = false;

  constructor(readonly path: string) {
    try {
      this.#fd = openSync(path, 'w');
    } catch (e) {
      throw new InputError({ file: path }, 'a writable file', writeProblem(e));
    }
  }

  ref(page: number, flags: number, count: number): void {
    // a text line holds one reference: a repeated record becomes `count` records here
    this.#records += count;
    this.#references += count;
    for (let k = 0; k < count; k++) {
      if (this.pos > BUFFER_BYTES - MAX_LINE) this.#flush();
      this.line(page, flags);
    }
  }

  protected abstract line(page: number, flags: number): void;

  close(): { records: number; references: number } {
    if (!this.#closed) {
      this.#closed = true;
      this.#flush();
      closeSync(this.#fd);
    }
    return { records: this.#records, references: this.#references };
  }

  protected ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.buffer[this.pos++] = text.charCodeAt(i);
  }

  protected decimal(value: number): void {
    const start = this.pos;
    do {
      this.buffer[this.pos++] = 48 + (value % 10);
      value = Math.floor(value / 10);
    } while (value > 0);
    this.buffer.subarray(start, this.pos).reverse();
  }

  protected hex(value: number): void {
    const start = this.pos;
    do {
      const d = value % 16;
      this.buffer[this.pos++] = d < 10 ? 48 + d : 87 + d;
      value = Math.floor(value / 16);
    } while (value > 0);
    this.buffer.subarray(start, this.pos).reverse();
  }

  #flush(): void {
    writeFully(this.#fd, this.buffer, this.pos, this.path);
    this.pos = 0;
  }
}

class LackeyTextWriter extends TextTraceWriter {
  constructor(path: string, readonly pageSize: number) {
    super(path);
  }
  protected line(page: number, flags: number): void {
    const address = page * this.pageSize;
    if (address > Number.MAX_SAFE_INTEGER) {
      throw new InputError({ file: this.path }, 'pages whose byte address (page × page size) is below 2^53', String(page));
    }
    this.ascii(flags & REF_WRITE ? ' S ' : flags & REF_INSTR ? 'I  ' : ' L ');
    this.hex(address);
    this.ascii(',1\n');
  }
}

class IdLineWriter extends TextTraceWriter {
  protected line(page: number): void {
    this.decimal(page);
    this.buffer[this.pos++] = 10;
  }
}

class CsvTraceWriter extends TextTraceWriter {
  constructor(path: string) {
    super(path);
    this.ascii('op,page\n');
  }
  protected line(page: number, flags: number): void {
    this.ascii(flags & REF_WRITE ? 'write,' : flags & REF_INSTR ? 'instr,' : 'read,');
    this.decimal(page);
    this.buffer[this.pos++] = 10;
  }
}
