/**
 * Opening a trace file (Node): compression by magic bytes, then the format by name and content.
 */
import { ZstdChunks, type ChunkSource } from './chunks.js';
import { FileChunks, GunzipChunks } from './file-chunks.js';
import { detectCompression, type TraceOptions } from './formats.js';
import { TraceRefSource } from './source.js';

/** A streaming RefSource over a trace file; gzip and zstd files are decompressed on the fly. */
export function openTrace(path: string, opts: TraceOptions = {}): TraceRefSource {
  const file = new FileChunks(path);
  let chunks: ChunkSource = file;
  let compression;
  try {
    compression = detectCompression(file.peek(4));
    if (compression === 'gzip') chunks = new GunzipChunks(file, path);
    else if (compression === 'zstd') chunks = new ZstdChunks(file, path);
  } catch (e) {
    file.close();
    throw e;
  }
  return new TraceRefSource(chunks, path, opts, compression === 'none' ? file.size : undefined);
}

/** Gunzip for openTraceBytes in Node. */
export function nodeGunzip(compressed: ChunkSource, name: string): ChunkSource {
  return new GunzipChunks(compressed, name);
}
