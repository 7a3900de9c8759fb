/**
 * Sweep output files: CSV (one header, one row per point) and JSON Lines (one object per point).
 * Rows are written as points finish, in point order, so an interrupted sweep leaves a valid file
 * that `--resume` can read: it keeps the rows that succeeded and runs the rest.
 */
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { writeTextFully } from '../write-file.js';
import { InputError, quote, writeProblem } from '../errors.js';
import type { FlatRow, FlatValue } from '../report/rows.js';

export type OutputFormat = 'csv' | 'jsonl';

function csvCell(v: FlatValue | undefined): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly (FlatValue | undefined)[]): string {
  return values.map(csvCell).join(',') + '\n';
}

/** RFC 4180 records of a CSV text (quoted cells may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).map((r) => r.cells);
}

/** parseCsv with the line each record starts on (1-based; a quoted newline makes a record longer than a line). */
function parseCsvLines(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') { record.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(cell); cell = '';
      records.push({ line: start, cells: record }); record = [];
      start = ++line;
    } else cell += ch;
  }
  if (cell !== '' || record.length > 0) { record.push(cell); records.push({ line: start, cells: record }); }
  return records;
}

const FOREIGN = 'the columns of this sweep (the file was written by another sweep; choose another output or delete it)';

/** Rows already in an output file: objects keyed by column (CSV cells stay strings). */
export function readRows(file: string, format: OutputFormat, columns: readonly string[]): Record<string, unknown>[] {
  const text = readFileSync(file, 'utf8');
  if (format === 'jsonl') {
    const rows = text.split('\n').flatMap((line, i) => {
      if (line.trim() === '') return [];
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        // the last line of an interrupted sweep may be cut short; anything else is not ours
        if (i >= text.split('\n').length - 2) return [];
        throw new InputError({ file, line: i + 1 }, 'one JSON object per line (a sweep output)', 'invalid JSON');
      }
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        throw new InputError({ file, line: i + 1 }, 'one JSON object per line (a sweep output)', row === null ? 'null' : Array.isArray(row) ? 'a list' : `a ${typeof row}`);
      }
      return [{ line: i + 1, row: row as Record<string, unknown> }];
    });
    // a row of another sweep (or of one written before the varied values moved under `vary.`)
    // kept as it is would leave a file whose rows disagree on their keys. A failed point's row
    // stops at `error`: every row has the columns up to there, and none but the columns.
    const always = columns.slice(0, columns.indexOf('error') + 1);
    for (const { line, row } of rows) {
      const extra = Object.keys(row).find((k) => !columns.includes(k));
      if (extra !== undefined) throw new InputError({ file, line }, FOREIGN, `a row with the key ${quote(extra)}`);
      const missing = always.find((c) => !(c in row));
      if (missing !== undefined) throw new InputError({ file, line }, FOREIGN, `a row without the key ${quote(missing)}`);
    }
    return rows.map((r) => r.row);
  }
  const records = parseCsvLines(text);
  if (records.length === 0) return [];
  const header = records[0]!.cells;
  if (header.join(',') !== columns.join(',')) {
    throw new InputError({ file, line: 1 }, FOREIGN, `${header.length} columns starting ${header.slice(0, 4).join(',')}`);
  }
  const rows = records.slice(1);
  // the last row of an interrupted sweep may be cut short (its point runs again); a damaged row
  // anywhere else would be lost without a word, and its point run again as if never written
  for (const [k, r] of rows.entries()) {
    if (r.cells.length === header.length || (k === rows.length - 1 && r.cells.length < header.length)) continue;
    throw new InputError({ file, line: r.line }, `a row of ${header.length} cells, as the header has (a sweep output)`, `${r.cells.length} cells`);
  }
  return rows.filter((r) => r.cells.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r.cells[i]])));
}

/** Appends rows to a CSV or JSON Lines file (or stdout for `-`). */
export class RowWriter {
  readonly #fd: number;
  readonly #stdout: boolean;

  constructor(readonly target: string, readonly format: OutputFormat, readonly columns: readonly string[], keep: readonly Record<string, unknown>[] = []) {
    this.#stdout = target === '-';
    try {
      this.#fd = this.#stdout ? 1 : openSync(target, 'w');
    } catch (e) {
      throw new InputError({ file: target }, 'a writable output file', writeProblem(e));
    }
    if (format === 'csv') this.#write(csvLine(columns));
    for (const row of keep) this.#writeRow(row);
  }

  #write(text: string): void {
    // stdout goes through its stream, whose EPIPE the CLI takes as a reader that stopped early
    // (`pageout sweep … --csv - | head`); writeSync would throw it here as an internal error
    if (this.#stdout) process.stdout.write(text);
    else writeTextFully(this.#fd, text, this.target);
  }

  #writeRow(row: Record<string, unknown>): void {
    if (this.format === 'csv') this.#write(csvLine(this.columns.map((c) => row[c] as FlatValue | undefined)));
    else this.#write(JSON.stringify(row) + '\n');
  }

  write(row: FlatRow): void {
    this.#writeRow(row);
  }

  close(): void {
    if (!this.#stdout) closeSync(this.#fd);
  }
}

export function outputExists(file: string): boolean {
  return file !== '-' && existsSync(file);
}
