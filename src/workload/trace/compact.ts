/**
 * Writing pageout's compact trace format (layout in ./compact-format.ts and README.md).
 *
 * A RefSink, so a parser can stream straight into it (`pageout trace` pipes lackey's output
 * through LackeyTextParser into this writer without a text file in between). Consecutive
 * references to the same page with the same flags collapse into one record with a count: exact
 * for every policy, since nothing can happen between two references to one page that a repeat
 * count does not say (reference/lackey-notes.md, "Collapsing"). Records of different kinds are
 * never merged, so read/write and instruction/data counts survive.
 */
import { closeSync, openSync } from 'node:fs';
import { isTracePageSize } from '../../units.js';
import { writeFully } from '../../write-file.js';
import { InputError, writeProblem } from '../../errors.js';
import { REF_INSTR } from '../../kernel/ref-source.js';
import {
  COMPACT_COUNTS_OFFSET,
  MAX_RECORD_BYTES,
  MAX_RECORD_COUNT,
  encodeCompactCounts,
  encodeCompactHeader,
  encodeCompactRecord,
} from './compact-format.js';
import { MAX_PAGE } from './line-parser.js';
import type { RefSink } from './sink.js';

const BUFFER_BYTES = 1 << 20;

export interface CompactTraceHeader {
  pageSize: number;
  /** what the trace is, in a line ("lackey trace of sort -n big.txt", "converted from cs.trace.gz") */
  description: string;
  /** the traced command line, if any */
  command?: string[];
}

export class CompactTraceWriter implements RefSink {
  readonly #fd: number;
  readonly #buffer = new Uint8Array(BUFFER_BYTES);
  #pos = 0;
  #records = 0;
  #references = 0;
  // the record being collapsed into; #pendingCount 0 = none
  #pendingPage = 0;
  #pendingFlags = 0;
  #pendingCount = 0;
  #previousData = 0;
  #previousInstr = 0;
  #closed = false;

  constructor(readonly path: string, header: CompactTraceHeader) {
    // what the reader takes (compact-format.ts): a power of two from 1 byte to 1 GiB
    if (!isTracePageSize(header.pageSize)) {
      throw new RangeError(`CompactTraceWriter: bad page size ${header.pageSize}`);
    }
    const head = encodeCompactHeader(header.pageSize, header.description, header.command ?? []);
    try {
      this.#fd = openSync(path, 'w');
    } catch (e) {
      throw new InputError({ file: path }, 'a writable file', writeProblem(e));
    }
    writeFully(this.#fd, head, head.length, path);
  }

  ref(page: number, flags: number, count: number): void {
    flags &= 3;
    if (page === this.#pendingPage && flags === this.#pendingFlags && this.#pendingCount !== 0) {
      const total = this.#pendingCount + count;
      if (total <= MAX_RECORD_COUNT) {
        this.#pendingCount = total;
        return;
      }
    }
    if (!(page >= 0 && page <= MAX_PAGE && Math.floor(page) === page) || !(count >= 1 && count <= MAX_RECORD_COUNT)) {
      throw new RangeError(`CompactTraceWriter.ref: bad record page=${page} count=${count}`);
    }
    if (this.#pendingCount !== 0) this.#emit();
    this.#pendingPage = page;
    this.#pendingFlags = flags;
    this.#pendingCount = count;
  }

  /** Flush, patch the header's counts, close the file. Safe to call twice. */
  close(): { records: number; references: number } {
    if (!this.#closed) {
      this.#closed = true;
      if (this.#pendingCount !== 0) this.#emit();
      this.#flush();
      const counts = encodeCompactCounts(this.#records, this.#references);
      writeFully(this.#fd, counts, counts.length, this.path, COMPACT_COUNTS_OFFSET);
      closeSync(this.#fd);
    }
    return { records: this.#records, references: this.#references };
  }

  #emit(): void {
    const page = this.#pendingPage;
    const flags = this.#pendingFlags;
    let delta: number;
    if (flags & REF_INSTR) {
      delta = page - this.#previousInstr;
      this.#previousInstr = page;
    } else {
      delta = page - this.#previousData;
      this.#previousData = page;
    }
    if (this.#pos > BUFFER_BYTES - MAX_RECORD_BYTES) this.#flush();
    this.#pos = encodeCompactRecord(this.#buffer, this.#pos, delta, flags, this.#pendingCount);
    this.#records++;
    this.#references += this.#pendingCount;
    this.#pendingCount = 0;
  }

  #flush(): void {
    writeFully(this.#fd, this.#buffer, this.#pos, this.path);
    this.#pos = 0;
  }
}
