/**
 * Opening a trace that is already in memory: a file dropped on the browser visualizer, a test's
 * bytes. No Node imports. zstd is decompressed here (pure JS); gzip is not, because the
 * synchronous inflater in Node's zlib has no browser equivalent: such bytes are refused with a
 * message saying to decompress them first (or pass a gunzip hook, as the Node opener does).
 */
import { InputError } from '../../errors.js';
import { MemoryChunks, ZstdChunks, type ChunkSource } from './chunks.js';
import { detectCompression, type TraceOptions } from './formats.js';
import { TraceRefSource } from './source.js';

export interface OpenBytesOptions extends TraceOptions {
  /** wraps compressed gzip chunks in a decompressor (Node passes one; the browser has none) */
  gunzip?: (compressed: ChunkSource, name: string) => ChunkSource;
}

/** A RefSource over a whole trace file's bytes, compressed (zstd; gzip with a hook) or not. */
export function openTraceBytes(bytes: Uint8Array, name: string, opts: OpenBytesOptions = {}): TraceRefSource {
  const raw = new MemoryChunks(bytes);
  const compression = detectCompression(bytes);
  let chunks: ChunkSource = raw;
  if (compression === 'zstd') chunks = new ZstdChunks(raw, name);
  else if (compression === 'gzip') {
    if (opts.gunzip === undefined) {
      throw new InputError({ file: name }, 'an uncompressed or zstd-compressed trace (gzip cannot be read here)', 'gzip-compressed data; decompress it first (gunzip) or use zstd');
    }
    chunks = opts.gunzip(raw, name);
  }
  return new TraceRefSource(chunks, name, opts, compression === 'none' ? bytes.length : undefined);
}
