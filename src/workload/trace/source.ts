/**
 * A trace as a RefSource: decompressed chunks are pushed through a format's parser into a
 * RefStage, and `read` copies staged records into the caller's batch. One chunk (≤ 1 MiB of
 * bytes) is parsed at a time, so memory depends on the chunk size, never the trace length.
 * No Node imports: the file and in-memory openers both build on this.
 */
import { InputError, quote, type InputLocation } from '../../errors.js';
import type { RefBatch, RefSource } from '../../kernel/ref-source.js';
import type { ChunkSource } from './chunks.js';
import type { CompactHeader } from './compact-format.js';
import {
  TRACE_FORMATS,
  createTraceParser,
  detectTraceFormat,
  formatFromContent,
  formatFromName,
  type ParserHandle,
  type TraceFormat,
  type TraceOptions,
} from './formats.js';
import { RefStage } from './sink.js';

/** bytes looked at to recognise a format */
const DETECT_BYTES = 4096;

export class TraceRefSource implements RefSource {
  readonly format: TraceFormat;
  readonly description: string;
  /** bytes of (decompressed) trace handed to the parser so far */
  bytesRead = 0;
  /** references (sum of counts) delivered so far */
  references = 0;
  readonly #chunks: ChunkSource;
  readonly #stage = new RefStage();
  readonly #parser: ParserHandle;
  readonly #forced: boolean;
  /** what to say when a format guessed from the first bytes (neither given nor in the name) fails at once; null for no guess */
  readonly #guessAdvice: string | null;
  /** how the forced format was given, for messages: `--format lackey`, or a scenario's field */
  readonly #formatGivenAs: string;
  readonly #head: Uint8Array;
  readonly #push: (chunk: Uint8Array) => void;
  #ended = false;
  #closed = false;
  readonly #knownTotal: number | undefined;
  /** references still to leave out (--skip-refs), and how many were asked for */
  #toSkip: number;
  readonly #skipRefs: number;
  /** references to deliver at most (--max-refs); Infinity for the whole trace */
  readonly #maxRefs: number;
  readonly #skipRefsAt: InputLocation;
  /** references the last #readRecords call copied */
  #lastRefs = 0;

  /**
   * @param file the name used in messages and for detection (a compressed file's name still
   *   has its .gz/.zst: detection strips it)
   * @param rawSize bytes in the file when uncompressed, to announce totalRefs for oracleGeneral
   */
  constructor(chunks: ChunkSource, readonly file: string, options: TraceOptions = {}, rawSize?: number) {
    this.#chunks = chunks;
    this.description = file;
    // the first chunks, copied (a chunk is valid only during its pump), to recognise the format
    const first: Uint8Array[] = [];
    let headLength = 0;
    let more = true;
    while (headLength < DETECT_BYTES && more) {
      more = chunks.pump((chunk) => {
        first.push(chunk.slice());
        headLength += chunk.length;
      });
    }
    if (headLength === 0) {
      chunks.close();
      const what = options.format ?? detectTraceFormat(file);
      throw new InputError({ file }, what === undefined ? 'a trace' : `a ${what} trace`, 'an empty file');
    }
    const head = concat(first, headLength);
    this.#head = head.subarray(0, DETECT_BYTES);
    const format = options.format ?? detectTraceFormat(file, this.#head);
    if (format === undefined) {
      chunks.close();
      throw new InputError({ file }, `a trace in a format recognised by its name or content (${TRACE_FORMATS.join(', ')}); ${options.unknownFormatAdvice ?? 'name it with --format'}`, 'an unrecognised file');
    }
    // columns for a CSV, given for another format, would be ignored without a word
    if (options.csv?.given !== undefined && format !== 'csv') {
      chunks.close();
      throw new InputError(options.csv.given.at, `CSV columns only for a CSV trace (${file.slice(file.lastIndexOf('/') + 1)} is ${format === 'lirs' || format === 'oracleGeneral' ? 'an' : 'a'} ${format} trace)`, quote(options.csv.given.spec));
    }
    this.format = format;
    this.#forced = options.format !== undefined;
    this.#guessAdvice = !this.#forced && formatFromName(file) === undefined ? (options.unknownFormatAdvice ?? 'name it with --format if it is another') : null;
    this.#formatGivenAs = options.formatGivenAs ?? `--format ${format}`;
    try {
      this.#parser = createTraceParser(format, file, this.#stage, options);
    } catch (e) {
      chunks.close();
      throw e;
    }
    const parser = this.#parser.parser;
    this.#push = (chunk: Uint8Array) => {
      this.bytesRead += chunk.length;
      parser.push(chunk);
    };
    try {
      this.#guard(() => this.#push(head));
      if (!more) this.#finish();
    } catch (e) {
      chunks.close();
      throw e;
    }
    this.#knownTotal = format === 'oracleGeneral' && rawSize !== undefined ? Math.floor(rawSize / 24) : undefined;
    this.#skipRefs = this.#toSkip = options.skipRefs ?? 0;
    this.#maxRefs = options.maxRefs ?? Infinity;
    this.#skipRefsAt = options.skipRefsAt ?? { file: 'command line', field: '--skip-refs' };
    // a trace that says its length (a compact header) is known to be too short now, not at its end
    const whole = this.#parser.compactHeader()?.references ?? this.#knownTotal;
    if (this.#skipRefs > 0 && whole !== undefined && whole <= this.#skipRefs) {
      chunks.close();
      throw this.#skippedWhole(whole);
    }
  }

  /** The error for a --skip-refs (or scenario skipRefs) at or past the trace's `whole` length. */
  #skippedWhole(whole: number): InputError {
    return new InputError(this.#skipRefsAt, `fewer references than ${this.file} holds (${whole.toLocaleString('en-US')})`, quote(String(this.#skipRefs)));
  }

  /**
   * Total references when known in advance (compact header, plain oracleGeneral size), within
   * the slice --skip-refs and --max-refs cut.
   */
  get totalRefs(): number | undefined {
    const whole = this.#parser.compactHeader()?.references ?? this.#knownTotal;
    return whole === undefined ? undefined : Math.min(this.#maxRefs, Math.max(0, whole - this.#skipRefs));
  }

  /** The compact trace's header, for compact traces. */
  get compactHeader(): CompactHeader | undefined {
    return this.#parser.compactHeader();
  }

  /** The page size references are in (a compact trace's own, else the option or 4096). */
  get pageSize(): number {
    return this.#parser.pageSize();
  }

  read(batch: RefBatch): number {
    if (this.#toSkip === 0 && this.#maxRefs === Infinity) {
      const n = this.#readRecords(batch);
      this.references += this.#lastRefs;
      return n;
    }
    return this.#readSlice(batch);
  }

  /**
   * `read` within --skip-refs and --max-refs. Counted in references, as every figure is: a record
   * standing for several references that straddles a cut keeps the ones inside it.
   */
  #readSlice(batch: RefBatch): number {
    const room = this.#maxRefs - this.references;
    if (room <= 0) {
      this.close(); // what follows the slice is never read
      return 0;
    }
    for (;;) {
      let n = this.#readRecords(batch);
      if (n === 0) {
        if (this.#toSkip > 0 || (this.references === 0 && this.#skipRefs > 0)) {
          throw this.#skippedWhole(this.#skipRefs - this.#toSkip);
        }
        return 0;
      }
      const { page, flags, count } = batch;
      let from = 0;
      while (this.#toSkip > 0 && from < n) {
        const c = count[from]!;
        if (c <= this.#toSkip) {
          this.#toSkip -= c;
          from++;
        } else {
          count[from] = c - this.#toSkip;
          this.#toSkip = 0;
        }
      }
      if (from > 0) {
        page.copyWithin(0, from, n);
        flags.copyWithin(0, from, n);
        count.copyWithin(0, from, n);
        n -= from;
      }
      let refs = 0;
      for (let i = 0; i < n; i++) {
        const c = count[i]!;
        if (refs + c >= room) {
          count[i] = room - refs;
          refs = room;
          n = i + 1;
          break;
        }
        refs += c;
      }
      this.references += refs;
      if (n > 0) return n;
    }
  }

  /** Copy staged records into `batch`, parsing chunks as needed; sets #lastRefs. */
  #readRecords(batch: RefBatch): number {
    const stage = this.#stage;
    const capacity = batch.capacity;
    let n = 0;
    let refs = 0;
    while (n < capacity) {
      const available = stage.length - stage.taken;
      if (available > 0) {
        const take = Math.min(available, capacity - n);
        const from = stage.taken;
        batch.page.set(stage.page.subarray(from, from + take), n);
        batch.flags.set(stage.flags.subarray(from, from + take), n);
        const counts = stage.count.subarray(from, from + take);
        batch.count.set(counts, n);
        for (let k = 0; k < take; k++) refs += counts[k]!;
        stage.taken = from + take;
        n += take;
        continue;
      }
      stage.clear();
      if (this.#ended || this.#closed) break;
      this.#guard(() => {
        if (!this.#chunks.pump(this.#push)) this.#finish();
      });
    }
    this.#lastRefs = refs;
    return n;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks.close();
  }

  #finish(): void {
    this.#ended = true;
    this.#guard(() => this.#parser.parser.end());
    if (!this.#recordsSeen) {
      throw new InputError({ file: this.file }, `at least one page reference in this ${this.format} trace`, 'none');
    }
    this.#chunks.close();
  }

  /** whether the parser has produced any record yet (a trace of none is refused) */
  #recordsSeen = false;

  /** Run parser work; when --format was forced and the content says otherwise, say so. */
  #guard(work: () => void): void {
    try {
      work();
      if (this.#stage.length > 0) this.#recordsSeen = true;
    } catch (e) {
      if (this.#forced && e instanceof InputError) {
        const looksLike = formatFromContent(this.#head);
        if (looksLike !== undefined && looksLike !== this.format) {
          throw new InputError(e.at, e.expected, `${e.got} (the file looks like ${looksLike}, but ${this.#formatGivenAs} was given)`);
        }
      }
      // a guess from the first bytes that fails before any record (random bytes read as
      // oracleGeneral) says it was a guess: the message alone named no format
      if (this.#guessAdvice !== null && !this.#recordsSeen && e instanceof InputError) {
        throw new InputError(e.at, e.expected, `${e.got} (read as ${this.format}, which its first bytes suggested; ${this.#guessAdvice})`);
      }
      throw e;
    }
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
