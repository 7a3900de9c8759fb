/**
 * SPEC CPU memory-address traces as shipped with Caffeine's simulator: `l|s 0xADDR N` per line,
 * a load or store at a byte address, N = instructions executed since the previous reference.
 *
 * Each line is one reference to the page holding ADDR (the traces give no access size). N is
 * checked but not kept: a RefBatch carries references, not CPU time between them.
 */
import { HEX_VALUE, LineParser, MAX_PAGE } from './line-parser.js';
import { REF_WRITE } from '../../kernel/ref-source.js';
import type { RefSink } from './sink.js';

const EXPECTED_LINE = "a SPEC address line 'l|s 0xADDR N'";

export class SpecAddressParser extends LineParser {
  readonly #sink: RefSink;
  readonly #pageSize: number;

  constructor(file: string, pageSize: number, sink: RefSink) {
    super(file);
    this.#sink = sink;
    this.#pageSize = pageSize;
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
      if (c === 10 || (c === 13 && i + 1 < end && buf[i + 1] === 10)) {
        // blank line
        i += c === 10 ? 1 : 2;
        this.lines++;
        continue;
      }
      let flags: number;
      if (c === 108 /* l */ || c === 76 /* L */) flags = 0;
      else if (c === 115 /* s */ || c === 83 /* S */) flags = REF_WRITE;
      else return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      if (++i >= end) return lineStart;
      c = buf[i]!;
      if (c !== 32 && c !== 9) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      while (c === 32 || c === 9) {
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      if (c === 48 /* 0 */ && i + 1 < end && (buf[i + 1] === 120 || buf[i + 1] === 88) /* x */) {
        i += 2;
        if (i >= end) return lineStart;
        c = buf[i]!;
      }
      let address = 0;
      let digits = 0;
      let d: number;
      while ((d = hexValue[c]!) >= 0) {
        address = address * 16 + d;
        digits++;
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      if (digits === 0 || (c !== 32 && c !== 9)) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      while (c === 32 || c === 9) {
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      let countDigits = 0;
      while (c >= 48 && c <= 57) {
        countDigits++;
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      while (c === 32 || c === 9 || c === 13) {
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      if (countDigits === 0 || c !== 10) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      if (digits > 16 || address > maxPage) throw this.lineError(buf, lineStart, i, 'an address below 2^53');
      i++;
      this.lines++;
      sink.ref(Math.floor(address / pageSize), flags, 1);
    }
    return i;
  }
}
