/** node:fs for the worker: read-only, synchronous, over the in-memory files of vfs.ts. */
import { normalize } from './path.js';
import { getFile, listFiles, noSuchFile } from './vfs.js';

export function existsSync(path: string): boolean {
  const p = normalize(path);
  return getFile(p) !== undefined || listFiles().some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`));
}

export function readFileSync(path: string, encoding?: string | { encoding?: string }): string | Uint8Array {
  const bytes = getFile(normalize(path));
  if (bytes === undefined) throw noSuchFile(path);
  const enc = typeof encoding === 'string' ? encoding : encoding?.encoding;
  return enc ? new TextDecoder().decode(bytes) : bytes;
}

export function readdirSync(path: string): string[] {
  const dir = normalize(path).replace(/\/?$/, '/');
  const names = new Set<string>();
  for (const f of listFiles()) if (f.startsWith(dir)) names.add(f.slice(dir.length).split('/')[0]!);
  return [...names].sort();
}

export default { existsSync, readFileSync, readdirSync };
