/**
 * pageout's compact trace format (`.pgt`): the layout, the record codec and the streaming
 * parser. No Node imports, so the browser visualizer reads dropped files with the same code.
 * The layout is documented for users in README.md ("Trace formats").
 *
 * Header (little-endian):
 *     0  8  magic 89 50 47 54 0D 0A 1A 0A  ("\x89PGT\r\n\x1a\n": catches text-mode mangling)
 *     8  2  version (1)
 *    10  2  reserved, 0
 *    12  4  header length in bytes = offset of the first record
 *    16  4  page size in bytes
 *    20  4  reserved, 0
 *    24  8  record count     } written as all-ones when the file is opened and patched
 *    32  8  reference count  } by close(): all-ones means the writer never finished
 *    40  4  description length D, then D bytes of UTF-8 at 48
 *    44  4  argument count A (the traced command line), then A × (u32 length, UTF-8 bytes)
 *
 * Record: one byte, then optional varints (7 bits a byte, least significant first, high bit =
 * more follows):
 *     bits 0–1  flags (REF_WRITE = 1, REF_INSTR = 2)
 *     bit 2     a repeat count follows (varint, ≥ 2); absent means 1
 *     bit 3     the page delta is negative
 *     bits 4–6  the low 3 bits of |delta|
 *     bit 7     more delta bits follow: varint of |delta| >> 3
 * The delta is taken from the previous page *of the same kind* (instruction or data), both
 * starting at 0: lackey streams alternate between a code page and data pages, and per-kind
 * deltas keep most records at one byte. Count varint comes after the delta varint.
 */
import { InputError, quote } from '../../errors.js';
import { isTracePageSize } from '../../units.js';
import { REF_INSTR } from '../../kernel/ref-source.js';
import { MAX_PAGE } from './line-parser.js';
import { DECODE_SPAN_BYTES, RefStage, type RefSink, type TraceParser } from './sink.js';

export const COMPACT_MAGIC = Uint8Array.of(0x89, 0x50, 0x47, 0x54, 0x0d, 0x0a, 0x1a, 0x0a);
export const COMPACT_VERSION = 1;
export const COMPACT_FIXED_HEADER_BYTES = 48;
/** offset of the record and reference counts that close() patches */
export const COMPACT_COUNTS_OFFSET = 24;
/** longest record: 1 byte + 8 delta bytes (50 bits) + 5 count bytes (32 bits) */
export const MAX_RECORD_BYTES = 14;
export const MAX_RECORD_COUNT = 0xffffffff;
/** a header larger than this is not a header (a command line of a few KiB is normal) */
const MAX_HEADER_BYTES = 1 << 20;

export interface CompactHeader {
  version: number;
  pageSize: number;
  description: string;
  command: string[];
  /** undefined if the writer never closed the file */
  records: number | undefined;
  references: number | undefined;
  headerBytes: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** The header bytes with the counts left as all-ones ("not closed"). */
export function encodeCompactHeader(pageSize: number, description: string, command: readonly string[]): Uint8Array {
  const descriptionBytes = utf8Encoder.encode(description);
  const args = command.map((a) => utf8Encoder.encode(a));
  const total = COMPACT_FIXED_HEADER_BYTES + descriptionBytes.length + args.reduce((n, a) => n + 4 + a.length, 0);
  if (total > MAX_HEADER_BYTES) throw new RangeError(`compact trace header of ${total} bytes is too large`);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(COMPACT_MAGIC, 0);
  view.setUint16(8, COMPACT_VERSION, true);
  view.setUint32(12, total, true);
  view.setUint32(16, pageSize, true);
  out.fill(0xff, COMPACT_COUNTS_OFFSET, COMPACT_COUNTS_OFFSET + 16);
  view.setUint32(40, descriptionBytes.length, true);
  view.setUint32(44, args.length, true);
  out.set(descriptionBytes, 48);
  let at = 48 + descriptionBytes.length;
  for (const a of args) {
    view.setUint32(at, a.length, true);
    out.set(a, at + 4);
    at += 4 + a.length;
  }
  return out;
}

/** The 16 bytes that replace the all-ones counts at COMPACT_COUNTS_OFFSET. */
export function encodeCompactCounts(records: number, references: number): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  writeU64(view, 0, records);
  writeU64(view, 8, references);
  return out;
}

function writeU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 2 ** 32, true);
  view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

function readU64(view: DataView, at: number): number | undefined {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (lo === 0xffffffff && hi === 0xffffffff) return undefined;
  return hi * 2 ** 32 + lo;
}

/** True if `bytes` start like a compact trace. */
export function hasCompactMagic(bytes: Uint8Array): boolean {
  if (bytes.length < COMPACT_MAGIC.length) return false;
  for (let i = 0; i < COMPACT_MAGIC.length; i++) if (bytes[i] !== COMPACT_MAGIC[i]) return false;
  return true;
}

/**
 * Parse a complete header (`bytes` holds at least its `headerBytes`), or return the number of
 * bytes needed when `bytes` is too short to tell.
 */
export function decodeCompactHeader(bytes: Uint8Array, file: string): CompactHeader | number {
  const n = Math.min(bytes.length, COMPACT_MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== COMPACT_MAGIC[i]) {
      throw new InputError({ file, offset: i }, 'a pageout compact trace (magic 89 50 47 54 0d 0a 1a 0a)', `byte ${hex2(bytes[i]!)}`);
    }
  }
  if (bytes.length < COMPACT_FIXED_HEADER_BYTES) return COMPACT_FIXED_HEADER_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8, true);
  if (version !== COMPACT_VERSION) {
    throw new InputError({ file, offset: 8 }, `compact trace version ${COMPACT_VERSION}`, `version ${version}`);
  }
  // reserved bytes stay 0, so a later version can give them a meaning old readers notice
  for (const [offset, length] of [[10, 2], [20, 4]] as const) {
    for (let i = offset; i < offset + length; i++) {
      if (bytes[i] !== 0) throw new InputError({ file, offset: i }, 'a reserved header byte of 0', `byte ${hex2(bytes[i]!)}`);
    }
  }
  const headerBytes = view.getUint32(12, true);
  const descriptionLength = view.getUint32(40, true);
  const argc = view.getUint32(44, true);
  // the description and the arguments' lengths must fit in the largest header before the header
  // length can be checked against them
  const room = MAX_HEADER_BYTES - COMPACT_FIXED_HEADER_BYTES;
  if (descriptionLength > room) throw new InputError({ file, offset: 40 }, `a description length of at most ${room} bytes`, String(descriptionLength));
  if (4 * argc > room - descriptionLength) throw new InputError({ file, offset: 44 }, `an argument count of at most ${Math.floor((room - descriptionLength) / 4)} (the header holds at most ${MAX_HEADER_BYTES} bytes)`, String(argc));
  if (headerBytes < COMPACT_FIXED_HEADER_BYTES + descriptionLength + 4 * argc || headerBytes > MAX_HEADER_BYTES) {
    throw new InputError({ file, offset: 12 }, `a header length of ${COMPACT_FIXED_HEADER_BYTES + descriptionLength + 4 * argc} to ${MAX_HEADER_BYTES} bytes`, String(headerBytes));
  }
  if (bytes.length < headerBytes) return headerBytes;
  const pageSize = view.getUint32(16, true);
  // as --page-size takes them: a power of two from 1 byte to 1 GiB
  if (!isTracePageSize(pageSize)) {
    throw new InputError({ file, offset: 16 }, 'a page size that is a power of two from 1 byte to 1GiB', String(pageSize));
  }
  const records = readU64(view, COMPACT_COUNTS_OFFSET);
  const references = readU64(view, COMPACT_COUNTS_OFFSET + 8);
  if ((records === undefined) !== (references === undefined) || (records !== undefined && (records > MAX_PAGE || references! > MAX_PAGE))) {
    throw new InputError({ file, offset: COMPACT_COUNTS_OFFSET }, 'record and reference counts below 2^53 (or both all-ones)', 'other values');
  }
  const description = utf8Decoder.decode(bytes.subarray(48, 48 + descriptionLength));
  let at = 48 + descriptionLength;
  const command: string[] = [];
  for (let k = 0; k < argc; k++) {
    if (at + 4 > headerBytes) throw new InputError({ file, offset: at }, `argument ${k + 1} of ${argc} inside the header`, 'the end of the header');
    const length = view.getUint32(at, true);
    if (at + 4 + length > headerBytes) throw new InputError({ file, offset: at }, `argument ${k + 1} of ${argc} inside the header`, `a length of ${length} bytes`);
    command.push(utf8Decoder.decode(bytes.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return { version, pageSize, description, command, records, references, headerBytes };
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * Append one record at out[pos] and return the new position. `delta` is the page minus the
 * previous page of the same kind; |delta| < 2^53. Caller guarantees MAX_RECORD_BYTES of room.
 */
export function encodeCompactRecord(out: Uint8Array, pos: number, delta: number, flags: number, count: number): number {
  let magnitude = delta;
  let first = flags;
  if (delta < 0) {
    magnitude = -delta;
    first |= 8;
  }
  if (count !== 1) first |= 4;
  if (magnitude < 8) {
    out[pos++] = first | (magnitude << 4);
  } else {
    let rest: number;
    if (magnitude < 0x80000000) {
      out[pos++] = first | ((magnitude & 7) << 4) | 0x80;
      rest = magnitude >>> 3;
      while (rest >= 0x80) {
        out[pos++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
    } else {
      // beyond 31 bits: arithmetic, since bit operators truncate to 32 bits
      out[pos++] = first | ((magnitude % 8) << 4) | 0x80;
      rest = Math.floor(magnitude / 8);
      while (rest >= 0x80) {
        out[pos++] = (rest % 0x80) | 0x80;
        rest = Math.floor(rest / 0x80);
      }
    }
    out[pos++] = rest;
  }
  if (count !== 1) {
    let c = count;
    while (c >= 0x80) {
      out[pos++] = (c & 0x7f) | 0x80;
      c >>>= 7;
    }
    out[pos++] = c;
  }
  return pos;
}

/**
 * The streaming reader of compact traces. Records are decoded straight from each chunk; one cut
 * by a chunk boundary is finished from a small carry buffer.
 */
export class CompactParser implements TraceParser {
  header: CompactHeader | undefined;
  /** records decoded so far */
  records = 0;
  /** references (sum of counts) decoded so far */
  references = 0;
  readonly #sink: RefSink;
  #headerBytes = new Uint8Array(0);
  #carry = new Uint8Array(MAX_RECORD_BYTES * 2);
  #carryLength = 0;
  /** byte offset in the (decompressed) file of the next byte to decode */
  #offset = 0;
  #previousData = 0;
  #previousInstr = 0;
  #onHeader: ((h: CompactHeader) => void) | undefined;

  constructor(readonly file: string, sink: RefSink, onHeader?: (h: CompactHeader) => void) {
    this.#sink = sink;
    this.#onHeader = onHeader;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.header === undefined) {
      start = this.#takeHeader(chunk);
      if (this.header === undefined) return;
    }
    if (this.#carryLength > 0) {
      // finish the record cut by the last chunk boundary
      const take = Math.min(chunk.length - start, MAX_RECORD_BYTES);
      this.#carry.set(chunk.subarray(start, start + take), this.#carryLength);
      const available = this.#carryLength + take;
      const stop = this.#decode(this.#carry, 0, available, 1);
      if (stop === 0) {
        // still incomplete: the whole chunk was too short
        this.#carryLength = available;
        return;
      }
      start += stop - this.#carryLength;
      this.#carryLength = 0;
    }
    let at = start;
    const stage = this.#sink instanceof RefStage ? this.#sink : null;
    if (stage !== null) {
      // the bulk of the chunk, where every record is whole: the fast loop, a span at a time,
      // handing each record it does not take (long varints, anything to report) to the careful one
      const fastEnd = chunk.length - MAX_RECORD_BYTES;
      while (at < fastEnd) {
        const spanEnd = Math.min(fastEnd, at + DECODE_SPAN_BYTES);
        at = this.#decodeFast(chunk, at, spanEnd, stage);
        if (at < spanEnd) at = this.#decode(chunk, at, chunk.length, 1);
      }
    }
    const stop = this.#decode(chunk, at, chunk.length, Infinity);
    if (stop < chunk.length) {
      this.#carry.set(chunk.subarray(stop), 0);
      this.#carryLength = chunk.length - stop;
    }
  }

  end(): void {
    const header = this.header;
    if (header === undefined) {
      throw new InputError({ file: this.file, offset: this.#headerBytes.length }, 'a complete compact trace header', 'end of file (truncated)');
    }
    if (this.#carryLength > 0) {
      throw new InputError({ file: this.file, offset: this.#offset }, 'a complete record', `end of file after ${this.#carryLength} byte(s) of it (truncated)`);
    }
    if (header.records === undefined) {
      throw new InputError({ file: this.file, offset: COMPACT_COUNTS_OFFSET }, 'a closed compact trace (counts in the header)', `one its writer never closed, ${this.records} records long`);
    }
    if (this.records !== header.records || this.references !== header.references) {
      // fewer records is a cut-off file; anything else means the header and the records disagree
      const why = this.records < header.records ? 'the file is truncated'
        : this.records > header.records ? 'records past the count its writer closed it with (appended to?)'
        : 'the records are all there, so the header\'s reference count or a record\'s repeat count is wrong';
      throw new InputError(
        { file: this.file, offset: this.#offset },
        `${header.records} records (${header.references} references) as the header says`,
        `${this.records} records (${this.references} references): ${why}`,
      );
    }
  }

  #takeHeader(chunk: Uint8Array): number {
    const had = this.#headerBytes.length;
    const joined = new Uint8Array(had + chunk.length);
    joined.set(this.#headerBytes);
    joined.set(chunk, had);
    const result = decodeCompactHeader(joined, this.file);
    if (typeof result === 'number') {
      this.#headerBytes = joined;
      return chunk.length;
    }
    this.header = result;
    this.#headerBytes = new Uint8Array(0);
    this.#offset = result.headerBytes;
    this.#onHeader?.(result);
    return result.headerBytes - had;
  }

  /**
   * Decode the records that start in buf[start, stop) straight into `stage`, where the caller
   * guarantees MAX_RECORD_BYTES after `stop`, so no byte needs a bounds check. Varints are read
   * in 32-bit arithmetic, which covers deltas below 2^24 and counts below 2^28: nearly every
   * record. It stops early at any other record (longer varints, or one with something to
   * report), which #decode then takes; returns where it stopped. Most of reading a large trace
   * is this loop.
   */
  #decodeFast(buf: Uint8Array, start: number, stop: number, stage: RefStage): number {
    stage.reserve(stage.length + (stop - start)); // at most one record a byte
    const pages = stage.page;
    const flagsOut = stage.flags;
    const counts = stage.count;
    let k = stage.length;
    const expected = this.header!.records ?? Infinity;
    let previousData = this.#previousData;
    let previousInstr = this.#previousInstr;
    let records = this.records;
    let references = this.references;
    let i = start;
    while (i < stop) {
      // the record's first four bytes in one word; the delta's varint ends at the first byte with
      // bit 7 clear. Finding that byte by bit arithmetic instead of a branch per byte matters:
      // varint lengths of a real trace are unpredictable, and each mispredicted branch costs
      // more than the whole record's arithmetic.
      const word = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      const ends = ~word & 0x80808080;
      if (ends === 0) break; // a delta of 2^24 or more: #decode takes it
      const length = (31 - Math.clz32(ends & -ends)) >>> 3; // continuation bytes, 0..3
      const magnitude =
        (((word >>> 4) & 0x7) | ((word >>> 5) & 0x3f8) | ((word >>> 6) & 0x1fc00) | ((word >>> 7) & 0xfe0000)) &
        ((1 << (3 + 7 * length)) - 1);
      const first = word & 0xff;
      let next = i + 1 + length;
      let count = 1;
      if (first & 4) {
        let b = buf[next++]!;
        count = b & 0x7f;
        if (b & 0x80) {
          b = buf[next++]!;
          count |= (b & 0x7f) << 7;
          if (b & 0x80) {
            b = buf[next++]!;
            count |= (b & 0x7f) << 14;
            if (b & 0x80) {
              b = buf[next++]!;
              if (b & 0x80) break;
              count |= b << 21;
            }
          }
        }
        if (count < 2) break;
      }
      // the delta's sign without a branch (it is a coin toss in a scattered trace): −1 or 0
      const sign = (first << 28) >> 31;
      const delta = (magnitude ^ sign) - sign;
      const flags = first & 3;
      let page: number;
      if (flags & REF_INSTR) {
        page = previousInstr + delta;
        if (page < 0 || page > MAX_PAGE) break;
        previousInstr = page;
      } else {
        page = previousData + delta;
        if (page < 0 || page > MAX_PAGE) break;
        previousData = page;
      }
      if (records >= expected) break;
      pages[k] = page;
      flagsOut[k] = flags;
      counts[k] = count;
      k++;
      records++;
      references += count;
      i = next;
    }
    stage.length = k;
    this.#offset += i - start;
    this.#previousData = previousData;
    this.#previousInstr = previousInstr;
    this.records = records;
    this.references = references;
    return i;
  }

  /** Decode up to `limit` records from buf[start, end); return where decoding stopped. */
  #decode(buf: Uint8Array, start: number, end: number, limit: number): number {
    const sink = this.#sink;
    const expected = this.header!.records ?? Infinity;
    const maxPage = MAX_PAGE;
    let previousData = this.#previousData;
    let previousInstr = this.#previousInstr;
    let records = this.records;
    let references = this.references;
    // file offset of buf[start]; the record at i starts at base + i
    const base = this.#offset - start;
    let i = start;
    let decoded = 0;
    while (i < end && decoded < limit) {
      const recordStart = i;
      const first = buf[i++]!;
      let magnitude = (first >>> 4) & 7;
      if (first & 0x80) {
        let scale = 8;
        let complete = false;
        while (i < end) {
          const b = buf[i++]!;
          magnitude += (b & 0x7f) * scale;
          if ((b & 0x80) === 0) {
            complete = true;
            break;
          }
          scale *= 128;
          if (scale >= 2 ** 59) this.#fail(base + recordStart, 'a page delta below 2^53', 'a varint longer than 8 bytes');
        }
        if (!complete) {
          i = recordStart;
          break;
        }
      }
      let count = 1;
      if (first & 4) {
        count = 0;
        let scale = 1;
        let complete = false;
        while (i < end) {
          const b = buf[i++]!;
          count += (b & 0x7f) * scale;
          if ((b & 0x80) === 0) {
            complete = true;
            break;
          }
          scale *= 128;
          if (scale >= 2 ** 35) this.#fail(base + recordStart, 'a repeat count below 2^32', 'a varint longer than 5 bytes');
        }
        if (!complete) {
          i = recordStart;
          break;
        }
        if (count < 2 || count > MAX_RECORD_COUNT) this.#fail(base + recordStart, 'a repeat count from 2 to 4294967295', String(count));
      }
      const flags = first & 3;
      let page: number;
      if (flags & REF_INSTR) {
        page = first & 8 ? previousInstr - magnitude : previousInstr + magnitude;
        previousInstr = page;
      } else {
        page = first & 8 ? previousData - magnitude : previousData + magnitude;
        previousData = page;
      }
      if (page < 0 || page > maxPage) this.#fail(base + recordStart, 'a page number from 0 to 2^53', String(page));
      if (records >= expected) this.#fail(base + recordStart, `no more than the ${expected} records the header announces`, 'another record');
      sink.ref(page, flags, count);
      records++;
      references += count;
      decoded++;
    }
    this.#offset = base + i;
    this.#previousData = previousData;
    this.#previousInstr = previousInstr;
    this.records = records;
    this.references = references;
    return i;
  }

  /** A bad record starting at file offset `offset` (in the decompressed stream). */
  #fail(offset: number, expected: string, got: string): never {
    throw new InputError({ file: this.file, offset }, expected, got);
  }
}

export function describeCompactHeader(h: CompactHeader): string {
  const command = h.command.length > 0 ? `; command ${h.command.map((a) => quote(a)).join(' ')}` : '';
  return `${h.description}${command}`;
}
