/**
 * What every `pageout` subcommand shares: the exit codes, the error wrapper that turns bad input
 * into one line and exit 2, the `--json` / `--csv` / `--quiet` options and their writers, `--help`
 * examples, and the terminal progress bar. Subcommands use these and nothing else of main.ts, so
 * the behaviour a user sees is the same whichever subcommand they type.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, type CommanderError } from 'commander';
import cliProgress from 'cli-progress';
import { InputError, InputErrors, isInputError, quote, writeProblem } from '../errors.js';
import { formatDuration } from '../units.js';

/** The documented exit codes (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** a bug in pageout: an unexpected exception (stack printed) */
  internal: 1,
  /** bad input: a flag, a scenario, a trace or a sweep file is wrong (one line per problem, no stack) */
  badInput: 2,
  /** with --strict: a run ended in panic, livelock or deadlock */
  badOutcome: 3,
} as const;

/** The place named in errors about flags and arguments. */
export const COMMAND_LINE = 'command line';

/** An InputError about a flag: "command line --memory: expected …, got …". */
export function flagError(flag: string, expected: string, got: unknown): InputError {
  return new InputError({ file: COMMAND_LINE, field: flag }, expected, quote(got));
}

/** Print a failure the way users should see it and set the exit code. Returns the code. */
export function reportFailure(e: unknown): number {
  if (isInputError(e)) {
    const lines = e instanceof InputErrors ? e.errors.map((x) => x.message) : [e.message];
    for (const line of lines) process.stderr.write(`error: ${line}\n`);
    process.exitCode = ExitCode.badInput;
    return ExitCode.badInput;
  }
  const text = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`internal error (a bug in pageout; please report it):\n${text}\n`);
  process.exitCode = ExitCode.internal;
  return ExitCode.internal;
}

/**
 * Wrap a commander action: bad input prints `error: <message>` and exits 2, anything else is an
 * internal error (exit 1, with the stack). The exit code is set, not forced, so buffered stdout
 * drains; actions must release their own resources (workers, timers) in `finally`.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      reportFailure(e);
    }
  };
}

/** With --strict, a run that ended in panic / livelock / deadlock exits 3. */
export function applyStrict(strict: boolean | undefined, outcomes: readonly string[]): void {
  if (strict && outcomes.some((o) => o !== 'completed') && (process.exitCode ?? 0) === 0) {
    process.exitCode = ExitCode.badOutcome;
  }
}

/** The version in package.json, read where the sources are (the checkout or the installed package). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The root `pageout` command with the settings every subcommand inherits (subcommands copy them
 * when added, so register them after this). `exit` ends the process; tests pass one that throws.
 */
export function createProgram(exit: (code: number) => never): Command {
  const program: Command = new Command('pageout')
    .hook('preAction', (_root, actionCommand) => {
      try {
        // commander keeps the command line it parsed, untyped
        refuseRepeatedFlags(actionCommand, (program as unknown as { rawArgs: string[] }).rawArgs);
      } catch (e) {
        exit(reportFailure(e));
      }
    });
  return program
    .description('The Mach pageout daemon, alive in TypeScript: run, compare and watch GNU Mach\'s vm_pageout.c')
    .version(packageVersion(), '-V, --version', 'print pageout\'s version')
    .showHelpAfterError('(add --help for usage and examples)')
    // Commander's own usage errors (unknown option, missing argument, invalid value) are bad input.
    .exitOverride((err: CommanderError) => exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput))
    .addHelpText('after', `
Units: memory as 64MiB / 512KiB / 1GiB or a page count (16384); durations as 5ms, 200us, 1.5s;
shares of the distinct pages as 25%.

Exit codes: 0 ok; 1 internal error (a bug); 2 bad input (flags, scenario, trace, sweep file);
3 with --strict, a run ended in panic, livelock or deadlock.`);
}

/**
 * Refuse a flag that takes one value given twice (`--frames 100 --frames 200`, `-m 1 --memory 2`):
 * commander keeps the last without a word, and the first was most likely meant too. Repeatable
 * flags (--set, --param, --mach-set) collect their values and may repeat; so may switches.
 * `argv` is the whole command line; scanning stops at `--`, after which a program's own
 * arguments follow (`pageout trace -- prog --frames 3`).
 */
export function refuseRepeatedFlags(cmd: Command, argv: readonly string[]): void {
  const at = argv.indexOf(cmd.name());
  if (at < 0) return;
  type Option = (typeof cmd.options)[number];
  const single = new Set(cmd.options.filter((o) => (o.required || o.optional) && !o.variadic && o.parseArg !== collect));
  const seen = new Set<Option>();
  const count = (o: Option | undefined): void => {
    if (o === undefined || !single.has(o)) return;
    if (seen.has(o)) {
      const named = o.short !== undefined ? `${o.long} (${o.short})` : o.long!;
      throw new InputError({ file: COMMAND_LINE, field: o.long! }, `${named} once (it takes one value${o.flags.includes('<list>') ? '; a list goes in that one value, comma-separated' : ''})`, 'it twice');
    }
    seen.add(o);
  };
  for (let i = at + 1; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    if (!token.startsWith('-') || token.length < 2) continue;
    // `--frames=100`, `--frames 100`, `-f100`, `-f 100`
    const long = token.startsWith('--');
    const [name, attached] = long ? token.split('=', 2) : [token.slice(0, 2), token.length > 2 ? token.slice(2) : undefined];
    const o = cmd.options.find((x) => (long ? x.long : x.short) === name);
    count(o);
    // the next token is the flag's value, whatever it looks like
    if (o?.required && attached === undefined) i++;
  }
}

// ---------------------------------------------------------------------------------------------
// Options shared by the subcommands

export interface OutputOptions {
  /** `-` = stdout */
  json?: string;
  /** `-` = stdout */
  csv?: string;
  quiet?: boolean;
}

/** Add `--json FILE`, `--csv FILE` (`-` for stdout) and `--quiet`. */
export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--json <file>', 'write the result as JSON to FILE (- for stdout, which replaces the text summary)')
    .option('--csv <file>', 'write the result as CSV to FILE (- for stdout, which replaces the text summary)')
    .option('-q, --quiet', 'no progress bar and no text summary (errors still go to stderr)');
}

/**
 * Check the outputs a command was given, and say whether stdout carries JSON or CSV (then the
 * human summary must not be printed there). Called whatever --quiet says, before any work. Throws
 * the bad-input error when two outputs claim stdout (a JSON array followed by CSV is neither),
 * when the HTML report is asked for on it (a report is a file to open, and `-` would name one),
 * when two outputs name one file (the second would overwrite the first), or when an output is one
 * of the command's `inputs` (its trace, scenario or sweep file, overwritten by its own results).
 */
export function checkOutputs(opts: OutputOptions & { series?: string; report?: string }, inputs: readonly string[] = []): boolean {
  const claims = (['json', 'csv', 'series'] as const).filter((k) => opts[k] === '-');
  if (claims.length > 1) throw flagError(`--${claims[1]}`, `stdout for one output only (--${claims[0]} - has it)`, '-');
  if (opts.report === '-') throw flagError('--report', 'an HTML file name (the report is a page to open, not a stream)', '-');
  const files = (['json', 'csv', 'series', 'report'] as const).filter((k) => opts[k] !== undefined && opts[k] !== '-');
  for (const [i, k] of files.entries()) {
    const input = inputs.find((f) => sameFile(f, opts[k]!));
    if (input !== undefined) throw flagError(`--${k}`, `a file other than the input ${input}`, opts[k]);
    const earlier = files.slice(0, i).find((e) => sameFile(opts[e]!, opts[k]!));
    if (earlier !== undefined) throw flagError(`--${k}`, `a file other than --${earlier}'s`, opts[k]);
  }
  return claims.length > 0;
}

/** Whether two paths name one file: by device and inode when both exist (links too), else by path. */
export function sameFile(a: string, b: string): boolean {
  const sa = statSync(a, { throwIfNoEntry: false });
  const sb = statSync(b, { throwIfNoEntry: false });
  if (sa !== undefined && sb !== undefined) return sa.dev === sb.dev && sa.ino === sb.ino;
  return resolve(a) === resolve(b);
}

/** Commander collector for a repeatable option (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Split `B1,B2` or `lru, arc` into trimmed non-empty items; given the flag, an empty item is refused. */
export function parseList(raw: string, flag?: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  // `100,,200` or `lru,`: an item lost between commas is a typo, not nothing (with the flag named)
  if (flag !== undefined && raw.trim() !== '' && items.some((s) => s.length === 0)) {
    throw flagError(flag, 'a comma-separated list with no empty item', raw);
  }
  return items.filter((s) => s.length > 0);
}

/** Append an "Examples:" block to a command's --help. */
export function withExamples(cmd: Command, examples: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Writers

/** Deterministic JSON text (2-space indent, trailing newline): byte-identical for equal values. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

function writeTarget(target: string, text: string): void {
  if (target === '-') process.stdout.write(text);
  else {
    try {
      writeFileSync(target, text);
    } catch (e) {
      throw new InputError({ file: target }, 'a writable file', writeProblem(e));
    }
  }
}

export function writeJson(target: string, value: unknown): void {
  writeTarget(target, jsonText(value));
}

/** A CSV row: nested objects flatten to dotted column names (`vmStat.faults`), arrays to JSON. */
export type CsvRow = Record<string, unknown>;

export function flattenRow(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenRow(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text. Columns: the union of the rows' flattened keys, in first-seen order. */
export function csvText(rows: readonly CsvRow[], columns?: readonly string[]): string {
  const flat = rows.map((r) => flattenRow(r));
  const cols = columns ? [...columns] : [];
  if (!columns) {
    const seen = new Set<string>();
    for (const r of flat) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); cols.push(k); }
  }
  const lines = [cols.map(csvCell).join(',')];
  for (const r of flat) lines.push(cols.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

export function writeCsv(target: string, rows: readonly CsvRow[], columns?: readonly string[]): void {
  writeTarget(target, csvText(rows, columns));
}

// ---------------------------------------------------------------------------------------------
// Progress

export interface ProgressBar {
  /** `total` NaN = unknown; `detail` is shown after the counts (e.g. the simulated time) */
  update(done: number, total: number, detail?: string): void;
  /** Remove the bar (idempotent). */
  stop(): void;
}

const SILENT: ProgressBar = { update() {}, stop() {} };

/**
 * A progress bar on stderr, only on a terminal and without --quiet, and only once the work has
 * run for `delayMs` (default 1 s), so short commands print nothing extra.
 */
export function createProgressBar(opts: { quiet?: boolean; unit: string; delayMs?: number }): ProgressBar {
  if (opts.quiet || !process.stderr.isTTY || process.env.PAGEOUT_NO_PROGRESS) return SILENT;
  const started = Date.now();
  const delay = opts.delayMs ?? 1000;
  let bar: cliProgress.SingleBar | null = null;
  let known = true;
  return {
    update(done, total, detail = '') {
      if (!bar) {
        if (Date.now() - started < delay) return;
        known = Number.isFinite(total) && total > 0;
        const format = known
          ? `{bar} {percentage}% | {value}/{total} ${opts.unit} | {detail} | ETA {eta_formatted}`
          : `{value} ${opts.unit} | {detail} | {duration_formatted}`;
        bar = new cliProgress.SingleBar(
          {
            format, stream: process.stderr, clearOnComplete: true, hideCursor: true, barsize: 30, etaBuffer: 50, fps: 5,
            formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? compactCount(v) : String(v)),
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(known ? total : 0, done, { detail });
        bar.update(done, { detail });
        return;
      }
      if (known && Number.isFinite(total)) bar.setTotal(total);
      bar.update(done, { detail });
    },
    stop() {
      if (bar) {
        bar.stop();
        bar = null;
      }
    },
  };
}

/** 100823648 → "100.8M": short enough for a progress line. */
export function compactCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Progress detail for kernel runs: "sim 1.234 s". */
export function simulatedTimeDetail(simNs: number): string {
  return `sim ${formatDuration(simNs)}`;
}
