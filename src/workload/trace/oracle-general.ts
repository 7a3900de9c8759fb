/**
 * libCacheSim's `oracleGeneral` binary trace: 24-byte little-endian records
 * `u32 time, u64 object id, u32 size, i64 next access index (−1 = never)`.
 *
 * The object id is the page number, one reference per request (libCacheSim's object mode; the
 * size is not used). The format has no operation field, so every record is a read. An id of
 * 2^53 or more cannot be a page number exactly and is an error, not a silent rounding.
 */
import { InputError } from '../../errors.js';
import { DECODE_SPAN_BYTES, type RefSink, type TraceParser } from './sink.js';

export const ORACLE_GENERAL_RECORD_BYTES = 24;
/** whole records a #decode call takes: DECODE_SPAN_BYTES rounded down to a record (170 of them) */
const SPAN_BYTES = Math.floor(DECODE_SPAN_BYTES / ORACLE_GENERAL_RECORD_BYTES) * ORACLE_GENERAL_RECORD_BYTES;

export class OracleGeneralParser implements TraceParser {
  /** records decoded so far */
  records = 0;
  readonly #sink: RefSink;
  readonly #carry = new Uint8Array(ORACLE_GENERAL_RECORD_BYTES);
  #carryLength = 0;

  constructor(readonly file: string, sink: RefSink) {
    this.#sink = sink;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (this.#carryLength > 0) {
      const take = Math.min(ORACLE_GENERAL_RECORD_BYTES - this.#carryLength, chunk.length);
      this.#carry.set(chunk.subarray(0, take), this.#carryLength);
      this.#carryLength += take;
      if (this.#carryLength < ORACLE_GENERAL_RECORD_BYTES) return;
      this.#decode(this.#carry, 0, ORACLE_GENERAL_RECORD_BYTES);
      this.#carryLength = 0;
      start = take;
    }
    const whole = start + Math.floor((chunk.length - start) / ORACLE_GENERAL_RECORD_BYTES) * ORACLE_GENERAL_RECORD_BYTES;
    for (let at = start; at < whole; at += SPAN_BYTES) this.#decode(chunk, at, Math.min(whole, at + SPAN_BYTES));
    if (whole < chunk.length) {
      this.#carry.set(chunk.subarray(whole), 0);
      this.#carryLength = chunk.length - whole;
    }
  }

  end(): void {
    if (this.#carryLength > 0) {
      throw new InputError(
        { file: this.file, offset: this.records * ORACLE_GENERAL_RECORD_BYTES },
        `whole ${ORACLE_GENERAL_RECORD_BYTES}-byte oracleGeneral records`,
        `${this.#carryLength} byte(s) of a record and then end of file (truncated, or not an oracleGeneral trace)`,
      );
    }
  }

  #decode(buf: Uint8Array, start: number, end: number): void {
    const sink = this.#sink;
    for (let i = start; i < end; i += ORACLE_GENERAL_RECORD_BYTES) {
      const low = (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24)) >>> 0;
      const high = (buf[i + 8]! | (buf[i + 9]! << 8) | (buf[i + 10]! << 16) | (buf[i + 11]! << 24)) >>> 0;
      if (high > 0x1fffff) {
        this.records += (i - start) / ORACLE_GENERAL_RECORD_BYTES;
        throw new InputError(
          { file: this.file, offset: this.records * ORACLE_GENERAL_RECORD_BYTES + 4 },
          'an object id below 2^53',
          `0x${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`,
        );
      }
      sink.ref(high * 4294967296 + low, 0, 1);
    }
    this.records += (end - start) / ORACLE_GENERAL_RECORD_BYTES;
  }
}
