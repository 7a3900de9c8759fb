/**
 * Every reader, fed random and mutated bytes, either yields records or stops with an InputError
 * that says where (line or byte offset; the file alone for "empty" and "no references") — never
 * another exception, never a hang. And parsing never depends on where chunks were cut.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { CompactTraceWriter } from '../../src/workload/trace/compact.js';
import { createTraceParser, nodeGunzip, openTraceBytes, TRACE_FORMATS, type TraceFormat } from '../../src/workload/trace/index.js';
import { ArraySink, FIXTURES, HAVE_SHARED_TRACES, SHARED_TRACES, drain } from './helpers.js';

function head(path: string, bytes: number): Uint8Array {
  const raw = readFileSync(path);
  const data = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  return data.subarray(0, bytes);
}

/** The first lines of a shared trace, cut at a line end; undefined without ../shared (those tests skip). */
function sharedLines(name: string, bytes: number): Uint8Array | undefined {
  if (!HAVE_SHARED_TRACES) return undefined;
  const t = head(`${SHARED_TRACES}${name}`, bytes);
  return t.subarray(0, t.lastIndexOf(10) + 1);
}

function compactSample(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-fuzz-'));
  try {
    const path = join(dir, 's.pgt');
    const w = new CompactTraceWriter(path, { pageSize: 4096, description: 'fuzz sample', command: ['a', 'b'] });
    for (let i = 0; i < 300; i++) w.ref((i * 7919) % 1000 + (i % 5 === 0 ? 2 ** 40 : 0), i & 3, 1 + (i % 3 === 0 ? i : 0));
    w.close();
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A small valid input of each format, cut at a record boundary. */
const SAMPLES: Record<TraceFormat, Uint8Array | undefined> = {
  lackey: (() => { const t = readFileSync(`${FIXTURES}true-excerpt.lackey`); return t.subarray(0, t.indexOf(10, 1500) + 1); })(),
  lirs: sharedLines('lirs/2_pools.trace.gz', 600),
  spec: sharedLines('spec-address/gcc.trace.gz', 600),
  csv: sharedLines('cloudphysics/cloudPhysicsIO.csv.gz', 900),
  oracleGeneral: HAVE_SHARED_TRACES ? head(`${SHARED_TRACES}cloudphysics/cloudPhysicsIO.oracleGeneral.bin.gz`, 24 * 40) : undefined,
  compact: compactSample(),
};

function isLocatedInputError(e: unknown): boolean {
  if (!(e instanceof InputError)) return false;
  if (e.at.line !== undefined || e.at.offset !== undefined) return true;
  if (/got (an empty file|none|an unrecognised file)$/.test(e.message) || /gzip-compressed data/.test(e.message)) return true;
  // decompressors do not say where they failed: the message names the compressed byte range
  return /expected valid (gzip|zstd)-compressed data, got .*(bytes \d+–\d+|after byte \d+)/.test(e.message);
}

/** Read `bytes` fully; return a summary, or the InputError's message. Anything else fails the property. */
function outcome(bytes: Uint8Array, name: string, format: TraceFormat | undefined): string {
  try {
    const r = drain(openTraceBytes(bytes, name, { ...(format ? { format } : {}), gunzip: nodeGunzip }));
    return `ok ${r.references} ${r.fingerprint}`;
  } catch (e) {
    if (!isLocatedInputError(e)) throw e;
    return (e as Error).message;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(10, 13, 44, 32, 42, 48, 0xff)) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
);

function mutate(bytes: Uint8Array, edits: Array<{ kind: 'set' | 'insert' | 'delete' | 'truncate'; at: number; byte: number }>): Uint8Array {
  let out = Array.from(bytes);
  for (const { kind, at, byte } of edits) {
    const i = out.length === 0 ? 0 : at % (out.length + (kind === 'insert' ? 1 : 0));
    if (kind === 'set' && out.length > 0) out[i] = byte;
    else if (kind === 'insert') out.splice(i, 0, byte);
    else if (kind === 'delete') out.splice(i, 1);
    else if (kind === 'truncate') out = out.slice(0, i);
  }
  return Uint8Array.from(out);
}

const NAME: Record<TraceFormat, string> = {
  lackey: 'x.lackey', lirs: 'x.lirs', spec: 'x.spec', csv: 'x.csv', oracleGeneral: 'x.oracleGeneral.bin', compact: 'x.pgt',
};

for (const format of TRACE_FORMATS) {
  const sample = SAMPLES[format] ?? new Uint8Array(0);
  const skip = SAMPLES[format] === undefined && 'its sample comes from ../shared/traces, which is not beside the checkout';
  test(`${format}: the valid sample reads`, { skip }, () => {
    assert.match(outcome(sample, NAME[format], format), /^ok /);
  });

  test(`${format}: random bytes give records or a located InputError`, { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      outcome(bytes, NAME[format], format);
      outcome(bytes, NAME[format], undefined);
    }), { numRuns: 300 });
  });

  test(`${format}: mutated valid input gives records or a located InputError`, { timeout: 120_000, skip }, () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (edits) => {
      const bytes = mutate(sample, edits);
      seen[outcome(bytes, NAME[format], format).startsWith('ok ') ? 'ok' : 'error']++;
    }), { numRuns: 400 });
    // both paths were exercised, so the property is not vacuous
    assert.ok(seen.ok > 0 && seen.error > 0, JSON.stringify(seen));
  });

  test(`${format}: mutated gzip input gives records or a located InputError`, { timeout: 120_000, skip }, () => {
    const gz = gzipSync(sample);
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
      outcome(mutate(gz, edits), `${NAME[format]}.gz`, format);
    }), { numRuns: 150 });
  });

  test(`${format}: where chunks are cut changes nothing (records, or the same error)`, { timeout: 120_000, skip }, () => {
    fc.assert(fc.property(
      fc.array(mutation, { maxLength: 3 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      (edits, cuts) => {
        const bytes = mutate(sample, edits);
        const run = (pieces: number[]): string => {
          const sink = new ArraySink();
          const { parser } = createTraceParser(format, 'x', sink, {});
          try {
            let at = 0;
            let k = 0;
            while (at < bytes.length) {
              const size = pieces.length === 0 ? bytes.length : pieces[k++ % pieces.length]!;
              parser.push(bytes.subarray(at, at + size));
              at += size;
            }
            parser.end();
            return JSON.stringify(sink.records);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            return e.message;
          }
        };
        assert.equal(run(cuts), run([]));
      },
    ), { numRuns: 200 });
  });
}

test('zstd: random and mutated frames give records or a located InputError', { timeout: 120_000 }, () => {
  const zst = readFileSync(`${FIXTURES}true-excerpt.lackey.zst`);
  fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
    outcome(mutate(zst, edits), 'x.lackey.zst', 'lackey');
  }), { numRuns: 300 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
    outcome(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, ...tail]), 'x.zst', undefined);
  }), { numRuns: 300 });
});
