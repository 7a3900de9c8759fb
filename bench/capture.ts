/**
 * `pageout trace`'s own cost: `npm run bench -- capture`, or `node --import tsx bench/capture.ts [lines]`.
 *
 * Lackey itself produces ~2 M lines/s on one idle core (reference/lackey-notes.md); everything
 * pageout does to its output — the rep-string/syscall filter, the lackey parser and the compact
 * writer — must stay well above that so the capture is lackey-bound. Input: synthetic lackey
 * text in 1 MiB chunks (code fetches, loads and stores over a few hundred pages, a rep movsb
 * every so often, a read(2) now and then), fed exactly as the FIFO reader feeds it. The baseline
 * is a plain newline count over the same chunks (the least any line consumer does).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactTraceWriter } from '../src/workload/trace/compact.js';
import { LackeyTextParser } from '../src/workload/trace/lackey.js';
import { LackeyFoldFilter } from '../src/workload/lackey-fold.js';

const LACKEY_LINES_PER_SECOND = 2e6;

/** Deterministic lackey text split into ~1 MiB chunks. */
function makeChunks(lines: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let text = '';
  let x = 12345;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  let pc = 0x401000;
  for (let i = 0; i < lines; ) {
    const r = next() % 1000;
    if (r === 0) {
      // rep movsb over 64 bytes: fetch + load + store per byte
      for (let b = 0; b < 64 && i < lines; b++, i += 3) {
        text += `I  ${pc.toString(16)},2\n L ${(0x5000000 + b).toString(16)},1\n S ${(0x9000000 + b).toString(16)},1\n`;
      }
      pc += 2;
    } else if (r === 1) {
      text += `SYSCALL[7,1](0) sys_read ( 3, 0x${(0x7000000).toString(16)}, 8192 )[sync] --> Success(0x2000) \n`;
      i++;
    } else if (r < 600) {
      text += `I  ${pc.toString(16)},${1 + (r % 7)}\n`;
      pc = 0x401000 + ((pc - 0x401000 + 1 + (r % 7)) % 0x40000);
      i++;
    } else {
      const address = 0x1ffe000000 + (next() % (400 * 4096));
      text += `${r < 850 ? ' L' : r < 980 ? ' S' : ' M'} ${address.toString(16)},${r % 2 === 0 ? 8 : 4}\n`;
      i++;
    }
    if (text.length > 1 << 20) {
      chunks.push(new TextEncoder().encode(text));
      text = '';
    }
  }
  chunks.push(new TextEncoder().encode(text));
  return chunks;
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

export async function run(lines = Number(process.argv[2] ?? 10_000_000)): Promise<void> {
  const chunks = makeChunks(lines);
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  const dir = mkdtempSync(join(tmpdir(), 'pageout-bench-capture-'));
  const rows: [string, number][] = [];
  try {
    const scratch = new Uint8Array(1 << 21);
    const feed = (push: (c: Uint8Array) => void): void => {
      for (const c of chunks) {
        scratch.set(c);
        push(scratch.subarray(0, c.length));
      }
    };
    let newlines = 0;
    rows.push(['baseline: count newlines', time(() => feed((c) => {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) newlines++;
    }))]);
    rows.push(['fold filter alone', time(() => {
      const f = new LackeyFoldFilter(4096, () => {});
      feed((c) => f.push(c));
      f.end();
    })]);
    rows.push(['lackey parser alone', time(() => {
      const p = new LackeyTextParser(4096, { ref() {} }, { otherLine: () => true }); // SYSCALL lines: the filter's job
      feed((c) => p.push(c));
      p.end();
    })]);
    let records = 0;
    const out = join(dir, 'bench.pgt');
    rows.push(['filter + parser + compact writer', time(() => {
      const w = new CompactTraceWriter(out, { pageSize: 4096, description: 'bench' });
      const p = new LackeyTextParser(4096, w);
      const f = new LackeyFoldFilter(4096, (b) => p.push(b));
      feed((c) => f.push(c));
      f.end();
      p.end();
      records = w.close().records;
    })]);
    console.log(`${newlines.toLocaleString('en-US')} lackey lines, ${(bytes / 1e6).toFixed(0)} MB of text → ${records.toLocaleString('en-US')} records, ${(statSync(out).size / 1e6).toFixed(1)} MB compact`);
    console.log('| stage | M lines/s | MB/s | × lackey\'s 2 M lines/s |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, seconds] of rows) {
      const perSecond = newlines / seconds;
      console.log(`| ${name} | ${(perSecond / 1e6).toFixed(1)} | ${(bytes / seconds / 1e6).toFixed(0)} | ${(perSecond / LACKEY_LINES_PER_SECOND).toFixed(1)} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
