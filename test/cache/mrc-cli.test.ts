/** `pageout mrc` as a user runs it: what SHARDS reports about its sample, and rows a policy cannot run. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'pageout-mrc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A LIRS-format trace (one page number a line) of `pages`, in the test's directory. */
function lirsTrace(name: string, pages: readonly number[]): string {
  const path = join(dir, name);
  writeFileSync(path, pages.map((p) => `${p}\n`).join(''));
  return path;
}

/** 60 pages visited in a stride-7 loop, page 3 also every third reference: 2,667 references. */
function loopTrace(): string {
  const pages: number[] = [];
  for (let i = 0; i < 2000; i++) {
    pages.push((i * 7) % 60);
    if (i % 3 === 0) pages.push(3);
  }
  return lirsTrace('loop.lirs', pages);
}

function assertBadInput(r: { code: number; stdout: string; stderr: string }, line: string): void {
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, `${line}\n`);
  assert.equal(r.stdout, '', 'no curve printed');
}

interface Report {
  curves: { policy: string; method: string; points: { frames: number; misses: number | null; missRatio: number | null; note?: string }[] }[];
  sampling?: Record<string, unknown>;
}

test('a rate that samples no page is bad input naming --sample, not a curve of zeros', async () => {
  const path = lirsTrace('two-pages.lirs', [5, 1, 5, 1]);
  const expected = "error: command line --sample: expected a rate that samples at least one page of this trace's 2 distinct pages, got '1e-9'";
  // streamed (the curve alone) and loaded (--check, --policies): the same refusal
  assertBadInput(await runCli(['mrc', path, '--sample', '1e-9', '--frames', '1,2']), expected);
  assertBadInput(await runCli(['mrc', path, '--sample', '1e-9', '--frames', '1,2', '--check']), expected);
  assertBadInput(await runCli(['mrc', path, '--sample', '1e-9', '--frames', '1,2', '--policies', 'fifo', '--json', '-']), expected);
});

test('a policy that cannot run at a size has a note in the JSON and the CSV, and a note line, as in compare', async () => {
  const path = loopTrace();
  const json = await runCli(['mrc', path, '--policies', 'clock-pro', '--frames', '3,10', '--json', '-']);
  assert.equal(json.code, 0, json.stderr);
  const clockPro = (JSON.parse(json.stdout) as Report).curves.find((c) => c.policy === 'clock-pro')!;
  assert.deepEqual(clockPro.points[0], { frames: 3, misses: null, missRatio: null, note: 'clock-pro needs at least 5 frames' });
  assert.equal(clockPro.points[1]!.note, undefined);
  assert.equal(typeof clockPro.points[1]!.misses, 'number');

  const csv = await runCli(['mrc', path, '--policies', 'clock-pro', '--frames', '3,10', '--csv', '-']);
  const lines = csv.stdout.trim().split('\n');
  assert.equal(lines[0], 'policy,method,frames,misses,missRatio,note');
  assert.ok(lines.includes('clock-pro,simulation,3,,,clock-pro needs at least 5 frames'), csv.stdout);

  const printed = await runCli(['mrc', path, '--policies', 'clock-pro', '--frames', '3,10']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.ok(printed.stdout.split('\n').includes('note: clock-pro at 3 frames: clock-pro needs at least 5 frames'), printed.stdout);
});

test('the JSON of a sampled curve has no wall-clock field: two runs give the same bytes', async () => {
  const path = loopTrace();
  const args = ['mrc', path, '--sample', '0.5', '--frames', '5,20,60', '--json', '-'];
  const first = await runCli(args);
  const second = await runCli(args);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, second.stdout);
  assert.deepEqual((JSON.parse(first.stdout) as Report).sampling, { rate: 0.5, adjusted: false, sampledPages: 33, sampledRequests: 1099 });
});

test('the summary names --adjust when used, and with --check gives the measured error, not a guess', async () => {
  const path = loopTrace();
  const plain = await runCli(['mrc', path, '--sample', '0.5', '--frames', '5,20,60']);
  assert.deepEqual(plain.stdout.trim().split('\n').slice(-2), [
    'SHARDS at rate 0.5: 33 pages and 1,099 references sampled; add --check to measure its error against the exact curve (README: typical errors on the shared traces)',
    "warning: only 33 pages sampled; SHARDS's error grows as the sampled pages shrink (expect several percent)",
  ]);
  const checked = await runCli(['mrc', path, '--sample', '0.5', '--frames', '5,20,60', '--check', '--adjust']);
  assert.equal(checked.code, 0, checked.stderr);
  assert.deepEqual(checked.stdout.trim().split('\n').slice(-2), [
    'SHARDS_adj (--adjust) at rate 0.5: 33 pages and 1,099 references sampled; error against the exact curve: mean |Δ| 0.3250, max |Δ| 0.8016',
    "warning: only 33 pages sampled; SHARDS's error grows as the sampled pages shrink (here mean |Δ| 0.3250, as measured above)",
  ]);
  const one = await runCli(['mrc', lirsTrace('one-page.lirs', [0, 0, 0]), '--sample', '0.5', '--frames', '1']);
  assert.equal(one.code, 0, one.stderr);
  assert.ok(one.stdout.includes(': 1 page and 3 references sampled;'), one.stdout);
});
