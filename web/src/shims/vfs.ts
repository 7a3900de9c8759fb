/**
 * The worker's in-memory file system: the shipped scenarios' trace files (fetched from the build's
 * assets) and dropped trace files, under absolute POSIX paths. The node:fs shim and the trace-file
 * shim read it, so src/workload/scenario-file.ts parses a scenario in the browser exactly as the
 * CLI does on disk.
 */
const files = new Map<string, Uint8Array>();

export function putFile(path: string, bytes: Uint8Array): void {
  files.set(path, bytes);
}

export function getFile(path: string): Uint8Array | undefined {
  return files.get(path);
}

export function listFiles(): string[] {
  return [...files.keys()];
}

export function noSuchFile(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path });
}
