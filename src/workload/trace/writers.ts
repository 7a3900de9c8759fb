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
 *  - csv: header `op,page`, op = read | write | instr; `page` is read back as an id.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError, quote, writeProblem } from '../../errors.js';
import { REF_INSTR, REF_WRITE } from '../../kernel/ref-source.js';
import { CompactTraceWriter } from './compact.js';
import { stripCompressionSuffix } from './formats.js';
import type { RefSink } from './sink.js';

export const TRACE_OUTPUT_FORMATS = ['compact', 'lackey', 'lirs', 'csv'] as const;
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
  return undefined;
}

export function parseOutputFormat(raw: string, field = '--to'): TraceOutputFormat {
  const found = TRACE_OUTPUT_FORMATS.find((f) => f === raw.toLowerCase());
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
    let done = 0;
    while (done < this.pos) done += writeSync(this.#fd, this.buffer, done, this.pos - done);
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
