/**
 * What `pageout sweep` checks before anything runs: every value against its scenario as the run
 * will apply it (the machine's memory included), every file the sweep names, every problem at
 * once and in line order, each naming the sweep file's line and key.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputErrors } from '../../src/errors.js';
import { checkSweep } from '../../src/sweep/run.js';
import { parseSweepFile } from '../../src/sweep/spec.js';
import { listShippedScenarios } from '../../src/workload/index.js';
import { runCli } from '../cli/harness.js';

const TINY = fileURLToPath(new URL('../cli/fixtures/tiny.yaml', import.meta.url));
const TRACE = fileURLToPath(new URL('../trace/fixtures/true-excerpt.lackey', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pageout-sweep-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'sweep.yaml');

const TOO_SMALL = 'expected at least 250 pages for preset gnumach-1999 (free_reserved 50, 0 boot-wired pages), got 10 pages';

/** The messages checkSweep throws for a sweep file's text, in the order it throws them. */
async function problems(text: string): Promise<string[]> {
  try {
    await checkSweep(parseSweepFile(text, FILE));
  } catch (e) {
    assert.ok(e instanceof InputErrors, String(e));
    return e.errors.map((x) => x.message);
  }
  return [];
}

test('memory too small for the preset fails on its line before any point runs', async () => {
  const text = `base: ${TINY}\nfixed: { maxTime: 1s }\nvary:\n  memory: [10, 2560KiB]\n  seed: [4294967296, 0]\n`;
  assert.deepEqual(await problems(text), [
    `${FILE}:4 vary.memory: ${TOO_SMALL}`,
    `${FILE}:5 vary.seed: expected a whole number from 0 to 4294967295, got 4294967296`,
  ]);
  // from the command line: nothing runs, the earlier results stay
  writeFileSync(FILE, text);
  const csv = join(dir, 'earlier.csv');
  writeFileSync(csv, 'results of an earlier sweep\n');
  const r = await runCli(['sweep', FILE, '--csv', csv]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `error: ${FILE}:4 vary.memory: ${TOO_SMALL}\nerror: ${FILE}:5 vary.seed: expected a whole number from 0 to 4294967295, got 4294967296\n`);
  assert.equal(readFileSync(csv, 'utf8'), 'results of an earlier sweep\n');
  // --list lists only points that would run: the same problems, and no list
  const listed = await runCli(['sweep', FILE, '--list']);
  assert.equal(listed.code, 2);
  assert.equal(listed.stdout, '');
  assert.equal(listed.stderr, r.stderr);
  writeFileSync(FILE, `base: ${TINY}\nvary:\n  memory: [2560KiB, 3MiB]\n  seed: [1, 2]\n`);
  const good = await runCli(['sweep', FILE, '--list']);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(good.stdout, '0\tmemory=2560KiB seed=1\n1\tmemory=2560KiB seed=2\n2\tmemory=3MiB seed=1\n3\tmemory=3MiB seed=2\n');
});

test('the least memory counts vm_page_free_reserved as the point sets it', async () => {
  assert.deepEqual(await problems(`base: ${TINY}\nfixed: { memory: 1024 }\nvary:\n  tunables.vm_page_free_reserved: [0, 2000]\n  fixes: [none, B7]\n`), [
    `${FILE}:2 fixed.memory: expected at least 8,000 pages for preset gnumach-1999 (vm_page_free_reserved set to 2,000, 0 boot-wired pages), got 1,024 pages`,
    `${FILE}:5 vary.fixes: expected defect names among B1, B2, B3 (or all / none), got 'B7'`,
  ]);
});

test('too little memory is found even when another value fails every point', async () => {
  assert.deepEqual(await problems(`base: ${TINY}\nvary:\n  memory: [2560KiB, 10]\n  fixes: [B7]\n`), [
    `${FILE}:3 vary.memory: ${TOO_SMALL}`,
    `${FILE}:4 vary.fixes: expected defect names among B1, B2, B3 (or all / none), got 'B7'`,
  ]);
});

test('a base or scenario that names no file blames the line of the sweep file that names it', async () => {
  assert.deepEqual(await problems('base: nosuch.yaml\nvary:\n  memory: [2MiB]\n'), [
    `${FILE}:1 base: expected a readable scenario file, got 'nosuch.yaml' (${dir}/nosuch.yaml: no such file)`,
  ]);
  const shipped = listShippedScenarios().map((s) => s.name).join(', ');
  assert.deepEqual(await problems(`fixed: { maxTime: 1s }\nvary:\n  scenario: [default, nosuch.yaml, nosuch, ${dir}/gone.yaml]\n`), [
    `${FILE}:3 vary.scenario: expected a readable scenario file, got 'nosuch.yaml' (${dir}/nosuch.yaml: no such file)`,
    `${FILE}:3 vary.scenario: expected a shipped scenario (${shipped}) or the path of a .yaml file, got 'nosuch'`,
    `${FILE}:3 vary.scenario: expected a readable scenario file, got '${dir}/gone.yaml' (no such file)`,
  ]);
});

test('a cache sweep\'s memory sizes are checked in each trace\'s own pages before any point runs', async () => {
  const pgt = join(dir, 'sixteen.pgt');
  const made = await runCli(['convert', '-q', '--page-size', '16KiB', TRACE, pgt]);
  assert.equal(made.code, 0, made.stderr);
  assert.deepEqual(await problems(`vary:\n  trace: [${TRACE}, ${pgt}]\n  policy: [lru]\n  size: [4MiB, 1MB, 24KiB]\n`), [
    `${FILE}:4 vary.size: expected a whole number of 4096-byte pages (true-excerpt.lackey's), got '1MB' (244.140625 pages; MB is 1,000,000 bytes, MiB 1,048,576)`,
    `${FILE}:4 vary.size: expected a whole number of 16384-byte pages (sixteen.pgt's), got '1MB' (61.03515625 pages; MB is 1,000,000 bytes, MiB 1,048,576)`,
    `${FILE}:4 vary.size: expected a whole number of 16384-byte pages (sixteen.pgt's), got '24KiB' (1.5 pages)`,
  ]);
});

test('a problem inside a named scenario stays at that file\'s line, after the sweep file\'s own', async () => {
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'machine:\n  memory: lots\ntasks:\n  - generator: { kind: loop, pages: 10, iterations: 1 }\n');
  assert.deepEqual(await problems('vary:\n  scenario: [broken.yaml, default]\n  preset: [foo]\n'), [
    `${FILE}:3 vary.preset: expected one of cmu-1987, gnumach-1999, gnumach-2014, got 'foo'`,
    `${broken}:2 machine.memory: expected a memory size such as 64MiB, 512KiB or a page count such as 16384, got 'lots'`,
  ]);
});

test('a trace that cannot be opened blames its line in the sweep file', async () => {
  assert.deepEqual(await problems(`vary:\n  trace: [${TRACE}, missing.pgt]\n  policy: [lru]\n  size: [4]\n`), [
    `${FILE}:2 vary.trace: expected a readable trace file, got 'missing.pgt' (${dir}/missing.pgt: no such file)`,
  ]);
});

test('mistakes in the file and in its values are reported together, in line order', async () => {
  const text = [
    `base: ${TINY}`,
    'fixed:',
    '  maxTime: -5s',
    '  bogus: 3',
    'vary:',
    '  memory: [2MiB, lots, 10]',
    '  seed: [1, -2, 99999999999]',
    '  fixes: [B7]',
    '  preset: [gnumach-1999, foo]',
    '  options.pmapCollect: [maybe]',
    '  scenario: [default, nosuch.yaml]',
    'report:',
    '  maxPoints: 1',
  ].join('\n') + '\n';
  const found = await problems(text);
  assert.match(found[1]!, new RegExp(`^${FILE}:4 fixed\\.bogus: expected a parameter: scenario, memory, .* got unknown parameter 'bogus'$`));
  assert.deepEqual(found.filter((_, i) => i !== 1), [
    `${FILE}:3 fixed.maxTime: expected a duration such as 5ms, 200us, 1.5s or a number of nanoseconds, got '-5s'`,
    `${FILE}:6 vary.memory: expected a memory size such as 64MiB, 512KiB or a page count such as 16384, got 'lots'`,
    `${FILE}:6 vary.memory: ${TOO_SMALL}`,
    `${FILE}:7 vary.seed: expected a whole number from 0 to 4294967295, got -2`,
    `${FILE}:7 vary.seed: expected a whole number from 0 to 4294967295, got 99999999999`,
    `${FILE}:8 vary.fixes: expected defect names among B1, B2, B3 (or all / none), got 'B7'`,
    `${FILE}:9 vary.preset: expected one of cmu-1987, gnumach-1999, gnumach-2014, got 'foo'`,
    `${FILE}:10 vary.options.pmapCollect: expected true or false, got 'maybe'`,
    `${FILE}:11 vary.scenario: expected a readable scenario file, got 'nosuch.yaml' (${dir}/nosuch.yaml: no such file)`,
    `${FILE}:13 report.maxPoints: expected a whole number ≥ 16, got 1`,
  ]);
});

test('a file too broken for its values to mean anything reports only its structure', async () => {
  // kernel and cache parameters mixed: a point has no single meaning, so its values are not checked
  const found = await problems('vary:\n  policy: [lru]\n  memory: [lots]\n  trace: [missing.pgt]\n  size: [4]\n');
  assert.deepEqual(found, [`${FILE}:2 vary: expected either cache-mode parameters (trace, policy, size; preset, fixes, tunables and options for mach points) or kernel-mode ones, got both (memory with policy, trace, size)`]);
});
