/**
 * valgrind lackey's memory trace (`valgrind --tool=lackey --trace-mem=yes`), parsed in place.
 *
 *     I  0401ab70,3        instruction fetch of 3 bytes   → REF_INSTR
 *      L 1fff000678,8      data load                      → 0
 *      S 1fff000670,8      data store                     → REF_WRITE
 *      M 1fff000670,8      modify (read-modify-write)     → a read record, then a write record
 *     ==5979== ...         valgrind's own messages: skipped
 *
 * The address is hex, the size decimal (0 is taken as 1). An access [a, a+size) that crosses a
 * page boundary yields one record per page touched, in address order. `M` is modelled as the read
 * it starts with followed by the write it ends with: all its pages read, then all written, so a
 * write fraction counts it once as a read and once as a write (see README, trace formats).
 * A missing newline at the very end means the stream was cut: lackey always ends its lines.
 */
import { InputError, quote } from '../../errors.js';
import { REF_INSTR, REF_WRITE } from '../../kernel/ref-source.js';
import { HEX_VALUE, LineParser, MAX_PAGE, lineText } from './line-parser.js';
import type { RefSink } from './sink.js';

export type { RefSink } from './sink.js';

/** Larger accesses are not something lackey prints (its largest are a few hundred bytes). */
export const MAX_LACKEY_ACCESS_BYTES = 1 << 16;

const KIND_LOAD = 0;
const KIND_STORE = 1;
const KIND_MODIFY = 2;
const KIND_INSTR = 3;

const EXPECTED_LINE = "a lackey line ('I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or '==PID== message')";

export interface LackeyParserOptions {
  /** name used in error messages */
  file?: string;
  /**
   * Called for a complete line that is not a lackey access or a `==` message (for example
   * `SYSCALL[...]` lines from `--trace-syscalls=yes`); return true if it was handled, false to
   * make it an error. Lines reach it as strings, so it is for rare lines only.
   */
  otherLine?: (line: string, lineNumber: number) => boolean;
}

export class LackeyTextParser extends LineParser {
  readonly #pageSize: number;
  readonly #sink: RefSink;
  readonly #otherLine: ((line: string, lineNumber: number) => boolean) | undefined;

  constructor(pageSize: number, sink: RefSink, options: LackeyParserOptions = {}) {
    super(options.file ?? 'lackey trace');
    if (!Number.isSafeInteger(pageSize) || pageSize <= 0) throw new RangeError(`LackeyTextParser: bad page size ${pageSize}`);
    this.#pageSize = pageSize;
    this.#sink = sink;
    this.#otherLine = options.otherLine;
  }

  protected override lastLineWithoutNewline(line: Uint8Array): void {
    throw new InputError(
      { file: this.file, line: this.lines + 1 },
      'a newline at the end of the last line (lackey ends every line; the trace looks truncated)',
      `${quote(lineText(line, 0, line.length))} and end of input`,
    );
  }

  protected parseLines(buf: Uint8Array, start: number, end: number): number {
    // imported bindings copied to locals: the loop must not go through a module getter
    const hexValue = HEX_VALUE;
    const maxPage = MAX_PAGE;
    const sink = this.#sink;
    const pageSize = this.#pageSize;
    let i = start;
    while (i < end) {
      const lineStart = i;
      let c = buf[i]!;
      let kind: number;
      if (c === 73 /* I */) {
        kind = KIND_INSTR;
        i++;
      } else if (c === 32 /* space */) {
        if (i + 1 >= end) return lineStart;
        c = buf[i + 1]!;
        kind = c === 76 /* L */ ? KIND_LOAD : c === 83 /* S */ ? KIND_STORE : c === 77 /* M */ ? KIND_MODIFY : -1;
        if (kind < 0) {
          const stop = this.#other(buf, lineStart, end);
          if (stop === lineStart) return lineStart;
          i = stop;
          continue;
        }
        i += 2;
      } else {
        const stop = this.#other(buf, lineStart, end);
        if (stop === lineStart) return lineStart;
        i = stop;
        continue;
      }
      // one or more spaces, then the hex address
      if (i >= end) return lineStart;
      if (buf[i] !== 32) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      while (i < end && buf[i] === 32) i++;
      let address = 0;
      let digits = 0;
      while (i < end) {
        const d = hexValue[buf[i]!]!;
        if (d < 0) break;
        address = address * 16 + d;
        digits++;
        i++;
      }
      if (i >= end) return lineStart;
      if (digits === 0 || digits > 16 || buf[i] !== 44 /* , */) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      i++;
      let size = 0;
      digits = 0;
      while (i < end) {
        c = buf[i]!;
        if (c < 48 || c > 57) break;
        size = size * 10 + (c - 48);
        digits++;
        i++;
      }
      if (i >= end) return lineStart;
      if (buf[i] === 13 /* CR */) {
        i++;
        if (i >= end) return lineStart;
      }
      if (digits === 0 || digits > 10 || buf[i] !== 10) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      i++;
      if (address > maxPage || size > MAX_LACKEY_ACCESS_BYTES) {
        throw this.lineError(buf, lineStart, i - 1,
          address > maxPage ? 'an address below 2^53' : `an access size of at most ${MAX_LACKEY_ACCESS_BYTES} bytes`);
      }
      this.lines++;
      if (size === 0) size = 1;
      const first = Math.floor(address / pageSize);
      const last = Math.floor((address + size - 1) / pageSize);
      if (kind === KIND_INSTR) {
        for (let p = first; p <= last; p++) sink.ref(p, REF_INSTR, 1);
      } else if (kind === KIND_LOAD) {
        for (let p = first; p <= last; p++) sink.ref(p, 0, 1);
      } else if (kind === KIND_STORE) {
        for (let p = first; p <= last; p++) sink.ref(p, REF_WRITE, 1);
      } else {
        for (let p = first; p <= last; p++) sink.ref(p, 0, 1);
        for (let p = first; p <= last; p++) sink.ref(p, REF_WRITE, 1);
      }
    }
    return i;
  }

  /** A line that is not an access: a `==PID==` message, a blank line, or the caller's hook. */
  #other(buf: Uint8Array, lineStart: number, end: number): number {
    const newline = buf.indexOf(10, lineStart);
    if (newline < 0 || newline >= end) return lineStart;
    const c = buf[lineStart];
    const blank = newline === lineStart || (newline === lineStart + 1 && c === 13);
    const message = c === 61 /* = */ && lineStart + 1 < newline && buf[lineStart + 1] === 61;
    if (!blank && !message) {
      const hook = this.#otherLine;
      if (hook === undefined || !hook(lineText(buf, lineStart, newline), this.lines + 1)) {
        return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      }
    }
    this.lines++;
    return newline + 1;
  }
}
