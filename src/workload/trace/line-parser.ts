/**
 * The chunk-to-line plumbing shared by the text formats (lackey, one id per line, SPEC, CSV).
 *
 * Chunks arrive with lines cut anywhere. Each format's `parseLines` walks the bytes of a chunk
 * in place (no strings, no split) and returns where the first incomplete line starts; that tail
 * is carried over and completed by the next chunk. Lines end in LF or CRLF.
 */
import { InputError, quote } from '../../errors.js';
import type { TraceParser } from './sink.js';

/** A text line longer than this is not a trace line: stop instead of buffering without bound. */
export const MAX_LINE_BYTES = 1 << 16;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export abstract class LineParser implements TraceParser {
  /** complete lines parsed so far (the line number of the last one) */
  lines = 0;
  #carry = new Uint8Array(256);
  #carryLength = 0;
  #ended = false;
  #atStart = true;

  constructor(readonly file: string) {}

  push(chunk: Uint8Array): void {
    if (this.#ended) throw new Error(`${this.constructor.name}.push after end()`);
    let start = 0;
    if (this.#atStart && chunk.length > 0) {
      this.#atStart = false;
      // a UTF-8 byte-order mark (editors on Windows write one) is no part of the first line: left
      // in, it made the line's number unreadable and the message quoted what looked like a number
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    if (this.#carryLength > 0) {
      const newline = chunk.indexOf(10);
      const take = newline < 0 ? chunk.length : newline + 1;
      this.#appendCarry(chunk, 0, take);
      if (newline < 0) return;
      const stop = this.parseLines(this.#carry, 0, this.#carryLength);
      if (stop !== this.#carryLength) throw new Error(`${this.constructor.name}: a complete line was left unparsed`);
      this.#carryLength = 0;
      start = take;
    }
    const stop = this.parseLines(chunk, start, chunk.length);
    if (stop < chunk.length) this.#appendCarry(chunk, stop, chunk.length);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#carryLength > 0) {
      this.lastLineWithoutNewline(this.#carry.subarray(0, this.#carryLength));
      this.#appendCarry(Uint8Array.of(10), 0, 1);
      this.parseLines(this.#carry, 0, this.#carryLength);
      this.#carryLength = 0;
    }
  }

  /**
   * Parse the complete lines in buf[start, end) and return the index where an incomplete last
   * line starts (`end` when the bytes end on a newline).
   */
  protected abstract parseLines(buf: Uint8Array, start: number, end: number): number;

  /** Called when the input ends without a newline. Text formats accept it; lackey overrides. */
  protected lastLineWithoutNewline(_line: Uint8Array): void {}

  /**
   * A line that does not parse. If its newline is not in this chunk yet, it may just be cut:
   * return `lineStart` so it is carried and judged whole; otherwise throw naming the line.
   */
  protected badLine(buf: Uint8Array, lineStart: number, end: number, expected: string): number {
    const newline = buf.indexOf(10, lineStart);
    if (newline < 0 || newline >= end) return lineStart;
    throw new InputError({ file: this.file, line: this.lines + 1 }, expected, quote(lineText(buf, lineStart, newline)));
  }

  protected lineError(buf: Uint8Array, lineStart: number, end: number, expected: string): InputError {
    let newline = buf.indexOf(10, lineStart);
    if (newline < 0 || newline > end) newline = end;
    return new InputError({ file: this.file, line: this.lines + 1 }, expected, quote(lineText(buf, lineStart, newline)));
  }

  #appendCarry(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    const needed = this.#carryLength + n;
    if (needed > MAX_LINE_BYTES) {
      throw new InputError(
        { file: this.file, line: this.lines + 1 },
        `a line shorter than ${MAX_LINE_BYTES} bytes`,
        `${needed} bytes without a newline (is this a binary file?)`,
      );
    }
    if (needed > this.#carry.length) {
      const bigger = new Uint8Array(Math.min(MAX_LINE_BYTES + 1, Math.max(needed, this.#carry.length * 2)));
      bigger.set(this.#carry.subarray(0, this.#carryLength));
      this.#carry = bigger;
    }
    this.#carry.set(chunk.subarray(from, to), this.#carryLength);
    this.#carryLength = needed;
  }
}

/**
 * The text of a line for an error message, without its CR. Control bytes are shown as \xNN so
 * that a binary file read as text cannot garble the terminal. Long lines are cut (quote() cuts
 * again to what a message shows).
 */
export function lineText(buf: Uint8Array, start: number, end: number): string {
  if (end > start && buf[end - 1] === 13) end--;
  const bytes = buf.subarray(start, Math.min(end, start + 200));
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // not text: show each byte outside printable ASCII as \xNN
    text = '';
    for (const b of bytes) text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
    return text;
  }
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** hex digit value by byte, −1 for anything else */
export const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[48 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[65 + c] = 10 + c;
    t[97 + c] = 10 + c;
  }
  return t;
})();

/** Page numbers and ids must stay exact in a Float64: below 2^53. */
export const MAX_PAGE = Number.MAX_SAFE_INTEGER;
