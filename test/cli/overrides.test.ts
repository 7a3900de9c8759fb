import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, InputErrors } from '../../src/errors.js';
import { DEFAULT_MACHINE, DEFAULT_OPTIONS, NO_FIXES, TUNABLE_NAMES, defaultPager, type Scenario } from '../../src/kernel/scenario.js';
import { createGenerator } from '../../src/workload/generators.js';
import { applyOverrides, distinctPages, parseFixes, parseSetFlags } from '../../src/workload/overrides.js';

function scenario(): Scenario {
  const spec = { kind: 'uniform', pages: 300, references: 5000, writeFraction: 0.2 } as const;
  return {
    name: 't', description: '', seed: 7, machine: { ...DEFAULT_MACHINE, memoryPages: 1024 }, preset: 'gnumach-1999',
    tunables: { vm_pageout_burst_max: 10 }, fixes: { ...NO_FIXES }, options: { ...DEFAULT_OPTIONS },
    pagers: { default: defaultPager(), file: defaultPager() },
    tasks: [
      { name: 'a', startNs: 0, source: () => createGenerator(spec, 1), regions: [], unmapped: { instruction: { kind: 'anonymous' }, data: { kind: 'anonymous' } } },
      { name: 'b', startNs: 0, source: () => createGenerator({ ...spec, pages: 100 }, 2), regions: [], unmapped: { instruction: { kind: 'anonymous' }, data: { kind: 'anonymous' } } },
    ],
    maxSimNs: 0,
  };
}

test('memory accepts sizes, page counts and a share of the distinct pages', () => {
  const s = scenario();
  assert.equal(applyOverrides(s, { memory: '8MiB' }).machine.memoryPages, 2048);
  assert.equal(applyOverrides(s, { memory: '512' }).machine.memoryPages, 512);
  assert.equal(applyOverrides(s, { memory: 640 }).machine.memoryPages, 640);
  assert.equal(distinctPages(s), 400);
  assert.equal(applyOverrides(s, { memory: '25%' }).machine.memoryPages, 100);
  assert.equal(s.machine.memoryPages, 1024, 'the input scenario is not changed');
});

test('--set reaches tunables and kernel options; other fields are kept', () => {
  const s = scenario();
  const o = applyOverrides(s, { set: { vm_page_free_target: '1MiB', vm_pageout_burst_wait: '30ms', pmapCollect: 'true', checks: 'full' } });
  assert.deepEqual(o.tunables, { vm_pageout_burst_max: 10, vm_page_free_target: 256, vm_pageout_burst_wait: 30 });
  assert.equal(o.options.pmapCollect, true);
  assert.equal(o.options.checks, 'full');
  assert.deepEqual(s.options, DEFAULT_OPTIONS);
});

test('a tunable is an unsigned int, as the seed\'s variable is', () => {
  assert.equal(applyOverrides(scenario(), { set: { vm_pageout_burst_wait: 4294967295 } }).tunables.vm_pageout_burst_wait, 4294967295);
  assert.throws(() => applyOverrides(scenario(), { set: { vm_pageout_burst_wait: '99999999999' } }), {
    message: "command line --set vm_pageout_burst_wait: expected at most 4294967295 milliseconds (an unsigned int in the seed), got '99999999999'",
  });
  assert.throws(() => applyOverrides(scenario(), { set: { vm_pageout_empty_wait: '50d' } }), { message: /expected a whole number of milliseconds ≥ 0, or a duration such as 30ms, got '50d'/ });
  assert.throws(() => applyOverrides(scenario(), { set: { vm_pageout_empty_wait: '5000000s' } }), {
    message: "command line --set vm_pageout_empty_wait: expected at most 4294967295 milliseconds (an unsigned int in the seed), got '5000000s' (5000000000 milliseconds)",
  });
  // pause_max counts pauses, not milliseconds
  assert.equal(applyOverrides(scenario(), { set: { vm_pageout_pause_max: '20' } }).tunables.vm_pageout_pause_max, 20);
  assert.throws(() => applyOverrides(scenario(), { set: { vm_pageout_pause_max: '30ms' } }), {
    message: "command line --set vm_pageout_pause_max: expected a whole number of pauses ≥ 0 (0 = the seed's default), got '30ms'",
  });
  assert.throws(() => applyOverrides(scenario(), { set: { vm_page_free_target: 2 ** 32 } }), { message: /expected at most 4294967295 pages \(an unsigned int in the seed\), got 4294967296$/ });
});

test('preset, fixes, seed and max time', () => {
  const o = applyOverrides(scenario(), { preset: 'cmu-1987', fixes: 'B1,b3', seed: '42', maxTime: '1.5s' });
  assert.equal(o.preset, 'cmu-1987');
  assert.deepEqual(o.fixes, { B1: true, B2: false, B3: true });
  assert.equal(o.seed, 42);
  assert.equal(o.maxSimNs, 1_500_000_000);
  assert.deepEqual(parseFixes('all', { file: 'x' }), { B1: true, B2: true, B3: true });
  assert.deepEqual(parseFixes(['none'], { file: 'x' }), { B1: false, B2: false, B3: false });
  assert.deepEqual(parseFixes([], { file: 'x' }), { B1: false, B2: false, B3: false });
  assert.throws(() => parseFixes('all,none', { file: 'x' }), { message: "x: expected all alone, or defect names among B1, B2, B3, got 'all,none'" });
  assert.throws(() => parseFixes('B1,none', { file: 'x' }), { message: "x: expected none alone, or defect names among B1, B2, B3, got 'B1,none'" });
  assert.throws(() => parseFixes('', { file: 'x' }), { message: "x: expected defect names among B1, B2, B3 (or all / none), got ''" });
  // an empty name among others is a typo or a lost variable, not a wish for none
  assert.throws(() => parseFixes('B1,', { file: 'x' }), { message: "x: expected defect names among B1, B2, B3 (or all / none), none of them empty, got 'B1,'" });
  assert.throws(() => parseFixes('B1,,B3', { file: 'x' }), { message: /none of them empty, got 'B1,,B3'$/ });
  assert.throws(() => parseFixes([''], { file: 'x' }), { message: "x: expected defect names among B1, B2, B3 (or all / none), none of them empty, got ['']" });
  assert.throws(() => parseFixes(['', 'B2'], { file: 'x' }), { message: /none of them empty, got \['', 'B2'\]$/ });
  assert.deepEqual(parseFixes([' B2 ', 'b3'], { file: 'x' }), { B1: false, B2: true, B3: true });
});

test('--seed takes what a scenario file\'s seed takes, so no seed wraps onto another', () => {
  assert.equal(applyOverrides(scenario(), { seed: '4294967295' }).seed, 4294967295);
  for (const seed of ['4294967296', '99999999999', '-1', 'x']) {
    assert.throws(() => applyOverrides(scenario(), { seed }), (e: unknown) => {
      const text = e instanceof InputErrors ? e.errors.map((x) => x.message).join('\n') : String((e as Error).message);
      assert.equal(text, `command line --seed: expected a whole number from 0 to 4294967295, got '${seed}'`);
      return true;
    });
  }
});

test('an unknown --set name lists every valid name', () => {
  assert.throws(() => applyOverrides(scenario(), { set: { vm_pageout_burst: 3 } }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /^command line --set vm_pageout_burst: expected a tunable \(/);
    for (const name of TUNABLE_NAMES) assert.ok(e.message.includes(name), name);
    assert.match(e.message, /pmapCollect/);
    return true;
  });
});

test('every bad override is reported at once, each naming its flag', () => {
  assert.throws(() => applyOverrides(scenario(), { memory: '12 apples', preset: 'linux', fixes: 'B4', maxTime: 'soon' }), (e: unknown) => {
    assert.ok(e instanceof InputErrors);
    const text = e.errors.map((x) => x.message).join('\n');
    assert.match(text, /command line --memory: expected .*got '12 apples'/);
    assert.match(text, /command line --preset: expected one of cmu-1987, gnumach-1999, gnumach-2014, got 'linux'/);
    assert.match(text, /command line --fix: expected defect names among B1, B2, B3 \(or all \/ none\), got 'B4'/);
    assert.match(text, /command line --max-time: expected a duration/);
    return true;
  });
  assert.throws(() => parseSetFlags(['novalue']), /--set: expected name=value, got 'novalue'/);
  assert.throws(() => applyOverrides(scenario(), { set: { vm_pageout_burst_wait: 'abc' } }), { message: "command line --set vm_pageout_burst_wait: expected a whole number of milliseconds ≥ 0, or a duration such as 30ms, got 'abc'" });
  assert.throws(() => parseSetFlags(['vm_page_free_target=100', 'vm_page_free_target=200']), { message: "command line --set: expected each name once (vm_page_free_target is already 100), got 'vm_page_free_target=200'" });
});

test('--seed re-seeds the generator tasks of a scenario file', async () => {
  const { loadScenario } = await import('../../src/workload/index.js');
  const { RefBatch } = await import('../../src/kernel/ref-source.js');
  const tiny = loadScenario(new URL('./fixtures/tiny.yaml', import.meta.url).pathname);
  const firstPages = (s: Scenario): number[] => {
    const src = s.tasks[0]!.source();
    const batch = new RefBatch(64);
    const n = src.read(batch);
    src.close();
    return Array.from(batch.page.subarray(0, n));
  };
  const same = applyOverrides(tiny, { seed: 3 });
  const other = applyOverrides(tiny, { seed: 4 });
  assert.equal(other.seed, 4);
  assert.deepEqual(firstPages(same), firstPages(tiny), 'the file\'s own seed gives the file\'s streams');
  assert.notDeepEqual(firstPages(other), firstPages(tiny));
  assert.equal(tiny.seed, 3, 'the input is not changed');
});
