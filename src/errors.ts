/**
 * The three kinds of failure, never mixed (STYLE §2.7):
 *  - InputError: the user's scenario, trace or flag is wrong. Printed as one line, exit code 2, no stack.
 *  - model outcomes (KernelPanic, livelock, deadlock, lost writes): results of a run, carried in RunResult.
 *  - failed kassert: our own bug, loud, with context.
 */

/** Where in the user's input a problem sits, like a compiler Diagnostic. */
export interface InputLocation {
  file: string;
  line?: number;
  column?: number;
  /** byte offset, for binary inputs */
  offset?: number;
  /** dotted path of the field (`machine.memory`) or the option name (`--memory`) */
  field?: string;
}

export function formatLocation(at: InputLocation): string {
  let s = at.file;
  if (at.line !== undefined) s += `:${at.line}`;
  if (at.line !== undefined && at.column !== undefined) s += `:${at.column}`;
  if (at.offset !== undefined) s += ` (byte ${at.offset})`;
  if (at.field !== undefined) s += ` ${at.field}`;
  return s;
}

/** Bad input from the user. The message reads "<where>: expected <what>, got <what>". */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly at: InputLocation,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${formatLocation(at)}: expected ${expected}, got ${got}`);
  }
}

/** Several input problems found at once (validation collects every issue before failing). */
export class InputErrors extends Error {
  override name = 'InputErrors';
  constructor(readonly errors: readonly InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

export function isInputError(e: unknown): e is InputError | InputErrors {
  return e instanceof InputError || e instanceof InputErrors;
}

/** Quote a user value for an error message, shortened so one bad line cannot flood the terminal. */
export function quote(value: unknown): string {
  // JSON has no Infinity or NaN (it writes null), and a YAML `1e999` or `.nan` arrives as one
  const s = typeof value === 'string' ? value : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value) ?? String(value);
  const short = s.length > 60 ? s.slice(0, 57) + '...' : s;
  return typeof value === 'string' ? `'${short}'` : short;
}

/**
 * What a failed file-system call found, in words for an error's "got": 'no such directory' where
 * `ENOENT` said as much of a file being written, 'a directory', 'no permission'; the code itself
 * for the rest.
 */
export function writeProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return 'no such directory';
    case 'ENOTDIR': return 'a path through something that is not a directory';
    case 'EISDIR': return 'a directory';
    case 'EACCES': case 'EPERM': return 'no permission to write it';
    case 'EROFS': return 'a read-only file system';
    case 'ENOSPC': return 'no space left on the device';
    default: return code ?? String(e);
  }
}

/** As writeProblem, for a file being read: 'no such file', 'a directory', 'no permission to read it'. */
export function readProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'a directory';
    case 'EACCES': case 'EPERM': return 'no permission to read it';
    default: return code ?? String(e);
  }
}
