/**
 * Writing output files to the end, or saying why not. A write can fail long after its file
 * opened (a full disk, a quota, `/dev/full`); that is the user's to fix, so it becomes the same
 * InputError an unwritable path gets, naming the file, and never an internal error.
 */
import { writeSync } from 'node:fs';
import { InputError, writeProblem } from './errors.js';

/** Write bytes [0, length) of `bytes` to `fd`, at `position` when given, else where the file stands. */
export function writeFully(fd: number, bytes: Uint8Array, length: number, file: string, position?: number): void {
  let done = 0;
  try {
    while (done < length) done += writeSync(fd, bytes, done, length - done, position === undefined ? null : position + done);
  } catch (e) {
    throw writeFailure(e, file);
  }
}

/** Write `text` (UTF-8) to `fd`. */
export function writeTextFully(fd: number, text: string, file: string): void {
  const bytes = Buffer.from(text, 'utf8');
  writeFully(fd, bytes, bytes.length, file);
}

/** A failed write of `file` as the user sees it; a failure that is no file-system error stays itself. */
export function writeFailure(e: unknown, file: string): unknown {
  if ((e as NodeJS.ErrnoException).code === undefined) return e;
  return new InputError({ file }, 'a writable file', writeProblem(e));
}
