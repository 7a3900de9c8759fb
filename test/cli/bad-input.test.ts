/**
 * Bad input found by an adversarial pass over the command line (stop 15): each case exits 2 with
 * one line naming the file, line or flag and what was expected, where it crashed, ran with a
 * value dropped, or reported success.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './harness.js';

const LACKEY = fileURLToPath(new URL('../trace/fixtures/true-excerpt.lackey', import.meta.url));
const SORT = fileURLToPath(new URL('../../scenarios/traces/sort.pgt.gz', import.meta.url));

async function refused(args: string[], message: string): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.equal(r.stderr, `error: ${message}\n`);
}

function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-bad-'));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a full disk is the user\'s to fix: convert and sweep say so instead of crashing', { skip: process.platform !== 'linux' }, async () => {
  for (const to of ['compact', 'lirs', 'oracleGeneral']) {
    await refused(['convert', LACKEY, '/dev/full', '--to', to], '/dev/full: expected a writable file, got no space left on the device');
  }
  await withDir(async (dir) => {
    const sweep = join(dir, 's.yaml');
    writeFileSync(sweep, `vary:\n  trace: [${SORT}]\n  policy: [lru]\n  size: [10]\n  maxRefs: [1000]\n`);
    await refused(['sweep', sweep, '--csv', '/dev/full', '--quiet'], '/dev/full: expected a writable file, got no space left on the device');
  });
});

test('a flag that takes one value, given twice, is refused; repeatable flags still repeat', async () => {
  await refused(['compare', LACKEY, '--frames', '10', '--frames', '20'],
    'command line --frames: expected --frames (-f) once (it takes one value; a list goes in that one value, comma-separated), got it twice');
  await refused(['compare', LACKEY, '--policies', 'lru', '-f', '10', '--frames=20'],
    'command line --frames: expected --frames (-f) once (it takes one value; a list goes in that one value, comma-separated), got it twice');
  await refused(['run', '--memory', '300', '-m', '6MiB'], 'command line --memory: expected --memory (-m) once (it takes one value), got it twice');
  await refused(['mrc', LACKEY, '--sample', '0.5', '--sample', '0.1'], 'command line --sample: expected --sample once (it takes one value), got it twice');
  const twice = await runCli(['compare', LACKEY, '--frames', '8', '--policies', 'clock', '--param', 'clock.bits=2', '--json', '-']);
  assert.equal(twice.code, 0, twice.stderr);
  const set = await runCli(['run', 'too-small', '--set', 'vm_pageout_burst_max=8', '--set', 'vm_pageout_burst_min=2', '--max-time', '10ms', '--json', '-']);
  assert.equal(set.code, 0, set.stderr);
});

test('an empty item in a comma-separated list is refused, not dropped', async () => {
  await refused(['compare', LACKEY, '--frames', '10,,20'], "command line --frames: expected a comma-separated list with no empty item, got '10,,20'");
  await refused(['compare', LACKEY, '--memory', '10%,'], "command line --memory: expected a comma-separated list with no empty item, got '10%,'");
  await refused(['mrc', LACKEY, '--policies', 'lru,,arc'], "command line --policies: expected a comma-separated list with no empty item, got 'lru,,arc'");
});

test('options that would change nothing are refused: CSV columns for another format, a sample interval with nothing sampled', async () => {
  await refused(['compare', LACKEY, '--frames', '10', '--csv-columns', 'offset=1'], "command line --csv-columns: expected CSV columns only for a CSV trace (true-excerpt.lackey is a lackey trace), got 'offset=1'");
  await refused(['inspect', SORT, '--csv', 'offset=0'], "command line --csv: expected CSV columns only for a CSV trace (sort.pgt.gz is a compact trace), got 'offset=0'");
  await refused(['run', '--sample-interval', '5ms'], "command line --sample-interval: expected --sample-interval only with --report or --series (it spaces their samples), got '5ms'");
  await refused(['mrc', LACKEY, '--mach-fix', 'B2'], 'command line --mach-fix: expected mach among --policies (the flag configures its row), got no --policies');
  await withDir(async (dir) => {
    const scenario = join(dir, 'csv.yaml');
    writeFileSync(scenario, `tasks:\n  - { trace: ${LACKEY}, csv: 'offset=0' }\n`);
    await refused(['run', scenario], `${scenario}:2 tasks[0].csv: expected CSV columns only for a CSV trace (true-excerpt.lackey is a lackey trace), got 'offset=0'`);
    const sweep = join(dir, 'report.yaml');
    writeFileSync(sweep, `vary:\n  trace: [${SORT}]\n  policy: [lru]\n  size: [10]\nreport: { maxPoints: 400 }\n`);
    await refused(['sweep', sweep, '--list'], `${sweep}:5 report: expected 'report' (sampleInterval, maxPoints) only in a kernel-mode sweep, whose runs it samples, got a cache-mode sweep`);
  });
});

test('numbers past what is held exactly are refused: durations past 2^53 ns, pages past 2^53 − 1', async () => {
  await withDir(async (dir) => {
    const slow = join(dir, 'slow.yaml');
    writeFileSync(slow, 'machine: { memory: 300, cpuPerReference: 99999999999999999999s }\ntasks:\n  - generator: { kind: loop, pages: 20, iterations: 2 }\n');
    await refused(['run', slow], `${slow}:1 machine.cpuPerReference: expected a duration such as 5ms, 200us, 1.5s or a number of nanoseconds, at most 104 days (2^53 ns), got '99999999999999999999s'`);
    // each duration fits, their sum does not: the run stops at 2^53 ns, truncated, and says so
    const long = join(dir, 'long.yaml');
    writeFileSync(long, 'machine: { memory: 300, cpuPerReference: 8640000s }\ntasks:\n  - generator: { kind: loop, pages: 1, iterations: 5 }\n');
    const run = await runCli(['run', long, '--json', '-']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { outcome: string; outcomeDetail: string; truncated: boolean; tasks: { references: number }[] };
    assert.deepEqual([result.outcome, result.truncated, result.outcomeDetail, result.tasks[0]!.references],
      ['completed', true, 'stopped at 9007199.255 s (2^53 ns), the most simulated time counts exactly, before every task finished', 2]);
    const far = join(dir, 'far.yaml');
    writeFileSync(far, 'tasks:\n  - generator: { kind: loop, pages: 100, iterations: 1, startPage: 9007199254740991 }\n');
    await refused(['run', far, '--memory', '300'], `${far}:2 tasks[0].generator.startPage: expected a first page whose range of 100 pages ends by page 2^53 − 1 (9007199254740991), got 9007199254740991`);
    const bits = join(dir, 'bits.yaml');
    writeFileSync(bits, 'pagers:\n  default: { bandwidth: 40Mb/s }\ntasks:\n  - generator: { kind: loop, pages: 10, iterations: 1 }\n');
    await refused(['run', bits], `${bits}:2 pagers.default.bandwidth: expected a bandwidth such as 40MB/s or 100MiB/s (or bytes per second), B for bytes (a lowercase b is bits), got 40Mb/s`);
    writeFileSync(bits, 'pagers:\n  default: { bandwidth: 1e999 }\ntasks:\n  - generator: { kind: loop, pages: 10, iterations: 1 }\n');
    await refused(['run', bits], `${bits}:2 pagers.default.bandwidth: expected a bandwidth such as 40MB/s or 100MiB/s (or bytes per second), got Infinity`);
    const nan = join(dir, 'nan.yaml');
    writeFileSync(nan, 'tasks:\n  - generator: { kind: loop, pages: 1e999, iterations: 1 }\n');
    await refused(['run', nan], `${nan}:2 tasks[0].generator.pages: expected a memory size such as 64MiB, 512KiB or a page count such as 16384, got Infinity`);
  });
  await refused(['run', '--max-time', '200000000s'], "command line --max-time: expected a duration such as 5ms, 200us, 1.5s or a number of nanoseconds, at most 104 days (2^53 ns), got '200000000s'");
});

test('YAML files: bytes that are no UTF-8, and a second document, are refused at their line', async () => {
  await withDir(async (dir) => {
    const latin = join(dir, 'latin.yaml');
    writeFileSync(latin, Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9]), Buffer.from('\ntasks:\n  - generator: { kind: loop, pages: 10, iterations: 1 }\n')]));
    await refused(['run', latin], `${latin}:1: expected UTF-8 text (YAML is Unicode), got byte 0xe9 at byte 9, which is no UTF-8`);
    const two = join(dir, 'two.yaml');
    writeFileSync(two, `vary:\n  trace: [${SORT}]\n  policy: [lru]\n  size: [10]\n---\nvary: {}\n`);
    await refused(['sweep', two, '--list'], `${two}:5: expected valid YAML, got a second document (---): one file holds one document`);
  });
});

test('sweep --resume refuses a damaged output instead of dropping its rows', async () => {
  await withDir(async (dir) => {
    const sweep = join(dir, 's.yaml');
    writeFileSync(sweep, `vary:\n  trace: [${SORT}]\n  policy: [lru, fifo]\n  size: [10]\n  maxRefs: [1000]\n`);
    const jsonl = join(dir, 'null.jsonl');
    writeFileSync(jsonl, 'null\n');
    await refused(['sweep', sweep, '--resume', '--json', jsonl, '--quiet'], `${jsonl}:1: expected one JSON object per line (a sweep output), got null`);
    const csv = join(dir, 'out.csv');
    assert.equal((await runCli(['sweep', sweep, '--csv', csv, '--quiet'])).code, 0);
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(csv, 'utf8').split('\n');
    const cells = lines[0]!.split(',').length;
    writeFileSync(csv, [lines[0], `${lines[1]},EXTRA`, ...lines.slice(2)].join('\n'));
    await refused(['sweep', sweep, '--resume', '--csv', csv, '--quiet'], `${csv}:2: expected a row of ${cells} cells, as the header has (a sweep output), got ${cells + 1} cells`);
  });
});

test('a value twice is refused: in a sweep list (two points of one id), in a list of defects', async () => {
  await withDir(async (dir) => {
    const sweep = join(dir, 'dup.yaml');
    writeFileSync(sweep, `vary:\n  trace: [${SORT}]\n  policy: [lru, LRU]\n  size: [10, "10", 20]\n`);
    const r = await runCli(['sweep', sweep, '--list']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, [
      `error: ${sweep}:3 vary.policy[1]: expected each value of policy once (a point is known by its values), got lru again`,
      `error: ${sweep}:4 vary.size[1]: expected each value of size once (a point is known by its values), got 10 again`,
      '',
    ].join('\n'));
  });
  await refused(['run', '--fix', 'B2,b2'], "command line --fix: expected defect names among B1, B2, B3 (or all / none), each once, got 'B2,b2'");
});

test('a sweep warm-up as long as a compact trace (its header counts the references) fails before any point runs', async () => {
  await withDir(async (dir) => {
    const sweep = join(dir, 'wu.yaml');
    writeFileSync(sweep, `fixed:\n  trace: ${SORT}\n  maxRefs: 1000\nvary:\n  policy: [lru]\n  size: [10]\n  warmup: [0, 999, 1000]\n`);
    await refused(['sweep', sweep, '--list'], `${sweep}:7 vary.warmup: expected fewer references than sort.pgt.gz holds (1,000), got 1000`);
  });
});

test('a format guessed from the first bytes says so when it fails at once', async () => {
  await withDir(async (dir) => {
    const noise = join(dir, 'noise.bin');
    let x = 12345;
    writeFileSync(noise, Buffer.from(Array.from({ length: 3000 }, () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x >>> 24;
    })));
    const r = await runCli(['inspect', noise]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: .*noise\.bin \(byte \d+\): expected .*, got .* \(read as \w+, which its first bytes suggested; name it with --format if it is another\)\n$/);
  });
});
