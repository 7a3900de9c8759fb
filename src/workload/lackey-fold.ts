/**
 * A line filter between valgrind lackey and the lackey parser, used while capturing
 * (`pageout trace`). It fixes two ways in which lackey's raw output misrepresents a program's
 * page references (reference/lackey-notes.md, "Two traps"):
 *
 * 1. rep-string instructions. VEX runs `rep movsb` / `rep stosb` one element per iteration and
 *    lackey prints a fetch plus data accesses for every byte: glibc's memcpy of 1 MiB becomes
 *    ~2 M lines bouncing between two pages. We fold them: a fetch whose address equals the
 *    previous fetch's is an iteration of the same instruction and is dropped, and inside such
 *    iterations a data access to the same page(s) and of the same kind as in the previous
 *    iteration is dropped too. Distinct pages and write bits are unchanged; the dropped
 *    references are counted (`foldedLines`) and named in the trace header.
 * 2. Kernel copies. The kernel fills a read(2) buffer and reads a write(2) buffer without lackey
 *    seeing it. With `--trace-syscalls=yes` valgrind prints `SYSCALL[pid,tid](nr) sys_read ( fd,
 *    0xBUF, len ) --> [async] ... ` and later `... --> Success(0xN)` (or both on one line); we
 *    turn a successful read / pread64 / getdents64 into stores over [buf, buf+n) and write /
 *    pwrite64 into loads, one lackey line per page, at the point where the call returned.
 *    readv/writev, mmap-ed file I/O and munmap are not covered.
 *
 * The filter passes lines through unchanged otherwise, in order, so the parser's line-level
 * checks still apply. Lines are copied in runs, not one by one.
 */

const I = 73;
const SPACE = 32;
const L = 76;
const S = 83;
const M = 77;
const NEWLINE = 10;
const COMMA = 44;

/** the most data accesses one iteration of a string instruction makes (cmps: two loads) */
const MAX_ITERATION_ACCESSES = 8;

const HEX = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[48 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[65 + c] = 10 + c;
    t[97 + c] = 10 + c;
  }
  return t;
})();

const STORE_SYSCALLS = new Set(['sys_read', 'sys_pread64', 'sys_getdents64']);
const LOAD_SYSCALLS = new Set(['sys_write', 'sys_pwrite64']);

export interface FoldStats {
  /** lackey lines seen (before folding) */
  lines: number;
  /** fetch and data lines dropped as repeated rep-string iterations */
  foldedLines: number;
  /** system calls whose buffer became references */
  syscallsCopied: number;
  /** lines added for those buffers */
  syscallLines: number;
}

export class LackeyFoldFilter {
  readonly stats: FoldStats = { lines: 0, foldedLines: 0, syscallsCopied: 0, syscallLines: 0 };
  readonly #pageSize: number;
  readonly #emit: (bytes: Uint8Array) => void;
  #carry = new Uint8Array(0);
  #out = new Uint8Array(1 << 16);
  #outLength = 0;
  #previousFetch = -1;
  #repeating = false;
  // data accesses (kind, first page, last page) of the previous and the current iteration
  #previousKinds = new Uint8Array(MAX_ITERATION_ACCESSES);
  #previousFirst = new Float64Array(MAX_ITERATION_ACCESSES);
  #previousLast = new Float64Array(MAX_ITERATION_ACCESSES);
  #previousCount = 0;
  #currentKinds = new Uint8Array(MAX_ITERATION_ACCESSES);
  #currentFirst = new Float64Array(MAX_ITERATION_ACCESSES);
  #currentLast = new Float64Array(MAX_ITERATION_ACCESSES);
  #currentCount = 0;
  /** pending asynchronous system calls by thread id */
  readonly #pending = new Map<string, { name: string; buffer: number }>();
  readonly #copySyscalls: boolean;
  /** the last line that was not an access was a SYSCALL line (valgrind may continue it on the next) */
  #inSyscallText = false;

  constructor(pageSize: number, emit: (bytes: Uint8Array) => void, options: { syscalls?: boolean } = {}) {
    this.#pageSize = pageSize;
    this.#emit = emit;
    this.#copySyscalls = options.syscalls ?? true;
  }

  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.#carry.length > 0) {
      buf = new Uint8Array(this.#carry.length + chunk.length);
      buf.set(this.#carry);
      buf.set(chunk, this.#carry.length);
    }
    const end = buf.lastIndexOf(NEWLINE) + 1;
    this.#filter(buf, end);
    // a copy: the caller reuses its chunk, and a Node Buffer's slice() would be a view of it
    this.#carry = end < buf.length ? new Uint8Array(buf.subarray(end)) : new Uint8Array(0);
  }

  /**
   * Pass on a last line without its newline as it is (the parser judges it), or drop it when
   * lackey was interrupted mid-line.
   */
  end(options: { dropPartialLine?: boolean } = {}): void {
    if (this.#carry.length > 0 && !options.dropPartialLine) this.#emit(this.#carry);
    this.#carry = new Uint8Array(0);
  }

  #filter(buf: Uint8Array, end: number): void {
    let runStart = 0;
    let i = 0;
    while (i < end) {
      const lineStart = i;
      const newline = buf.indexOf(NEWLINE, i);
      i = newline + 1;
      const c0 = buf[lineStart]!;
      let keep = true;
      if (c0 === I) {
        this.#inSyscallText = false;
        this.stats.lines++;
        keep = this.#fetch(buf, lineStart + 1, newline);
      } else if (c0 === SPACE) {
        const c1 = buf[lineStart + 1];
        if (c1 === L || c1 === S || c1 === M) {
          this.stats.lines++;
          keep = this.#data(buf, lineStart + 2, newline, c1);
        } else if (c1 === 45 /* - */ && buf[lineStart + 2] === 45 && this.#inSyscallText) {
          // ' --> [pre-fail] Failure(0x26)': the second line of a syscall valgrind printed in two
          this.#flushRun(buf, runStart, lineStart);
          runStart = i;
          continue;
        }
      } else if (c0 === 83 /* S */ && buf[lineStart + 1] === 89 /* Y */) {
        const line = new TextDecoder().decode(buf.subarray(lineStart, newline));
        if (line.startsWith('SYSCALL[')) {
          this.#flushRun(buf, runStart, lineStart);
          runStart = i;
          this.#syscall(line);
          this.#inSyscallText = true;
          continue;
        }
      }
      if (!keep) {
        this.stats.foldedLines++;
        this.#flushRun(buf, runStart, lineStart);
        runStart = i;
      }
    }
    this.#flushRun(buf, runStart, end);
    this.#flushOut();
  }

  /** An instruction fetch: false when it repeats the previous fetch (a string instruction's next iteration). */
  #fetch(buf: Uint8Array, from: number, to: number): boolean {
    const address = parseHexField(buf, from, to);
    // this iteration's accesses become the ones the next iteration is compared with
    const kinds = this.#previousKinds;
    const first = this.#previousFirst;
    const last = this.#previousLast;
    this.#previousKinds = this.#currentKinds;
    this.#previousFirst = this.#currentFirst;
    this.#previousLast = this.#currentLast;
    this.#previousCount = this.#currentCount;
    this.#currentKinds = kinds;
    this.#currentFirst = first;
    this.#currentLast = last;
    this.#currentCount = 0;
    if (address >= 0 && address === this.#previousFetch) {
      this.#repeating = true;
      return false;
    }
    this.#repeating = false;
    this.#previousCount = 0;
    this.#previousFetch = address;
    return true;
  }

  /** A load, store or modify: false when a repeated iteration touches what the previous one did. */
  #data(buf: Uint8Array, from: number, to: number, kind: number): boolean {
    let i = from;
    while (i < to && buf[i] === SPACE) i++;
    let address = 0;
    let digits = 0;
    for (; i < to; i++) {
      const d = HEX[buf[i]!]!;
      if (d < 0) break;
      address = address * 16 + d;
      digits++;
    }
    if (digits === 0 || buf[i] !== COMMA) return true; // malformed: let the parser report it
    let size = 0;
    for (i++; i < to; i++) {
      const c = buf[i]!;
      if (c < 48 || c > 57) break;
      size = size * 10 + (c - 48);
    }
    if (size === 0) size = 1;
    const firstPage = Math.floor(address / this.#pageSize);
    const lastPage = Math.floor((address + size - 1) / this.#pageSize);
    let seen = false;
    if (this.#repeating) {
      for (let k = 0; k < this.#previousCount; k++) {
        if (this.#previousKinds[k] === kind && this.#previousFirst[k] === firstPage && this.#previousLast[k] === lastPage) {
          seen = true;
          break;
        }
      }
    }
    const n = this.#currentCount;
    if (n < MAX_ITERATION_ACCESSES) {
      this.#currentKinds[n] = kind;
      this.#currentFirst[n] = firstPage;
      this.#currentLast[n] = lastPage;
      this.#currentCount = n + 1;
    }
    return !seen;
  }

  #syscall(line: string): void {
    // the instruction after a system call is never an iteration of the one before
    this.#previousFetch = -1;
    this.#repeating = false;
    if (!this.#copySyscalls) return;
    const head = /^SYSCALL\[(\d+),(\d+)\]\((\d+)\) (.*)$/.exec(line.trimEnd());
    if (!head) return;
    const thread = `${head[1]},${head[2]}`;
    const rest = head[4]!;
    let name: string;
    let buffer: number;
    if (rest.startsWith('... ')) {
      const call = this.#pending.get(thread);
      this.#pending.delete(thread);
      if (!call) return;
      name = call.name;
      buffer = call.buffer;
    } else {
      const call = /^(\w+) \( ([^,)]*), (0x[0-9a-fA-F]+)/.exec(rest);
      if (!call || !(STORE_SYSCALLS.has(call[1]!) || LOAD_SYSCALLS.has(call[1]!))) return;
      name = call[1]!;
      buffer = parseInt(call[3]!.slice(2), 16);
      if (/--> \[async\] \.\.\.$/.test(rest)) {
        this.#pending.set(thread, { name, buffer });
        return;
      }
    }
    const result = /--> (?:\[[\w-]+\] )?Success\(0x([0-9a-fA-F]+)\)/.exec(rest);
    if (!result) return;
    const bytes = parseInt(result[1]!, 16);
    if (bytes > 0) this.#copy(buffer, bytes, STORE_SYSCALLS.has(name) ? ' S ' : ' L ');
  }

  /** Lackey lines, one per page, for a buffer the kernel wrote (' S ') or read (' L '). */
  #copy(buffer: number, bytes: number, kind: string): void {
    this.stats.syscallsCopied++;
    let text = '';
    const end = buffer + bytes;
    for (let at = buffer; at < end; ) {
      const pageEnd = (Math.floor(at / this.#pageSize) + 1) * this.#pageSize;
      const size = Math.min(end, pageEnd) - at;
      text += `${kind}${at.toString(16)},${size}\n`;
      this.stats.syscallLines++;
      at += size;
      if (text.length > 1 << 16) {
        this.#append(new TextEncoder().encode(text));
        text = '';
      }
    }
    this.#append(new TextEncoder().encode(text));
  }

  #flushRun(buf: Uint8Array, from: number, to: number): void {
    if (to > from) this.#append(buf.subarray(from, to));
  }

  #append(bytes: Uint8Array): void {
    if (this.#outLength + bytes.length > this.#out.length) {
      this.#flushOut();
      if (bytes.length > this.#out.length) {
        this.#emit(bytes);
        return;
      }
    }
    this.#out.set(bytes, this.#outLength);
    this.#outLength += bytes.length;
  }

  #flushOut(): void {
    if (this.#outLength > 0) {
      this.#emit(this.#out.subarray(0, this.#outLength));
      this.#outLength = 0;
    }
  }
}

/** The hex number after spaces in buf[from, to), up to a comma; −1 if malformed. */
function parseHexField(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && buf[i] === SPACE) i++;
  let value = 0;
  let digits = 0;
  for (; i < to; i++) {
    const d = HEX[buf[i]!]!;
    if (d < 0) break;
    value = value * 16 + d;
    digits++;
  }
  return digits === 0 || buf[i] !== COMMA ? -1 : value;
}
