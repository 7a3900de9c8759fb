/** Shared by the trace tests: draining a RefSource, and slow but obvious reference parsers. */
import { existsSync } from 'node:fs';
import { RefBatch, REF_INSTR, REF_WRITE, type RefSource } from '../../src/kernel/ref-source.js';
import type { RefSink } from '../../src/workload/trace/sink.js';

export const SHARED_TRACES = new URL('../../../shared/traces/', import.meta.url).pathname;
/** The third-party traces are the team's, beside the checkout (../shared); tests that read them skip without. */
export const HAVE_SHARED_TRACES = existsSync(SHARED_TRACES);
export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export interface Drained {
  records: number;
  references: number;
  distinctPages: number;
  writes: number;
  instructions: number;
  /** an order-sensitive checksum of the expanded references (page, flags), to compare streams cheaply */
  fingerprint: number;
  /** every record, expanded: [page, flags] per reference (only when asked) */
  refs?: Array<[number, number]>;
}

/** Read a source to its end with a small batch (so batches are refilled many times). */
export function drain(source: RefSource, keep = false, batchSize = 1000): Drained {
  const batch = new RefBatch(batchSize);
  const pages = new Set<number>();
  const out: Drained = { records: 0, references: 0, distinctPages: 0, writes: 0, instructions: 0, fingerprint: 0 };
  let h = 0;
  if (keep) out.refs = [];
  for (;;) {
    const n = source.read(batch);
    if (n === 0) break;
    for (let i = 0; i < n; i++) {
      const p = batch.page[i]!;
      const f = batch.flags[i]!;
      const c = batch.count[i]!;
      out.records++;
      out.references += c;
      pages.add(p);
      if (f & REF_WRITE) out.writes += c;
      if (f & REF_INSTR) out.instructions += c;
      for (let k = 0; k < c; k++) {
        h = (Math.imul(h, 31) + (p % 1000003) * 4 + f) | 0;
        if (keep) out.refs!.push([p, f]);
      }
    }
  }
  source.close();
  out.distinctPages = pages.size;
  out.fingerprint = h;
  return out;
}

/** A sink that records everything, for parser-level tests. */
export class ArraySink implements RefSink {
  readonly records: Array<[number, number, number]> = [];
  ref(page: number, flags: number, count: number): void {
    this.records.push([page, flags, count]);
  }
}

/**
 * Lackey semantics written the obvious way (regex, BigInt), as an independent oracle:
 * I → instruction read, L → read, S → write, M → read then write, every page of [a, a+size).
 */
export function referenceLackey(text: string, pageSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const ps = BigInt(pageSize);
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('==')) continue;
    const m = /^(I | L| S| M) +([0-9a-f]+),(\d+)$/.exec(line);
    if (!m) throw new Error(`reference parser: bad line ${line}`);
    const a = BigInt('0x' + m[2]);
    const size = BigInt(Math.max(1, Number(m[3])));
    const first = Number(a / ps);
    const last = Number((a + size - 1n) / ps);
    const kinds = m[1] === 'I ' ? [REF_INSTR] : m[1] === ' L' ? [0] : m[1] === ' S' ? [REF_WRITE] : [0, REF_WRITE];
    for (const k of kinds) for (let p = first; p <= last; p++) out.push([p, k]);
  }
  return out;
}
