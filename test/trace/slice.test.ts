/**
 * Trace slices (--skip-refs, --max-refs): the references a slice delivers are exactly those of the
 * whole trace from the cut on, counted in references, so a record standing for several references
 * is cut inside; reading stops at the end of the slice; and each command gives the same figures
 * for a slice as for the slice written out by `convert`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/harness.js';
import { Rng } from '../../src/sim/rng.js';
import { createTraceWriter, openTrace } from '../../src/workload/trace/index.js';
import { drain } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pageout-slice-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A compact trace of random records, some standing for many references; its references expanded. */
function writeTrace(name: string, records: number, seed: number): { path: string; refs: Array<[number, number]> } {
  const path = join(dir, name);
  const rng = new Rng(seed);
  const writer = createTraceWriter(path, 'compact', { pageSize: 4096, description: 'slice test' });
  const refs: Array<[number, number]> = [];
  let last = -1;
  for (let i = 0; i < records; i++) {
    let page = rng.below(300);
    if (page === last) page = (page + 1) % 300; // the writer merges equal neighbours: keep records apart
    last = page;
    const flags = rng.below(4);
    const count = rng.below(5) === 0 ? 1 + rng.below(40) : 1;
    writer.ref(page, flags, count);
    for (let k = 0; k < count; k++) refs.push([page, flags]);
  }
  writer.close();
  return { path, refs };
}

test('a slice delivers exactly the references from the cut on, cutting inside repeated records', () => {
  const { path, refs } = writeTrace('random.pgt', 3000, 7);
  const rng = new Rng(11);
  const cuts: Array<[number, number | undefined]> = [[0, 1], [0, refs.length], [refs.length - 1, undefined], [5, undefined]];
  for (let i = 0; i < 40; i++) cuts.push([rng.below(refs.length), 1 + rng.below(refs.length)]);
  for (const [skipRefs, maxRefs] of cuts) {
    const source = openTrace(path, { skipRefs, ...(maxRefs !== undefined ? { maxRefs } : {}) });
    const want = refs.slice(skipRefs, maxRefs === undefined ? undefined : skipRefs + maxRefs);
    assert.equal(source.totalRefs, want.length, `totalRefs of skip ${skipRefs}, max ${maxRefs}`);
    // batches of 7 records, so cuts fall inside batches and slices span many of them
    const got = drain(source, true, 7);
    assert.deepEqual(got.refs, want, `skip ${skipRefs}, max ${maxRefs}`);
    assert.equal(source.references, want.length);
  }
});

test('a slice stops reading the file where it ends', () => {
  const { path } = writeTrace('long.pgt', 400_000, 3);
  const whole = openTrace(path);
  drain(whole);
  const head = openTrace(path, { maxRefs: 1000 });
  assert.equal(drain(head).references, 1000);
  assert.ok(head.bytesRead < whole.bytesRead / 4, `read ${head.bytesRead} of ${whole.bytesRead} bytes (${statSync(path).size} in the file)`);
});

test('compare, mrc, inspect and convert: a slice gives the figures of the slice written out', async () => {
  const { path } = writeTrace('cli.pgt', 5000, 19);
  const cut = join(dir, 'cut.pgt');
  const slice = ['--skip-refs', '1234', '--max-refs', '6000'];
  const converted = await runCli(['convert', path, cut, ...slice]);
  assert.equal(converted.code, 0, converted.stderr);
  assert.match(converted.stderr, new RegExp(`^wrote ${cut} \\(compact\\): 6,000 references in [\\d,]+ records, from ${path} \\(references 1,235 to 7,234\\)`));
  const compareArgs = ['--frames', '20,100', '--policies', 'lru,opt,clock', '--json', '-'];
  const sliced = await runCli(['compare', path, ...slice, ...compareArgs]);
  const whole = await runCli(['compare', cut, ...compareArgs]);
  assert.equal(sliced.code, 0, sliced.stderr);
  assert.deepEqual(JSON.parse(sliced.stdout), JSON.parse(whole.stdout));
  assert.equal(JSON.parse(sliced.stdout)[0].requests, 6000);
  // one policy at one size streams: the same row
  const streamed = await runCli(['compare', path, ...slice, '--frames', '100', '--policies', 'lru', '--json', '-']);
  assert.deepEqual(JSON.parse(streamed.stdout)[0], JSON.parse(whole.stdout).find((r: { policy: string; frames: number }) => r.policy === 'lru' && r.frames === 100));

  const mrcSliced = JSON.parse((await runCli(['mrc', path, ...slice, '--frames', '10,50,200', '--json', '-'])).stdout);
  const mrcWhole = JSON.parse((await runCli(['mrc', cut, '--frames', '10,50,200', '--json', '-'])).stdout);
  assert.deepEqual(mrcSliced.slice, { skipRefs: 1234, maxRefs: 6000 });
  assert.deepEqual(mrcSliced.curves, mrcWhole.curves);

  const text = await runCli(['inspect', path, ...slice]);
  assert.match(text.stdout, new RegExp(`^${path} \\(references 1,235 to 7,234\\): compact trace, 4096-byte pages\\n`));
  const inspectSliced = JSON.parse((await runCli(['inspect', path, ...slice, '--json', '-'])).stdout);
  const inspectWhole = JSON.parse((await runCli(['inspect', cut, '--json', '-'])).stdout);
  for (const key of ['references', 'distinctPages', 'writeFraction', 'instructionFraction', 'workingSet']) {
    assert.deepEqual(inspectSliced[key], inspectWhole[key], key);
  }
  assert.match(inspectWhole.description, /^slice test, references 1,235 to 7,234$/);

  const table = await runCli(['compare', path, '--max-refs', '100', '--frames', '10', '--policies', 'lru']);
  assert.match(table.stdout, new RegExp(`^${path} \\(references 1 to 100\\): 100 references, [\\d,]+ distinct pages\\n`));
});

test('bad slices: the exact messages, and no output left behind', async () => {
  const { path, refs } = writeTrace('short.pgt', 50, 5);
  const cases: Array<[string[], string]> = [
    [['--max-refs', '0'], 'command line --max-refs: expected a count of references from 1, such as 1000000, got \'0\''],
    [['--max-refs', '1e6'], 'command line --max-refs: expected a count of references from 1, such as 1000000, got \'1e6\''],
    [['--skip-refs', '-1'], 'command line --skip-refs: expected a count of references from 0, such as 1000000, got \'-1\''],
    [['--skip-refs', String(refs.length)], `command line --skip-refs: expected fewer references than ${path} holds (${refs.length}), got '${refs.length}'`],
  ];
  for (const command of [['compare', path, '--frames', '5'], ['compare', path, '--frames', '5', '--policies', 'lru'], ['mrc', path], ['inspect', path]]) {
    for (const [flags, message] of cases) {
      const r = await runCli([...command, ...flags]);
      assert.equal(r.code, 2, `${command.join(' ')} ${flags.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, `error: ${message}\n`, `${command.join(' ')} ${flags.join(' ')}`);
    }
  }
  const out = join(dir, 'never.pgt');
  const r = await runCli(['convert', path, out, '--skip-refs', '9999']);
  assert.equal(r.code, 2);
  assert.throws(() => statSync(out), /ENOENT/, 'no half-written output');
});
