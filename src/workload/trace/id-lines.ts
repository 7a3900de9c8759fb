/**
 * One block or object id per line: the LIRS trace set (SIGMETRICS 2002, CLOCK-Pro 2005).
 * A line `*` is the set's checkpoint marker and carries no reference; blank lines are skipped;
 * spaces and tabs around the id are allowed. The id is the page number; there is no write or
 * instruction information, so every record is a read.
 */
import { LineParser, MAX_PAGE } from './line-parser.js';
import type { RefSink } from './sink.js';

const EXPECTED_LINE = "one block number per line (a whole number below 2^53) or '*'";

export class IdLineParser extends LineParser {
  readonly #sink: RefSink;

  constructor(file: string, sink: RefSink) {
    super(file);
    this.#sink = sink;
  }

  protected parseLines(buf: Uint8Array, start: number, end: number): number {
    // imported bindings copied to locals: the loop must not go through a module getter
    const maxPage = MAX_PAGE;
    const sink = this.#sink;
    let i = start;
    while (i < end) {
      const lineStart = i;
      let c = buf[i]!;
      while ((c === 32 || c === 9) && ++i < end) c = buf[i]!;
      if (i >= end) return lineStart;
      let id = 0;
      let digits = 0;
      while (c >= 48 && c <= 57) {
        id = id * 10 + (c - 48);
        digits++;
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      if (digits === 0 && c === 42 /* * */) {
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      while (c === 32 || c === 9 || c === 13) {
        if (++i >= end) return lineStart;
        c = buf[i]!;
      }
      if (c !== 10) return this.badLine(buf, lineStart, end, EXPECTED_LINE);
      if (digits > 16 || id > maxPage) throw this.lineError(buf, lineStart, i, EXPECTED_LINE);
      i++;
      this.lines++;
      if (digits > 0) sink.ref(id, 0, 1);
    }
    return i;
  }
}
