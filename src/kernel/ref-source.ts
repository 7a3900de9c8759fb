/**
 * A page-reference stream, pulled in chunks into buffers the consumer owns.
 *
 * The one shape shared by trace readers (src/workload), synthetic generators, cache-mode
 * policies and the kernel's tasks: records are page numbers (not byte addresses) with a
 * read/write and instruction/data flag and a repeat count, so that collapsed traces keep their
 * CPU time right. A reader fills the batch and returns how many records it wrote; 0 means the
 * stream has ended. `read` is synchronous: the kernel and the policies pull it in their loops.
 */

export const REF_WRITE = 1;
export const REF_INSTR = 2;

export class RefBatch {
  /** page number (virtual page for address traces, block/object id for id traces) */
  readonly page: Float64Array;
  /** REF_WRITE | REF_INSTR */
  readonly flags: Uint8Array;
  /** how many consecutive references this record stands for (≥ 1) */
  readonly count: Uint32Array;
  constructor(readonly capacity = 8192) {
    this.page = new Float64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.count = new Uint32Array(capacity);
  }
}

export interface RefSource {
  /** Fill `batch` from index 0; return the number of records written (0 = end of stream). */
  read(batch: RefBatch): number;
  /** Total references (sum of counts) when known in advance, for progress bars. */
  readonly totalRefs?: number;
  /** Human-readable origin (a file path or a generator description). */
  readonly description: string;
  /** Release file handles; safe to call twice. */
  close(): void;
}
