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

/** The push side of every parser: feed bytes in any chunking, then `end()` once. */
export interface TraceParser {
  push(chunk: Uint8Array): void;
  /** No more bytes: parse what is left, or throw an InputError if the input stops mid-record. */
  end(): void;
}
