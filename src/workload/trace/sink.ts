/**
 * Where parsers put page references. A parser calls `ref` once per record, so a sink must not
 * allocate per call: the trace reader stages records in typed arrays, the compact writer encodes
 * them straight into its output buffer.
 */

export interface RefSink {
  /** One record: `count` consecutive references to `page` with `flags` (REF_WRITE | REF_INSTR). */
  ref(page: number, flags: number, count: number): void;
}

/**
 * A growable run of records between a parser and a RefBatch. One chunk of input (≤ 1 MiB of
 * bytes) is parsed into it at a time, so its size is bounded by the chunk size, not the trace.
 */
export class RefStage implements RefSink {
  page: Float64Array;
  flags: Uint8Array;
  count: Uint32Array;
  /** records staged */
  length = 0;
  /** records already handed on */
  taken = 0;

  constructor(initialCapacity = 1 << 16) {
    this.page = new Float64Array(initialCapacity);
    this.flags = new Uint8Array(initialCapacity);
    this.count = new Uint32Array(initialCapacity);
  }

  ref(page: number, flags: number, count: number): void {
    const i = this.length;
    if (i === this.page.length) this.#grow(i * 2);
    this.page[i] = page;
    this.flags[i] = flags;
    this.count[i] = count;
    this.length = i + 1;
  }

  /**
   * Make room for `records` in all, so that a parser's bulk loop can write page[i], flags[i] and
   * count[i] directly (then set `length`) without a growth check per record.
   */
  reserve(records: number): void {
    if (records > this.page.length) this.#grow(Math.max(records, this.page.length * 2));
  }

  /** Forget everything staged; the arrays are kept for the next chunk. */
  clear(): void {
    this.length = 0;
    this.taken = 0;
  }

  #grow(capacity: number): void {
    const page = new Float64Array(capacity);
    page.set(this.page);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    const count = new Uint32Array(capacity);
    count.set(this.count);
    this.page = page;
    this.flags = flags;
    this.count = count;
  }
}

/**
 * Bytes a binary parser's record loop decodes a call; it cuts each chunk into spans of this size.
 * Given a whole 128 KiB chunk a call, V8 compiled the loop on stack replacement inside the very
 * first call, before the code after the loop had ever run, so that code had no type feedback. In
 * some processes the compiled loop then deoptimized on leaving it in every call to the end of the
 * trace (seen with --trace-deopt): the compact reader in one process in four or five, 570 times
 * over the bench trace, reading 1.27× as long (medians of 306 and 240 ms over 8 and 32
 * processes); the oracleGeneral reader in 14 of 18, about 2,000 times over 10M records, ~200 ms
 * where it now takes ~135. A 4 KiB first call ends long before an optimizing compile can, so the
 * loop is compiled with feedback for every line. (Cutting every format's chunks this way in
 * TraceRefSource made the CSV reader 1.15–1.8× slower; the text readers never showed the loop.)
 */
export const DECODE_SPAN_BYTES = 4096;

/** The push side of every parser: feed bytes in any chunking, then `end()` once. */
export interface TraceParser {
  push(chunk: Uint8Array): void;
  /** No more bytes: parse what is left, or throw an InputError if the input stops mid-record. */
  end(): void;
}
