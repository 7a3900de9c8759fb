/** `pageout compare`, `pageout mrc` and `pageout policies` as a user runs them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRatio } from '../../src/cli/cache-flags.js';
import { POLICIES } from '../../src/cache/index.js';
import { CompactTraceWriter } from '../../src/workload/trace/compact.js';
import { runCli } from '../cli/harness.js';
import { HAVE_TRACES, tracePath } from './traces.js';

function assertBadInput(r: { code: number; stderr: string }, line: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.split('\n').includes(line), `expected the line\n  ${line}\ngot\n${r.stderr}`);
  assert.ok(!/^\s+at /m.test(r.stderr), 'no stack trace');
}

interface Row { policy: string; frames: number; requests: number; misses: number | null; missRatio: number | null; writebacks: number | null; note?: string }

test('miss ratios print to four decimals, or three significant digits where four decimals would tie them', () => {
  assert.deepEqual([0.5, 0.12345, 0.001, 0.000479, 0.0000273, 0].map(formatRatio), ['0.5000', '0.1235', '0.0010', '0.000479', '0.0000273', '0.0000']);
  assert.equal(formatRatio(null), '—');
});

test('compare and mrc refuse a column spec given as their --csv output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-csvflag-'));
  try {
    const io = join(dir, 'io.csv');
    writeFileSync(io, 'lba,bytes\n0,4096\n8,4096\n');
    for (const command of ['compare', 'mrc']) {
      const r = await runCli([command, io, '--csv', 'offset=lba']);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, "error: command line --csv: expected an output file name (the trace's CSV columns go in --csv-columns), got 'offset=lba'\n");
    }
    assert.equal(existsSync('offset=lba'), false, 'no file named offset=lba');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare --json: one row per policy and size, with the fields the issue names', { skip: !HAVE_TRACES }, async () => {
  const r = await runCli(['compare', tracePath('cpp'), '--frames', '100,1000', '--policies', 'opt,lru,arc,clock-pro', '--json', '-']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Row[];
  assert.equal(rows.length, 8);
  for (const row of rows) for (const k of ['policy', 'frames', 'requests', 'misses', 'missRatio', 'writebacks']) assert.ok(k in row, k);
  const lru100 = rows.find((x) => x.policy === 'lru' && x.frames === 100)!;
  assert.deepEqual([lru100.requests, lru100.misses], [9047, 2740]); // libCacheSim's count
  assert.equal(lru100.missRatio, 2740 / 9047);
});

test('compare --memory takes shares of the distinct pages; --csv writes the same table', { skip: !HAVE_TRACES }, async () => {
  const r = await runCli(['compare', tracePath('cpp'), '--memory', '10%,50%', '--policies', 'lru,2q', '--param', '2q.kin=0.3', '--csv', '-']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'policy,frames,requests,misses,missRatio,writebacks,compulsoryMisses,note');
  assert.equal(lines.length, 5);
  assert.ok(lines[1]!.startsWith('lru,122,9047,'), lines[1]); // 10 % of 1,223 pages
  assert.ok(lines[2]!.startsWith('2q(kin=0.3),122,9047,'), lines[2]);
});

test('compare prints a table, and the mach row runs the kernel or says why it cannot', { skip: !HAVE_TRACES }, async () => {
  const r = await runCli(['compare', tracePath('cpp'), '--frames', '100,400', '--policies', 'lru,mach']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /9,047 references, 1,223 distinct pages/);
  assert.match(r.stdout, /note: mach at 100 frames: kernel: expected at least \d+ pages/);
  assert.match(r.stdout, /│\s+│ mach\s+│\s+0\.\d{4} │/);
});

test('compare: bad flags exit 2 and say what was expected', async () => {
  const trace = fileURLToPath(new URL('../trace/fixtures/true-excerpt.lackey', import.meta.url)); // any readable trace
  assertBadInput(await runCli(['compare', trace, '--frames', '0']), "error: command line --frames: expected a frame count from 1 to 9007199254740991, got '0'");
  assertBadInput(
    await runCli(['compare', trace, '--frames', '99999999999999999999']),
    "error: command line --frames: expected a frame count from 1 to 9007199254740991, got '99999999999999999999'",
  );
  assertBadInput(await runCli(['compare', trace, '--frames', '10', '--policies', 'lru,belady']), "error: command line --policies: expected policy names among opt, lru, fifo, clock, 2q, arc, lirs, clock-pro, sieve, s3fifo, lfu, mru, random, lru-k, car, mach, got 'belady'");
  assertBadInput(await runCli(['compare', trace, '--frames', '10', '--policies', '2q', '--param', '2q.kin=2']), "error: command line --param 2q.kin: expected a number from 0 to 1, got '2'");
  assertBadInput(await runCli(['compare', trace, '--frames', '10', '--policies', 'lru', '--param', 'lru.depth=2']), "error: command line --param lru: expected a parameter of lru (it has: none), got 'depth'");
  assertBadInput(await runCli(['compare', trace, '--frames', '10', '--memory', '10%']), "error: command line --memory: expected either --frames or --memory, not both, got '10%'");
  assertBadInput(await runCli(['compare', trace, '--frames', '10', '--policies', '2q', '--param', '2q.kin=0.3', '--param', '2q.kin=0.4']), "error: command line --param: expected each parameter once (2q.kin is already 0.3), got '2q.kin=0.4'");
});

test('mrc: the one-pass curve, per-policy curves, and SHARDS with its error', { skip: !HAVE_TRACES }, async () => {
  const r = await runCli(['mrc', tracePath('cpp'), '--frames', '20,100,500', '--policies', 'lru,arc', '--json', '-']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { curves: { policy: string; method: string; points: { frames: number; misses: number }[] }[] };
  const exact = report.curves.find((c) => c.method === 'stack-distance')!;
  const simulated = report.curves.find((c) => c.method === 'simulation' && c.policy === 'lru')!;
  assert.deepEqual(exact.points.map((p) => p.misses), [8991, 2740, 1377]);
  assert.deepEqual(simulated.points.map((p) => p.misses), [8991, 2740, 1377]);
  const s = await runCli(['mrc', tracePath('sprite'), '--sample', '0.5', '--check']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /SHARDS at rate 0\.5: [\d,]+ pages and [\d,]+ references sampled; error against the exact curve: mean \|Δ\| 0\.\d{4}, max \|Δ\| 0\.\d{4}/);
  assertBadInput(await runCli(['mrc', tracePath('cpp'), '--sample', '2']), "error: command line --sample: expected a sampling rate above 0 and at most 1 (0.01 or 1%), got '2'");
  assertBadInput(await runCli(['mrc', tracePath('cpp'), '--check']), "error: command line --check: expected --sample RATE alongside it, got '--check alone'");
});

test('one policy at one size is replayed as the trace is read, with the same row and totals as the loaded path', { skip: !HAVE_TRACES }, async () => {
  // --policies lru alone streams; lru,fifo loads the trace: the lru rows must agree
  const streamed = await runCli(['compare', tracePath('spec-gcc'), '--frames', '300', '--policies', 'lru', '--json', '-']);
  const loaded = await runCli(['compare', tracePath('spec-gcc'), '--frames', '300', '--policies', 'lru,fifo', '--json', '-']);
  assert.equal(streamed.code, 0, streamed.stderr);
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.deepEqual(JSON.parse(streamed.stdout), (JSON.parse(loaded.stdout) as Row[]).filter((r) => r.policy === 'lru'));
  const table = await runCli(['compare', tracePath('cpp'), '--frames', '100', '--policies', 'clock']);
  assert.match(table.stdout, /9,047 references, 1,223 distinct pages/);
  // a size given as memory needs no page count either; a share of the pages does (and loads)
  const bytes = await runCli(['compare', tracePath('cpp'), '--memory', '400KiB', '--policies', 'lru', '--json', '-']);
  assert.deepEqual((JSON.parse(bytes.stdout) as Row[]).map((r) => [r.frames, r.misses]), [[100, 2740]]);
});

test('a cache larger than the trace costs memory by the trace, and mach refuses a machine it cannot hold', { skip: !HAVE_TRACES }, async () => {
  // 3e9 frames: per-frame arrays sized by the frames would not even allocate (12 GB for FIFO's ring)
  for (const policies of ['lru', 'lru,fifo,clock,opt,sieve,mach']) {
    const r = await runCli(['compare', tracePath('cpp'), '--frames', '3000000000', '--policies', policies, '--json', '-']);
    assert.equal(r.code, 0, r.stderr);
    for (const row of JSON.parse(r.stdout) as Row[]) {
      if (row.policy === 'mach') assert.equal(row.note, 'kernel: expected at most 4,194,304 pages (the model keeps a page structure per frame)'); // the row's own size is its frames
      else assert.deepEqual([row.policy, row.misses, row.writebacks], [row.policy, 1223, 0]); // cold misses only
    }
  }
});

test('mrc without --policies streams the curve: the same points as with the trace loaded', { skip: !HAVE_TRACES }, async () => {
  type Report = { requests: number; distinctPages: number; sizes: number[]; curves: { method: string; points: { misses: number; missRatio: number }[] }[] };
  const streamed = JSON.parse((await runCli(['mrc', tracePath('sprite'), '--json', '-'])).stdout) as Report;
  const loaded = JSON.parse((await runCli(['mrc', tracePath('sprite'), '--policies', 'fifo', '--json', '-'])).stdout) as Report;
  assert.deepEqual([streamed.requests, streamed.distinctPages, streamed.sizes], [loaded.requests, loaded.distinctPages, loaded.sizes]);
  assert.deepEqual(streamed.curves[0], loaded.curves[0]);
  const sampledStreamed = JSON.parse((await runCli(['mrc', tracePath('sprite'), '--sample', '0.25', '--json', '-'])).stdout) as Report;
  const sampledLoaded = JSON.parse((await runCli(['mrc', tracePath('sprite'), '--sample', '0.25', '--policies', 'fifo', '--json', '-'])).stdout) as Report;
  assert.equal(sampledStreamed.curves[0]!.method, 'shards');
  assert.deepEqual(sampledStreamed.curves[0], sampledLoaded.curves[0]);
});

/**
 * A compact trace at `path`: a loop over 600 pages, every third reference, and a hot set of 40 of
 * them between (one write in five), so misses run well above the compulsory ones below 600 frames.
 */
function writeLoopTrace(path: string, pageSize: number, references: number): string {
  const w = new CompactTraceWriter(path, { pageSize, description: 'test' });
  let loop = 0;
  for (let i = 0; i < references; i++) w.ref(i % 3 === 0 ? 1000 + (loop++ % 600) : 1000 + ((i * 13) % 40), i % 5 === 0 ? 1 : 0, 1);
  w.close();
  return path;
}

test('compare counts the compulsory misses: the floor under every row, mach\'s too, that OPT meets with room for every page', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-compulsory-'));
  try {
    const path = writeLoopTrace(join(dir, 't.pgt'), 4096, 20000);
    const r = await runCli(['compare', path, '--frames', '300,600', '--json', '-']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as (Row & { compulsoryMisses: number })[];
    assert.equal(rows.length, 2 * (POLICIES.length + 1)); // every policy and mach
    for (const row of rows) {
      assert.equal(row.compulsoryMisses, 600, row.policy);
      assert.ok(row.misses !== null && row.misses >= 600, `${row.policy} at ${row.frames}: ${row.misses}`);
      assert.deepEqual(Object.keys(row).slice(-2), ['writebacks', 'compulsoryMisses'], 'note, when there is one, comes last');
    }
    assert.equal(rows.find((x) => x.policy === 'opt' && x.frames === 600)!.misses, 600);
    assert.ok(rows.find((x) => x.policy === 'lru' && x.frames === 300)!.misses! > 600);
    const text = await runCli(['compare', path, '--frames', '300', '--policies', 'lru']);
    assert.match(text.stdout, /\nevery row's misses include the 600 compulsory ones, each page's first reference\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compare --mach-preset, --mach-fix, --mach-set configure the mach row as run\'s flags do, in the trace\'s pages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-machflags-'));
  try {
    // 1 KiB pages, so that sizes in bytes are seen to count the trace's pages, not 4096-byte ones
    const path = writeLoopTrace(join(dir, 'k.pgt'), 1024, 30000);
    const row = async (...flags: string[]): Promise<Row> => {
      const r = await runCli(['compare', path, '--frames', '400', '--policies', 'mach', '--json', '-', ...flags]);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as Row[])[0]!;
    };
    const plain = await row();
    assert.equal(plain.policy, 'mach');
    // the seed's own value changes nothing but the label; another value changes the run
    const same = await row('--mach-set', 'vm_pageout_burst_max=10');
    assert.deepEqual({ ...same, policy: 'mach' }, plain);
    assert.equal(same.policy, 'mach(vm_pageout_burst_max=10)');
    const target = await row('--mach-set', 'vm_page_free_target=100');
    assert.notEqual(target.misses, plain.misses);
    // 100 KiB is 100 of this trace's pages: the same run as 100
    assert.deepEqual({ ...(await row('--mach-set', 'vm_page_free_target=100KiB')), policy: target.policy }, target);
    const all = await row('--mach-preset', 'gnumach-1999', '--mach-fix', 'B1, B2', '--mach-set', 'vm_pageout_burst_wait=30ms');
    assert.equal(all.policy, 'mach(gnumach-1999,fix=B1,B2,vm_pageout_burst_wait=30ms)');

    const refused = async (flags: string[], message: string): Promise<void> => {
      const r = await runCli(['compare', path, '--frames', '400', ...flags]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, message, flags.join(' '));
    };
    await refused(['--policies', 'lru', '--mach-fix', 'B2'], "error: command line --mach-fix: expected mach among --policies (the flag configures its row), got 'lru'\n");
    await refused(['--policies', 'mach', '--mach-preset', 'mach3', '--mach-fix', 'B4'],
      "error: command line --mach-preset: expected one of cmu-1987, gnumach-1999, gnumach-2014, got 'mach3'\n" +
      "error: command line --mach-fix: expected defect names among B1, B2, B3 (or all / none), got 'B4'\n");
    await refused(['--policies', 'mach', '--mach-set', 'vm_page_free_target=1536B'], "error: command line --mach-set vm_page_free_target: expected a whole number of 1024-byte pages, got '1536B' (1.5 pages)\n");
    await refused(['--policies', 'mach', '--mach-set', 'vm_page_free_target'], "error: command line --mach-set: expected name=value, got 'vm_page_free_target'\n");
    assert.match((await runCli(['compare', path, '--frames', '400', '--policies', 'mach', '--mach-set', 'burst=3'])).stderr,
      /^error: command line --mach-set burst: expected a tunable \(vm_pageout_burst_max, .*\) or a kernel option \(pmapCollect, .*\), got 'burst'\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mrc --policies mach: the mach row\'s curve, as compare gives it (configured and warmed up alike), and one note for the sizes it cannot run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-mrcmach-'));
  try {
    const path = writeLoopTrace(join(dir, 'k.pgt'), 4096, 20000);
    for (const extra of [[], ['--mach-fix', 'B2', '--warmup', '3000']]) {
      const r = await runCli(['mrc', path, '--frames', '10,100,300,600', '--policies', 'lfu,mach', '--json', '-', ...extra]);
      assert.equal(r.code, 0, r.stderr);
      const curve = (JSON.parse(r.stdout) as { curves: { policy: string; points: { frames: number; misses: number | null; note?: string }[] }[] }).curves
        .find((c) => c.policy.startsWith('mach'))!;
      assert.equal(curve.policy, extra.length === 0 ? 'mach' : 'mach(fix=B2)');
      const rows = JSON.parse((await runCli(['compare', path, '--frames', '10,100,300,600', '--policies', 'mach', '--json', '-', ...extra])).stdout) as Row[];
      assert.deepEqual(curve.points.map((p) => [p.frames, p.misses]), rows.map((row) => [row.frames, row.misses]));
      assert.deepEqual(curve.points.slice(0, 2).map((p) => p.misses), [null, null]);
    }
    const text = await runCli(['mrc', path, '--frames', '10,100,300', '--policies', 'mach']);
    assert.match(text.stdout, /\nnote: mach at 10, 100 frames: kernel: expected at least 250 pages for preset gnumach-1999 \(free_reserved 50, 0 boot-wired pages\)\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trace that breaks off mid-record stops a streamed run with the offset, like a loaded one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-stream-'));
  try {
    const path = join(dir, 't.pgt');
    const w = new CompactTraceWriter(path, { pageSize: 4096, description: 'test' });
    let page = 0;
    for (let i = 0; i < 5000; i++) w.ref((page = 1_000_000 + ((i * 7919) % 3000) * 1000), i % 4 === 0 ? 1 : 0, 1);
    // the last record three bytes long (a delta of 4096: 3 bits, then two varint bytes); cut its last byte
    w.ref(page + 4096, 0, 1);
    w.close();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    const expected = `error: ${path} (byte ${bytes.length - 3}): expected a complete record, got end of file after 2 byte(s) of it (truncated)`;
    for (const args of [['compare', path, '--policies', 'lru', '--frames', '10'], ['mrc', path], ['compare', path, '--policies', 'lru,fifo', '--frames', '10']]) {
      assertBadInput(await runCli(args), expected);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--memory in bytes counts pages of the trace\'s own size; a policy named twice is one policy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-pagesize-'));
  try {
    const path = join(dir, 'p8k.pgt');
    const w = new CompactTraceWriter(path, { pageSize: 8192, description: 'test' });
    for (let i = 0; i < 400; i++) w.ref((i * 37) % 40, 0, 1);
    w.close();
    const framesOf = async (args: string[]) => {
      const r = await runCli(['compare', path, ...args, '--json', '-']);
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as Row[]).map((row) => `${row.policy}@${row.frames}`);
    };
    // 64KiB of 8KiB pages is 8 frames, streamed (one policy, one size) and loaded alike; 16 is a page count
    assert.deepEqual(await framesOf(['--memory', '64KiB', '--policies', 'lru']), ['lru@8']);
    assert.deepEqual(await framesOf(['--memory', '64KiB,16', '--policies', 'lru,fifo,LRU']), ['lru@8', 'fifo@8', 'lru@16', 'fifo@16']);
    // a size that is no whole number of the trace's pages is refused in the trace's page size
    for (const command of ['compare', 'mrc']) {
      assertBadInput(await runCli([command, path, '--memory', '1MB', '--policies', 'lru']), "error: command line --memory: expected a whole number of 8192-byte pages, got '1MB' (122.0703125 pages; MB is 1,000,000 bytes, MiB 1,048,576)");
    }
    for (const more of [[], ['--policies', 'lru']]) { // mrc streamed and loaded
      const r = await runCli(['mrc', path, '--memory', '64KiB,16', ...more, '--json', '-']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).sizes, [8, 16]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policies lists every policy with its parameters and defaults', async () => {
  const r = await runCli(['policies', '--json', '-']);
  assert.equal(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { name: string; params: { key: string; default: number }[] }[];
  assert.deepEqual(list.map((p) => p.name), ['opt', 'lru', 'fifo', 'clock', '2q', 'arc', 'lirs', 'clock-pro', 'sieve', 's3fifo', 'lfu', 'mru', 'random', 'lru-k', 'car', 'mach']);
  assert.deepEqual(list.find((p) => p.name === '2q')!.params.map((p) => [p.key, p.default]), [['kin', 0.25], ['kout', 0.5]]);
  const text = await runCli(['policies']);
  assert.match(text.stdout, /s3fifo\.small=0\.1 {2}small FIFO as a share of the frames/);
});
