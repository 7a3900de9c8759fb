/**
 * Gzip inflated synchronously, in the browser, chunk by chunk: the kernel pulls references
 * synchronously (RefSource.read) and the browser's own DecompressionStream is asynchronous, so the
 * worker uses fflate's streaming Gunzip. Memory stays flat: one 16 KiB input slice per pump.
 */
import { Gunzip } from 'fflate';
import { InputError } from '../../src/errors.js';
import type { ChunkSource } from '../../src/workload/trace/chunks.js';

// small slices: gzip traces expand ~30×, and opening a trace (format detection) pumps once
const SLICE_BYTES = 1 << 14;

export class GunzipChunks implements ChunkSource {
  readonly #compressed: ChunkSource;
  readonly #gunzip: Gunzip;
  #into: ((chunk: Uint8Array) => void) | undefined;
  #input: Uint8Array = new Uint8Array(0);
  #inputOffset = 0;
  #inputEnded = false;
  #finished = false;
  /** compressed bytes consumed, for error offsets */
  #consumed = 0;

  constructor(compressed: ChunkSource, readonly file: string) {
    this.#compressed = compressed;
    this.#gunzip = new Gunzip((chunk) => {
      if (chunk.length > 0) this.#into!(chunk);
    });
  }

  pump(into: (chunk: Uint8Array) => void): boolean {
    if (this.#finished) return false;
    this.#into = into;
    if (this.#inputOffset >= this.#input.length && !this.#inputEnded) {
      // the source reuses its buffer; fflate may keep a reference to unread input
      const more = this.#compressed.pump((chunk) => {
        this.#input = chunk.slice();
      });
      this.#inputOffset = 0;
      if (!more) {
        this.#input = new Uint8Array(0);
        this.#inputEnded = true;
      }
    }
    const end = Math.min(this.#input.length, this.#inputOffset + SLICE_BYTES);
    const slice = this.#input.subarray(this.#inputOffset, end);
    this.#inputOffset = end;
    const final = this.#inputEnded;
    try {
      this.#gunzip.push(slice, final);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(
        { file: this.file, offset: this.#consumed },
        'valid gzip-compressed data',
        `${e instanceof Error ? e.message : String(e)}${final ? ' at the end of the file (truncated?)' : ''}`,
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

export function browserGunzip(compressed: ChunkSource, name: string): ChunkSource {
  return new GunzipChunks(compressed, name);
}
