/**
 * Gzip inflated synchronously, in the browser, chunk by chunk: the kernel pulls references
 * synchronously (RefSource.read) and the browser's own DecompressionStream is asynchronous, so the
 * worker uses fflate's streaming Gunzip. Memory stays flat: one 16 KiB input slice per pump.
 */
import { Gunzip } from 'fflate';
import { PushDecompressChunks, type ChunkSource } from '../../src/workload/trace/chunks.js';

// small slices: gzip traces expand ~30×, and opening a trace (format detection) pumps once
const SLICE_BYTES = 1 << 14;

export function browserGunzip(compressed: ChunkSource, name: string): ChunkSource {
  return new PushDecompressChunks(compressed, name, 'gzip', (ondata) => new Gunzip(ondata), SLICE_BYTES);
}
