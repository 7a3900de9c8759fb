/**
 * Trace reader speed and memory: `npm run bench` (bench/run.ts calls run()), or on its own:
 * `node --import tsx bench/readers.ts [records]`.
 *
 * Generates inputs of each format at two sizes in a temp dir, then reads each in a fresh child
 * process (so peak RSS belongs to that reader alone; the faster of two passes is timed) and
 * reports records/s, MB/s of (decompressed) input and peak RSS. The baseline, measured in the same run, is a raw fs.readSync pass over the
 * same file into a reused 1 MiB buffer: the reader's MB/s as a share of it says how much parsing
 * costs, and equal peak RSS at both sizes says memory is flat in trace length.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { REF_INSTR, REF_WRITE, RefBatch } from '../src/kernel/ref-source.js';
import { CompactTraceWriter, openTrace } from '../src/workload/trace/index.js';

const SELF = fileURLToPath(import.meta.url);

interface Measurement {
  records: number;
  references: number;
  bytes: number;
  seconds: number;
  maxRssMiB: number;
}

/** xorshift32: deterministic inputs without Math.random */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Write `n` records through `emit`, which fills a 1 MiB buffer at `pos` and returns the new pos. */
function writeRecords(path: string, n: number, emit: (buf: Uint8Array, pos: number, i: number) => number, header = ''): void {
  const fd = openSync(path, 'w');
  const buf = new Uint8Array(1 << 20);
  let pos = 0;
  for (let k = 0; k < header.length; k++) buf[pos++] = header.charCodeAt(k);
  for (let i = 0; i < n; i++) {
    if (pos > buf.length - 64) {
      writeSync(fd, buf, 0, pos);
      pos = 0;
    }
    pos = emit(buf, pos, i);
  }
  writeSync(fd, buf, 0, pos);
  closeSync(fd);
}

function putHex(buf: Uint8Array, pos: number, v: number, width: number): number {
  for (let k = width - 1; k >= 0; k--) {
    const d = v % 16;
    buf[pos + k] = d < 10 ? 48 + d : 87 + d;
    v = Math.floor(v / 16);
  }
  return pos + width;
}

function putDec(buf: Uint8Array, pos: number, v: number): number {
  const start = pos;
  do {
    buf[pos++] = 48 + (v % 10);
    v = Math.floor(v / 10);
  } while (v > 0);
  buf.subarray(start, pos).reverse();
  return pos;
}

function putAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let k = 0; k < s.length; k++) buf[pos++] = s.charCodeAt(k);
  return pos;
}

/**
 * A lackey-like stream: instruction fetches walking a 2 MiB text region in short runs, with a
 * data access (load, store, modify) after about every second one, over a 64 MiB heap and a stack.
 */
function lackeyLike(): (i: number) => { kind: number; address: number; size: number } {
  const r = rng(7);
  let pc = 0x401000;
  const out = { kind: 0, address: 0, size: 0 };
  let dataNext = false;
  return () => {
    if (!dataNext) {
      const x = r();
      pc += 1 + (x & 7);
      if ((x & 0xff00) < 0x0800) pc = 0x401000 + (r() % (2 << 20));
      out.kind = 3;
      out.address = pc;
      out.size = 1 + (x & 7);
      dataNext = (x & 0x10000) !== 0;
    } else {
      const x = r();
      out.kind = x % 3;
      out.address = (x & 0x100) ? 0x1fff000000 + (x % 65536) : 0x4000000 + (r() % (64 << 20));
      out.size = 8;
      dataNext = false;
    }
    return out;
  };
}

function generate(dir: string, format: string, n: number): string {
  const path = join(dir, `${format}-${n}`);
  switch (format) {
    case 'lackey': {
      const next = lackeyLike();
      const file = `${path}.lackey`;
      writeRecords(file, n, (buf, pos, i) => {
        const a = next(i);
        pos = putAscii(buf, pos, a.kind === 3 ? 'I  ' : a.kind === 0 ? ' L ' : a.kind === 1 ? ' S ' : ' M ');
        pos = putHex(buf, pos, a.address, a.address > 0xffffffff ? 10 : 8);
        buf[pos++] = 44;
        pos = putDec(buf, pos, a.size);
        buf[pos++] = 10;
        return pos;
      }, '==1== Lackey, an example Valgrind tool\n');
      return file;
    }
    case 'spec': {
      const r = rng(11);
      const file = `${path}.spec`;
      writeRecords(file, n, (buf, pos) => {
        const x = r();
        pos = putAscii(buf, pos, x & 1 ? 's 0x' : 'l 0x');
        pos = putHex(buf, pos, 0x10000000 + (x % (256 << 20)), 8);
        buf[pos++] = 32;
        pos = putDec(buf, pos, x >>> 29);
        buf[pos++] = 10;
        return pos;
      });
      return file;
    }
    case 'lirs': {
      const r = rng(13);
      const file = `${path}.lirs`;
      writeRecords(file, n, (buf, pos) => {
        const x = r();
        pos = putDec(buf, pos, x & 1 ? x % 1000 : x % 1_000_000);
        buf[pos++] = 10;
        return pos;
      });
      return file;
    }
    case 'csv': {
      const r = rng(17);
      const file = `${path}.csv`;
      writeRecords(file, n, (buf, pos, i) => {
        const x = r();
        pos = putDec(buf, pos, i * 10);
        pos = putAscii(buf, pos, x & 1 ? ',w,' : ',r,');
        pos = putDec(buf, pos, (x % 1_000_000) * 4096);
        pos = putAscii(buf, pos, ',4096\n');
        return pos;
      }, 'time,op,offset,length\n');
      return file;
    }
    case 'oracleGeneral': {
      const r = rng(19);
      const file = `${path}.oracleGeneral.bin`;
      writeRecords(file, n, (buf, pos, i) => {
        const view = new DataView(buf.buffer, pos, 24);
        view.setUint32(0, i, true);
        view.setUint32(4, r() % 5_000_000, true);
        view.setUint32(8, 0, true);
        view.setUint32(12, 4096, true);
        view.setInt32(16, -1, true);
        view.setInt32(20, -1, true);
        return pos + 24;
      });
      return file;
    }
    case 'compact': {
      const next = lackeyLike();
      const file = `${path}.pgt`;
      const w = new CompactTraceWriter(file, { pageSize: 4096, description: 'bench: lackey-like' });
      for (let i = 0; i < n; i++) {
        const a = next(i);
        const page = Math.floor(a.address / 4096);
        if (a.kind === 3) w.ref(page, REF_INSTR, 1);
        else if (a.kind === 2) {
          w.ref(page, 0, 1);
          w.ref(page, REF_WRITE, 1);
        } else w.ref(page, a.kind === 1 ? REF_WRITE : 0, 1);
      }
      w.close();
      return file;
    }
  }
  throw new Error(`no generator for ${format}`);
}

async function gzip(file: string): Promise<string> {
  const out = `${file}.gz`;
  await pipeline(createReadStream(file), createGzip({ level: 1 }), createWriteStream(out));
  return out;
}

/** In the child: read `file` (reader or raw) twice and report the faster pass (the first warms the JIT and the page cache). */
function measureBest(mode: 'reader' | 'raw', file: string): Measurement {
  const a = measure(mode, file);
  const b = measure(mode, file);
  return { ...(a.seconds <= b.seconds ? a : b), maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function measure(mode: 'reader' | 'raw', file: string): Measurement {
  const started = performance.now();
  let records = 0;
  let references = 0;
  let bytes = 0;
  if (mode === 'raw') {
    const fd = openSync(file, 'r');
    const buf = new Uint8Array(1 << 20);
    let touch = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      for (let i = 0; i < n; i += 4096) touch += buf[i]!;
      bytes += n;
    }
    closeSync(fd);
    records = touch & 0; // keeps the touch loop from being optimised away
  } else {
    const source = openTrace(file);
    const batch = new RefBatch(8192);
    for (;;) {
      const n = source.read(batch);
      if (n === 0) break;
      records += n;
      const count = batch.count;
      for (let i = 0; i < n; i++) references += count[i]!;
    }
    bytes = source.bytesRead;
    source.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { records, references, bytes, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function inChild(mode: 'reader' | 'raw', file: string): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Measurement;
}

export async function run(records = 20_000_000): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const dir = mkdtempSync(join(tmpdir(), 'pageout-bench-readers-'));
  const sizes = [Math.round(records / 10), records];
  const table = new Table({
    head: ['reader', 'records', 'input MB', 'Mrecords/s', 'MB/s', 'vs raw read', 'peak RSS MiB', 'raw read RSS'],
    style: { head: [], border: [] },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  });
  try {
    for (const format of ['lackey', 'lackey.gz', 'spec', 'lirs', 'csv', 'oracleGeneral', 'compact', 'compact.gz']) {
      for (const n of sizes) {
        const base = format.replace(/\.gz$/, '');
        let file = generate(dir, base, n);
        if (format.endsWith('.gz')) {
          const plain = file;
          file = await gzip(plain);
          rmSync(plain);
        }
        const raw = inChild('raw', file);
        const best = inChild('reader', file);
        const mb = best.bytes / 1e6;
        const onDisk = statSync(file).size;
        table.push([
          format,
          best.records.toLocaleString('en-US'),
          `${mb.toFixed(0)}${onDisk !== best.bytes ? ` (${(onDisk / 1e6).toFixed(0)} on disk)` : ''}`,
          (best.records / best.seconds / 1e6).toFixed(1),
          (mb / best.seconds).toFixed(0),
          ((mb / best.seconds) / (onDisk / 1e6 / raw.seconds)).toFixed(3),
          best.maxRssMiB.toFixed(0),
          raw.maxRssMiB.toFixed(0),
        ]);
        rmSync(file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Trace readers (${sizes.map((s) => s.toLocaleString('en-US')).join(' and ')} generated records each; best of 2 passes in a fresh process per reader and size)`);
  console.log(table.toString());
  console.log('vs raw read: reader MB/s over a plain fs.readSync pass over the same file (1 MiB buffer), same run.');
  console.log('Peak RSS at both sizes shows memory flat in trace length; raw read RSS is node itself.');
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(measureBest(process.argv[3] as 'reader' | 'raw', process.argv[4]!)));
  } else {
    await run(process.argv[2] ? Number(process.argv[2]) : undefined);
  }
}
