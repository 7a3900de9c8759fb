/** Format and compression detection, and what openTraceBytes (the browser's opener) refuses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { detectCompression, detectTraceFormat, openTraceBytes } from '../../src/workload/trace/browser.js';
import { COMPACT_MAGIC } from '../../src/workload/trace/compact-format.js';

const text = (s: string) => new TextEncoder().encode(s);

test('the name decides, after its compression suffix is dropped', () => {
  assert.equal(detectTraceFormat('ls.lackey'), 'lackey');
  assert.equal(detectTraceFormat('ls.lackey.gz'), 'lackey');
  assert.equal(detectTraceFormat('sort.pgt.zst'), 'compact');
  assert.equal(detectTraceFormat('cloudPhysicsIO.oracleGeneral.bin.gz'), 'oracleGeneral');
  assert.equal(detectTraceFormat('io.CSV'), 'csv');
  assert.equal(detectTraceFormat('x.spec'), 'spec');
  assert.equal(detectTraceFormat('x.lirs'), 'lirs');
  assert.equal(detectTraceFormat('x.trace'), undefined); // both LIRS and SPEC use .trace
});

test('content decides for .trace and unknown names; the compact magic always wins', () => {
  assert.equal(detectTraceFormat('cs.trace', text('0\n1\n*\n2\n')), 'lirs');
  assert.equal(detectTraceFormat('cs.trace', text('*\n*\n17\n')), 'lirs');
  assert.equal(detectTraceFormat('gcc.trace', text('s 0x1fffff50 1\nl 0x1fffff58 1\n')), 'spec');
  assert.equal(detectTraceFormat('out', text('==12== Lackey\nI  0401ab70,3\n')), 'lackey');
  assert.equal(detectTraceFormat('out', text('time,op,offset\n1,r,0\n')), 'csv');
  assert.equal(detectTraceFormat('x.csv', Uint8Array.of(...COMPACT_MAGIC, 1, 0)), 'compact');
  assert.equal(detectTraceFormat('blob', Uint8Array.of(0x6a, 0xf7, 0x55, 0, 9, 0x1a, 0x8f, 2, 0, 0, 0, 0)), 'oracleGeneral');
  assert.equal(detectTraceFormat('notes.txt', text('hello world\n')), undefined);
});

test('compression by magic bytes', () => {
  assert.equal(detectCompression(gzipSync(text('1\n'))), 'gzip');
  assert.equal(detectCompression(Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0)), 'zstd');
  assert.equal(detectCompression(text('1\n')), 'none');
});

test('openTraceBytes without a gunzip hook (the browser) refuses gzip with a clear message', () => {
  assert.throws(() => openTraceBytes(gzipSync(text('1\n2\n')), 'cs.trace.gz'), {
    name: 'InputError',
    message: 'cs.trace.gz: expected an uncompressed or zstd-compressed trace (gzip cannot be read here), got gzip-compressed data; decompress it first (gunzip) or use zstd',
  });
});

test('a name and content that settle nothing ask for --format', () => {
  assert.throws(() => openTraceBytes(text('hello world\n'), 'notes.txt'), {
    name: 'InputError',
    message: 'notes.txt: expected a trace in a format recognised by its name or content (lackey, lirs, spec, csv, oracleGeneral, compact); name it with --format, got an unrecognised file',
  });
});

test('a trace with no references is an error, not an empty run', () => {
  assert.throws(() => openTraceBytes(text('*\n*\n'), 'marks.lirs'), {
    name: 'InputError',
    message: 'marks.lirs: expected at least one page reference in this lirs trace, got none',
  });
  assert.throws(() => openTraceBytes(text('==1== only messages\n'), 'm.lackey'), {
    name: 'InputError',
    message: 'm.lackey: expected at least one page reference in this lackey trace, got none',
  });
});

test('the browser surface (browser.ts and everything it imports) has no Node imports', async () => {
  const { readFileSync } = await import('node:fs');
  const seen = new Set<string>();
  const visit = (url: URL): void => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    const source = readFileSync(url, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      assert.ok(!spec.startsWith('node:') && !['fs', 'path', 'zlib', 'os'].includes(spec), `${url.pathname} imports ${spec}`);
      if (spec.startsWith('.')) visit(new URL(spec.replace(/\.js$/, '.ts'), url));
    }
  };
  visit(new URL('../../src/workload/trace/browser.ts', import.meta.url));
  assert.ok(seen.size >= 10, `walked ${seen.size} modules`);
});
