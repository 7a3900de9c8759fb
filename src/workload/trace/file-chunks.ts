/**
 * Files and gzip as ChunkSources (Node only). A file is read with fs.readSync into one reused
 * buffer (the fastest way measured: reference/ecosystem.md §3). Gzip is inflated synchronously,
 * because RefSource.read is synchronous: zlib's native handle is driven with the same writeSync
 * call node's own gunzipSync uses, into one reused output buffer of the same size, so no call
 * produces more than a chunk however well the data compressed.
 *
 * A chunk is 128 KiB. The records parsed from one chunk are staged whole before a reader takes
 * them, and at 128 KiB the stage stays in a 1 MiB L2 cache: reading a 20M-record compact trace
 * took 0.23–0.26 s of CPU with 128 KiB chunks against 0.40–0.57 s with 1 MiB ones (and 0.27–0.34
 * s with 32 KiB, where the per-chunk costs show).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import zlib from 'node:zlib';
import { InputError, readProblem } from '../../errors.js';
import type { ChunkSource } from './chunks.js';

export const FILE_CHUNK_BYTES = 1 << 17;

/**
 * What a pipe, socket or device is told: peek() reads the first bytes at offset 0 to tell the
 * format (and the compression), and a stream cannot give them twice.
 */
const NOT_A_STREAM = 'a regular trace file (pageout reads a trace\'s first bytes twice to tell its format; save a pipe\'s output to a file first)';

export class FileChunks implements ChunkSource {
  readonly #fd: number;
  readonly #buffer: Uint8Array;
  #closed = false;
  readonly size: number;

  constructor(readonly path: string, chunkBytes = FILE_CHUNK_BYTES) {
    try {
      this.#fd = openSync(path, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // /dev/stdin when standard input is a socket (as node's child processes get) cannot be opened
      if (code === 'ENXIO') throw new InputError({ file: path }, NOT_A_STREAM, 'a socket');
      throw new InputError({ file: path }, 'a readable trace file', readProblem(e));
    }
    const stat = fstatSync(this.#fd);
    if (!stat.isFile()) {
      closeSync(this.#fd);
      if (stat.isDirectory()) throw new InputError({ file: path }, 'a readable trace file', 'a directory');
      throw new InputError({ file: path }, NOT_A_STREAM, stat.isFIFO() ? 'a pipe' : stat.isSocket() ? 'a socket' : 'a device');
    }
    this.size = stat.size;
    this.#buffer = new Uint8Array(chunkBytes);
  }

  pump(into: (chunk: Uint8Array) => void): boolean {
    if (this.#closed) return false;
    const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, null);
    if (n === 0) return false;
    into(this.#buffer.subarray(0, n));
    return true;
  }

  /** Read the first bytes without consuming them (for compression detection). */
  peek(length: number): Uint8Array {
    const head = new Uint8Array(length);
    const n = readSync(this.#fd, head, 0, length, 0);
    return head.subarray(0, n);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/** The parts of node's zlib engine used here (internal API, stable since Node 10). */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  onerror: (message: string, errno: number) => void;
  close(): void;
}

export class GunzipChunks implements ChunkSource {
  readonly #compressed: ChunkSource;
  readonly #handle: ZlibHandle;
  /** [available output after, available input after], written by writeSync */
  readonly #state: Uint32Array;
  readonly #output: Uint8Array;
  #input: Uint8Array = new Uint8Array(0);
  #inputOffset = 0;
  #inputEnded = false;
  #finished = false;
  #error: string | undefined;
  #closed = false;
  #consumed = 0;

  constructor(compressed: ChunkSource, readonly file: string, outputBytes = FILE_CHUNK_BYTES) {
    this.#compressed = compressed;
    const engine = zlib.createGunzip() as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
    if (engine._handle === undefined || typeof engine._handle.writeSync !== 'function' || engine._writeState === undefined) {
      throw new Error('GunzipChunks: this Node has no synchronous zlib handle; decompress the trace first (gunzip FILE)');
    }
    this.#handle = engine._handle;
    this.#state = engine._writeState;
    // errors arrive through this callback during writeSync; keep them instead of letting the
    // stream object emit an 'error' event later
    this.#handle.onerror = (message) => {
      this.#error = message;
    };
    this.#output = new Uint8Array(outputBytes);
  }

  pump(into: (chunk: Uint8Array) => void): boolean {
    if (this.#finished) return false;
    for (;;) {
      if (this.#inputOffset >= this.#input.length && !this.#inputEnded) {
        // the compressed chunk stays valid until the next pump of #compressed, i.e. until used up
        const more = this.#compressed.pump((chunk) => {
          this.#input = chunk;
        });
        this.#inputOffset = 0;
        if (!more) {
          this.#input = new Uint8Array(0);
          this.#inputEnded = true;
        }
      }
      const inputLength = this.#input.length - this.#inputOffset;
      const flush = this.#inputEnded ? zlib.constants.Z_FINISH : zlib.constants.Z_NO_FLUSH;
      this.#handle.writeSync(flush, this.#input, this.#inputOffset, inputLength, this.#output, 0, this.#output.length);
      if (this.#error !== undefined) {
        // zlib does not say where in its input it failed: name the range it was given
        throw new InputError(
          { file: this.file },
          'valid gzip-compressed data',
          this.#error === 'unexpected end of file'
            ? `the end of the file in the middle of the compressed data (truncated after byte ${this.#consumed + inputLength})`
            : `${this.#error} (in compressed bytes ${this.#consumed}–${this.#consumed + inputLength})`,
        );
      }
      const produced = this.#output.length - this.#state[0]!;
      const used = inputLength - this.#state[1]!;
      this.#inputOffset += used;
      this.#consumed += used;
      if (produced > 0) {
        into(this.#output.subarray(0, produced));
        return true;
      }
      if (this.#inputEnded) {
        this.#finished = true;
        return false;
      }
      if (used === 0 && inputLength > 0) {
        throw new InputError({ file: this.file, offset: this.#consumed }, 'gzip data up to the end of the file', `${inputLength} more bytes that do not decompress`);
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#finished = true;
    this.#handle.close();
    this.#compressed.close();
  }
}
