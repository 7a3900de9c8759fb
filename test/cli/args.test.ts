import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyStrict, ExitCode } from '../../src/cli/common.js';
import { commandNames, runCli } from './harness.js';

function assertBadInput(r: { code: number; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.ok(!/^\s+at /m.test(r.stderr), `no stack trace:\n${r.stderr}`);
}

test('every subcommand has --help with examples', async () => {
  for (const name of commandNames()) {
    const r = await runCli([name, '--help']);
    assert.equal(r.code, 0, name);
    assert.match(r.stdout, new RegExp(`Usage: pageout ${name}`), name);
    assert.match(r.stdout, /Examples:\n\s+\$ pageout /, `${name} --help shows examples`);
  }
});

test('--version and -V print the version in package.json and exit 0', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.match(version, /^\d+\.\d+\.\d+/);
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0, flag);
    assert.equal(r.stdout, `${version}\n`, flag);
  }
});

test('every subcommand rejects an unknown option with exit code 2', async () => {
  for (const name of commandNames()) {
    assertBadInput(await runCli([name, '--no-such-option']), /error: unknown option '--no-such-option'/);
  }
  assertBadInput(await runCli(['no-such-command']), /error: unknown command 'no-such-command'/);
});

test('one output to stdout at a time, and no report on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-args-'));
  const trace = join(dir, 't.lirs');
  writeFileSync(trace, '1\n2\n1\n');
  for (const args of [['run', '--max-time', '1ms'], ['compare', trace, '--frames', '2'], ['mrc', trace], ['sweep', fileURLToPath(new URL('../../sweeps/burst.yaml', import.meta.url))]]) {
    const both = await runCli([...args, '--json', '-', '--csv', '-']);
    assert.equal(both.stdout, '');
    assertBadInput(both, /^error: command line --csv: expected stdout for one output only \(--json - has it\), got '-'\n$/);
    assertBadInput(await runCli([...args, '--report', '-']), /^error: command line --report: expected an HTML file name \(the report is a page to open, not a stream\), got '-'\n$/);
  }
  assertBadInput(await runCli(['run', '--series', '-', '--csv', '-']), /^error: command line --series: expected stdout for one output only \(--csv - has it\), got '-'\n$/);
  // -q changes what is printed, not what is checked
  assertBadInput(await runCli(['mrc', trace, '-q', '--report', '-']), /^error: command line --report: expected an HTML file name/);
  // no output over an input: the trace, the scenario, the sweep file
  const scenario = join(dir, 's.yaml');
  writeFileSync(scenario, 'tasks:\n  - generator: { kind: loop, pages: 10, iterations: 2 }\n');
  const sweep = join(dir, 'w.yaml');
  writeFileSync(sweep, `base: ${scenario}\nvary:\n  seed: [1, 2]\n`);
  for (const [args, input] of [
    [['compare', trace, '--frames', '2', '-q', '--csv', trace], trace],
    [['mrc', trace, '--report', trace], trace],
    [['inspect', trace, '--json', trace], trace],
    [['run', scenario, '--json', scenario], scenario],
    [['sweep', sweep, '--csv', sweep], sweep],
  ] as const) {
    const r = await runCli([...args]);
    assertBadInput(r, new RegExp(`^error: command line --(csv|report|json): expected a file other than the input ${input.replace(/[.]/g, '\\.')}, got '`));
  }
  assert.equal(readFileSync(trace, 'utf8'), '1\n2\n1\n', 'the trace is untouched');
  const out = join(dir, 'out.txt');
  assertBadInput(await runCli(['compare', trace, '--frames', '2', '--json', out, '--csv', join(dir, '.', 'out.txt')]), /^error: command line --csv: expected a file other than --json's, got '.*out\.txt'\n$/);
  rmSync(dir, { recursive: true, force: true });
});

test('run: bad values name the flag and what was expected', async () => {
  assertBadInput(await runCli(['run', '--memory', 'lots']), /^error: command line --memory: expected a memory size/m);
  // a reserve raised by --set raises the least memory the kernel boots with (it deadlocked instead)
  assertBadInput(await runCli(['run', '--memory', '1024', '--set', 'vm_page_free_reserved=2000']), /^error: command line --memory: expected at least 8,000 pages for preset gnumach-1999 \(vm_page_free_reserved set to 2,000, 0 boot-wired pages\), got 1,024 pages$/m);
  // decimal units are decimal, and the message says so when they miss a page boundary
  assertBadInput(await runCli(['run', '--memory', '64KB']), /^error: command line --memory: expected a whole number of 4096-byte pages, got '64KB' \(15\.625 pages; KB is 1,000 bytes, KiB 1,024\)$/m);
  // zero bytes is no memory, whatever the page size (it was called a fraction of 1-byte pages)
  assertBadInput(await runCli(['compare', '--memory', '0KiB', fileURLToPath(new URL('../trace/fixtures/true-excerpt.lackey', import.meta.url))]), /^error: command line --memory: expected a memory size above 0, got '0KiB'$/m);
  assertBadInput(await runCli(['run', '--preset', 'linux']), /^error: command line --preset: expected one of cmu-1987, gnumach-1999, gnumach-2014, got 'linux'/m);
  assertBadInput(await runCli(['run', '--set', 'vm_bogus=1']), /^error: command line --set vm_bogus: expected a tunable \(vm_pageout_burst_max, /m);
  assertBadInput(await runCli(['run', '--set', 'novalue']), /--set: expected name=value, got 'novalue'/);
  assertBadInput(await runCli(['run', '--fix', 'B9']), /--fix: expected defect names among B1, B2, B3/);
  assertBadInput(await runCli(['run', '--seed', '-1']), /--seed: expected a whole number/);
  assertBadInput(await runCli(['run', '--max-time', 'forever']), /--max-time: expected a duration/);
  assertBadInput(await runCli(['run', '--sample-interval', '0']), /--sample-interval: expected a duration above 0/);
  // every problem at once
  const all = await runCli(['run', '--memory', 'lots', '--preset', 'linux']);
  assertBadInput(all, /--memory[\s\S]*--preset/);
});

test('sweep: bad files and flags exit 2 with file:line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pageout-args-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'vary:\n  memory: [64MiB]\n  burst: [1]\n');
    assertBadInput(await runCli(['sweep', bad]), new RegExp(`^error: ${bad.replace(/[.]/g, '\\.')}:3 vary\\.burst: expected a parameter`, 'm'));
    const badValue = join(dir, 'value.yaml');
    writeFileSync(badValue, 'vary:\n  memory: [64MiB, lots]\n');
    const earlier = join(dir, 'earlier.csv');
    writeFileSync(earlier, 'results of an earlier sweep\n');
    assertBadInput(await runCli(['sweep', badValue, '--csv', earlier]), /value\.yaml:2 vary\.memory: expected a memory size .* got 'lots'/);
    assert.equal(readFileSync(earlier, 'utf8'), 'results of an earlier sweep\n', 'a bad sweep file leaves the output alone');
    assertBadInput(await runCli(['sweep', join(dir, 'missing.yaml')]), /missing\.yaml: expected a readable sweep file, got no such file/);
    const trace = join(dir, 'ids.lirs');
    writeFileSync(trace, '1\n2\n3\n');
    assertBadInput(await runCli(['sweep', trace, '--list']), /^error: .*ids\.lirs: expected a sweep file \(YAML\); to sweep over a trace, name it in vary\.trace or fixed\.trace, got a lirs trace\n$/);
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'vary:\n  memory: [64MiB]\n');
    assertBadInput(await runCli(['sweep', good, '--workers', 'many']), /--workers: expected a number of workers ≥ 1/);
    assertBadInput(await runCli(['sweep', good, '--workers', '0']), /--workers: expected a number of workers ≥ 1/);
    assertBadInput(await runCli(['sweep', good, '--resume']), /--resume: expected an output to resume/);
    const foreign = join(dir, 'foreign.csv');
    writeFileSync(foreign, 'a,b,c\n1,2,3\n');
    assertBadInput(await runCli(['sweep', good, '--csv', foreign, '--resume']), /foreign\.csv:1: expected the columns of this sweep .* got 3 columns starting a,b,c/);
    const jsonl = join(dir, 'broken.jsonl');
    writeFileSync(jsonl, '{"id":"x"}\nnot json\n{"id":"y"}\n');
    assertBadInput(await runCli(['sweep', good, '--json', jsonl, '--resume']), /broken\.jsonl:2: expected one JSON object per line \(a sweep output\), got invalid JSON/);
    assertBadInput(await runCli(['sweep']), /missing required argument/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--strict turns a panic, livelock or deadlock into exit code 3, and only that', () => {
  const saved = process.exitCode;
  try {
    const code = (strict: boolean, outcomes: string[], before = 0): number => {
      process.exitCode = before;
      applyStrict(strict, outcomes);
      return Number(process.exitCode);
    };
    assert.equal(code(true, ['completed', 'livelock']), ExitCode.badOutcome);
    assert.equal(ExitCode.badOutcome, 3);
    assert.equal(code(true, ['panic']), 3);
    assert.equal(code(true, ['deadlock']), 3);
    assert.equal(code(true, ['completed', 'completed']), 0);
    assert.equal(code(false, ['panic']), 0, 'without --strict a bad outcome is a result, not an error');
    assert.equal(code(true, ['panic'], 2), 2, 'bad input stays exit 2');
  } finally {
    process.exitCode = saved;
  }
});
