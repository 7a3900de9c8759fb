/**
 * Reading a YAML document field by field while remembering where each value sits, so that every
 * complaint names the file, the line and the dotted field (`scenarios/tight.yaml:14
 * machine.memory: expected …, got '12k'`). Problems are collected, not thrown one at a time: a
 * user fixing a scenario sees every mistake in one go (the compiler's Diagnostic list).
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { InputError, InputErrors, quote, type InputLocation } from '../errors.js';

/** A YAML value and the path users know it by. `node` is null when the key is absent. */
export interface Field {
  readonly node: Node | null;
  readonly path: string;
  /** the line to blame when the value is absent: its parent's */
  readonly fallbackLine: number | undefined;
}

export type ScalarValue = string | number | boolean | null;

export class YamlReader {
  readonly issues: InputError[] = [];
  readonly document: Document.Parsed;
  readonly #lines = new LineCounter();

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.document = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    // the first syntax error only: the parser's later ones mostly follow from it (a file that is
    // not YAML at all gave one line per token), and fixing it changes the rest
    const [first, ...more] = this.document.errors;
    if (first !== undefined) {
      const line = this.#lines.linePos(first.pos[0]).line;
      const after = more.length === 0 ? '' : ` (and ${more.length} more YAML error${more.length === 1 ? '' : 's'} after it)`;
      // the library's advice for this one names its own API; the user has one file to fix
      const message = first.code === 'MULTIPLE_DOCS' ? 'a second document (---): one file holds one document' : first.message;
      this.issues.push(new InputError({ file, line }, 'valid YAML', `${message}${after}`));
    }
  }

  /** The whole document as a field (path ''), or null for an empty file. */
  root(): Field {
    return { node: (this.document.contents as Node | null) ?? null, path: '', fallbackLine: 1 };
  }

  lineOf(node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.#lines.linePos(offset).line;
  }

  at(f: Field): InputLocation {
    const line = this.lineOf(f.node) ?? f.fallbackLine;
    return { file: this.file, ...(line !== undefined ? { line } : {}), ...(f.path ? { field: f.path } : {}) };
  }

  fail(f: Field, expected: string, got: string = describe(f.node)): void {
    this.issues.push(new InputError(this.at(f), expected, got));
  }

  /** Run a parser that throws InputError(s); keep its complaints, return undefined on failure. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof InputError) this.issues.push(e);
      else if (e instanceof InputErrors) this.issues.push(...e.errors);
      else throw e;
      return undefined;
    }
  }

  /** Throw every collected problem at once, in file order. */
  throwIfAny(): void {
    // in file order, as a reader fixes them; the sort is stable for problems on one line
    if (this.issues.length > 0) throw new InputErrors([...this.issues].sort((a, b) => (a.at.line ?? Infinity) - (b.at.line ?? Infinity)));
  }

  /**
   * The entries of a mapping, keyed by name. Keys outside `allowed` are reported (naming the keys
   * that are allowed); `required` keys that are absent too. Returns null (reported) when the value
   * is not a mapping.
   */
  map(f: Field, allowed: readonly string[], what = 'a mapping', required: readonly string[] = []): Map<string, Field> | null {
    if (!isMap(f.node)) {
      this.fail(f, `${what} with the keys ${allowed.join(', ')}`);
      return null;
    }
    const out = new Map<string, Field>();
    const line = this.lineOf(f.node);
    for (const pair of f.node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : null;
      const path = f.path ? `${f.path}.${key ?? '?'}` : (key ?? '?');
      if (key === null || !allowed.includes(key)) {
        this.fail({ node: keyNode, path, fallbackLine: line }, `one of the keys ${allowed.join(', ')}`,
          `unknown key ${key === null ? describe(keyNode) : quote(key)}`);
        continue;
      }
      out.set(key, { node: this.#deref(pair.value as Node | null), path, fallbackLine: this.lineOf(keyNode) ?? line });
    }
    for (const key of required) {
      if (!out.has(key)) this.fail(f, `a key '${key}'`, 'none');
    }
    return out;
  }

  /** An alias (`*pager`) stands for the node its anchor (`&pager`) names. */
  #deref(node: Node | null | undefined): Node | null {
    if (isAlias(node)) return (node.resolve(this.document) as Node | undefined) ?? null;
    return node ?? null;
  }

  /** The items of a list, or null (reported) when the value is not a list. */
  list(f: Field, what: string): Field[] | null {
    if (!isSeq(f.node)) {
      this.fail(f, what);
      return null;
    }
    const line = this.lineOf(f.node);
    return f.node.items.map((item, i) => ({ node: this.#deref(item as Node | null), path: `${f.path}[${i}]`, fallbackLine: line }));
  }

  /** A scalar's value; undefined (reported) for a mapping, a list or an empty value. */
  scalar(f: Field, expected: string): Exclude<ScalarValue, null> | undefined {
    if (!isScalar(f.node) || f.node.value === null || f.node.value === undefined) {
      this.fail(f, expected);
      return undefined;
    }
    const v = f.node.value;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    this.fail(f, expected);
    return undefined;
  }

  /** A scalar as its user typed it (`0x7f000000` keeps its hex spelling, which YAML turns into a number). */
  source(f: Field): string | undefined {
    return isScalar(f.node) ? (f.node.source ?? (f.node.value === null ? undefined : String(f.node.value))) : undefined;
  }

  string(f: Field, expected = 'a string'): string | undefined {
    const v = this.scalar(f, expected);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.fail(f, expected);
      return undefined;
    }
    return v;
  }

  boolean(f: Field): boolean | undefined {
    const v = this.scalar(f, 'true or false');
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.fail(f, 'true or false');
      return undefined;
    }
    return v;
  }

  /** A string or number for the unit parsers (which report their own complaints). */
  unitValue(f: Field, expected: string): string | number | undefined {
    const v = this.scalar(f, expected);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') {
      this.fail(f, expected);
      return undefined;
    }
    return v;
  }
}

/** How a value reads in "got …": the scalar quoted, or its shape. */
export function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return 'nothing';
    if (typeof node.value === 'string') return quote(node.value);
    return node.format === 'HEX' && node.source ? node.source : quote(node.value);
  }
  return 'an alias or tag';
}
