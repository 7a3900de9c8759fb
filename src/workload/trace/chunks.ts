/**
 * Byte streams that trace parsers are fed from: a buffer in memory, and zstd decompression
 * over another stream (pure JS, fzstd, so it also runs in the browser). Files and gzip are in
 * ./file-chunks.ts, which needs Node.
 *
 * A ChunkSource is pulled: `pump` hands one or more chunks to `into` and says whether more may
 * follow. A chunk stays valid only until the next `pump` call: sources reuse their buffers, so
 * memory stays flat however long the trace is.
 */
import { Decompress } from 'fzstd';
import { InputError } from '../../errors.js';

export interface ChunkSource {
  /** Deliver the next bytes to `into`; false once the stream is exhausted (nothing delivered). */
  pump(into: (chunk: Uint8Array) => void): boolean;
  close(): void;
}

/**
 * Slices of 128 KiB from bytes already in memory (a dropped file in the browser, a test): the
 * size file reads use, so that one slice's staged records stay in L2 (file-chunks.ts).
 */
export class MemoryChunks implements ChunkSource {
  #offset = 0;
  constructor(readonly bytes: Uint8Array, readonly chunkBytes = 1 << 17) {}
  pump(into: (chunk: Uint8Array) => void): boolean {
    if (this.#offset >= this.bytes.length) return false;
    const end = Math.min(this.bytes.length, this.#offset + this.chunkBytes);
    const chunk = this.bytes.subarray(this.#offset, end);
    this.#offset = end;
    into(chunk);
    return true;
  }
  close(): void {}
}

/** A streaming decompressor that pushes its output to a callback: fzstd's Decompress, fflate's Gunzip. */
export interface PushDecompressor {
  push(chunk: Uint8Array, final?: boolean): void;
}

/**
 * Compressed bytes from `compressed`, decompressed by a push-style streaming decompressor.
 * Input goes in slices so one pump yields a bounded amount of output; memory stays flat.
 */
export class PushDecompressChunks implements ChunkSource {
  readonly #compressed: ChunkSource;
  readonly #decompress: PushDecompressor;
  #into: ((chunk: Uint8Array) => void) | undefined;
  #input: Uint8Array = new Uint8Array(0);
  #inputOffset = 0;
  #inputEnded = false;
  #finished = false;
  /** compressed bytes consumed, for error offsets */
  #consumed = 0;

  constructor(
    compressed: ChunkSource,
    readonly file: string,
    /** `zstd`, `gzip`: named in errors */
    private readonly kind: string,
    make: (ondata: (chunk: Uint8Array) => void) => PushDecompressor,
    private readonly sliceBytes: number,
  ) {
    this.#compressed = compressed;
    this.#decompress = make((chunk) => {
      if (chunk.length > 0) this.#into!(chunk);
    });
  }

  pump(into: (chunk: Uint8Array) => void): boolean {
    if (this.#finished) return false;
    this.#into = into;
    if (this.#inputOffset >= this.#input.length && !this.#inputEnded) {
      // decompressors keep references to pieces of input they could not use yet: give them a copy of ours
      const more = this.#compressed.pump((chunk) => {
        this.#input = chunk.slice();
      });
      this.#inputOffset = 0;
      if (!more) {
        this.#input = new Uint8Array(0);
        this.#inputEnded = true;
      }
    }
    const end = Math.min(this.#input.length, this.#inputOffset + this.sliceBytes);
    const slice = this.#input.subarray(this.#inputOffset, end);
    this.#inputOffset = end;
    const final = this.#inputEnded;
    try {
      this.#decompress.push(slice, final);
    } catch (e) {
      if (e instanceof InputError) throw e;
      // the decompressors do not say where in their input they failed: name the range they were given
      throw new InputError(
        { file: this.file },
        `valid ${this.kind}-compressed data`,
        final
          ? `${e instanceof Error ? e.message : String(e)} at the end of the file (truncated after byte ${this.#consumed}?)`
          : `${e instanceof Error ? e.message : String(e)} (in compressed bytes ${this.#consumed}–${this.#consumed + slice.length})`,
      );
    }
    this.#consumed += slice.length;
    if (final) this.#finished = true;
    return true;
  }

  close(): void {
    this.#compressed.close();
  }
}

/** zstd-compressed bytes, decompressed by fzstd's streaming Decompress in 128 KiB input slices. */
export class ZstdChunks extends PushDecompressChunks {
  static readonly SLICE_BYTES = 1 << 17;
  constructor(compressed: ChunkSource, file: string) {
    super(compressed, file, 'zstd', (ondata) => new Decompress(ondata), ZstdChunks.SLICE_BYTES);
  }
}
